"""Seed 004's `preprocessing.py`: the script SKLearnProcessor runs with `code="preprocessing.py"`.

Modelled on the SDK's "Scikit-learn Data Processing and Model Evaluation" notebook, kept small: read
every file the job's input put in /opt/ml/processing/input (the SDK nests its code input at
/opt/ml/processing/input/code, which is skipped), split the rows with scikit-learn's train_test_split
(--train-test-split-ratio is the test fraction), and write features and labels apart:
  /opt/ml/processing/train/{train_features,train_labels}.csv
  /opt/ml/processing/test/{test_features,test_labels}.csv
Input rows are `id,age,income,label` with a header; outputs have a header too.
"""

import argparse
import os

import pandas as pd
from sklearn.model_selection import train_test_split

INPUT_DIR = "/opt/ml/processing/input"
CODE_DIR = os.path.join(INPUT_DIR, "code")


def input_files():
    """Every file under INPUT_DIR but the SDK's code folder, relative to INPUT_DIR, sorted."""
    found = []
    for folder, subfolders, files in os.walk(INPUT_DIR):
        if folder == INPUT_DIR and "code" in subfolders:
            subfolders.remove("code")
        found += [os.path.relpath(os.path.join(folder, name), INPUT_DIR) for name in files]
    return sorted(found)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--train-test-split-ratio", type=float, default=0.3)
    args = parser.parse_args()
    print("Received arguments {}".format(args))
    print("Code folder: {}".format(", ".join(sorted(os.listdir(CODE_DIR)))))

    files = input_files()
    print("Input files: {}".format(", ".join(files)))
    if not files:
        raise SystemExit("no input files under {}".format(INPUT_DIR))
    df = pd.concat([pd.read_csv(os.path.join(INPUT_DIR, name)) for name in files], ignore_index=True)
    print("Read {} rows".format(len(df)))

    split_ratio = args.train_test_split_ratio
    print("Splitting data into train and test sets with ratio {}".format(split_ratio))
    X_train, X_test, y_train, y_test = train_test_split(
        df.drop("label", axis=1), df["label"], test_size=split_ratio, random_state=0)

    for split, features, labels in (("train", X_train, y_train), ("test", X_test, y_test)):
        folder = "/opt/ml/processing/{}".format(split)
        features.to_csv(os.path.join(folder, "{}_features.csv".format(split)), index=False)
        labels.to_csv(os.path.join(folder, "{}_labels.csv".format(split)), index=False)
        print("{} data shape after preprocessing: {}".format(split.capitalize(), features.shape))


if __name__ == "__main__":
    main()
