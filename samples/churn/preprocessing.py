"""SageMaker Processing script: prepare the customer-churn data for XGBoost.

Follows the AWS "customer churn prediction with XGBoost" tutorial: drop Phone and the four
Charge columns (each is a fixed multiple of its Mins column), one-hot encode State, Area Code,
Int'l Plan and VMail Plan, put the 0/1 target first, shuffle with a fixed seed and split
70/20/10 into train/validation/test. XGBoost's CSV input wants no header and no index.

Written for the container paths, as on SageMaker:
  input  /opt/ml/processing/input/data/**/*.csv
  output /opt/ml/processing/output/{train,validation,test}/{train,validation,test}.csv
"""

import argparse
import glob
import os
import sys

import numpy as np
import pandas as pd

BASE_DIR = "/opt/ml/processing"
INPUT_DIR = os.path.join(BASE_DIR, "input", "data")
OUTPUT_DIR = os.path.join(BASE_DIR, "output")
MESSAGE_PATH = "/opt/ml/output/message"  # becomes the job's ExitMessage

TARGET = "Churn?"
DROPPED = ["Phone", "Day Charge", "Eve Charge", "Night Charge", "Intl Charge"]
CATEGORICAL = ["State", "Area Code", "Int'l Plan", "VMail Plan"]
TARGET_VALUES = {"True.": 1, "False.": 0}


def parse_args():
    parser = argparse.ArgumentParser()
    parser.add_argument("--random-state", type=int, default=1729)
    # As in the tutorial this follows (seed 000): the fraction that goes to training. The rest is
    # split 2:1 into validation and test, so the default 0.7 gives 70/20/10.
    parser.add_argument("--train-test-split", type=float, default=0.7)
    args = parser.parse_args()
    if not 0.0 < args.train_test_split < 1.0:
        parser.error("--train-test-split must be between 0 and 1")
    return args


def fail(message):
    """Report the reason the way SageMaker surfaces it (ExitMessage), then exit non-zero."""
    print(f"ERROR: {message}", file=sys.stderr)
    try:
        os.makedirs(os.path.dirname(MESSAGE_PATH), exist_ok=True)
        with open(MESSAGE_PATH, "w", encoding="utf-8") as f:
            f.write(message)
    except OSError:
        pass
    sys.exit(1)


def read_input():
    paths = sorted(glob.glob(os.path.join(INPUT_DIR, "**", "*.csv"), recursive=True))
    if not paths:
        fail(f"no CSV files under {INPUT_DIR}")
    frames = []
    for path in paths:
        frame = pd.read_csv(path)
        print(f"Read {len(frame)} rows from {path}")
        frames.append(frame)
    data = pd.concat(frames, ignore_index=True)
    missing = [c for c in DROPPED + CATEGORICAL + [TARGET] if c not in data.columns]
    if missing:
        fail(f"input is missing columns: {', '.join(missing)}")
    return data


def transform(data):
    data = data.drop(columns=DROPPED)
    before = len(data)
    data = data.dropna()
    if len(data) < before:
        print(f"Dropped {before - len(data)} rows with missing values")

    target = data[TARGET].astype(str).str.strip().map(TARGET_VALUES)
    if target.isna().any():
        bad = sorted(data.loc[target.isna(), TARGET].astype(str).unique())[:5]
        fail(f"unexpected {TARGET} values: {bad}")

    features = data.drop(columns=[TARGET])
    # Area Code is a label, not a quantity: encode it like the other categoricals.
    features["Area Code"] = features["Area Code"].astype(str)
    features = pd.get_dummies(features, columns=CATEGORICAL, dtype=np.int64)

    model_data = pd.concat([target.astype(np.int64).rename(TARGET), features], axis=1)
    non_numeric = [c for c in model_data.columns if not pd.api.types.is_numeric_dtype(model_data[c])]
    if non_numeric:
        fail(f"non-numeric columns after encoding: {non_numeric}")
    return model_data


def split(model_data, random_state, train_fraction):
    shuffled = model_data.sample(frac=1.0, random_state=random_state).reset_index(drop=True)
    n = len(shuffled)
    held_out = 1.0 - train_fraction
    train_end = int(round(n * train_fraction))
    validation_end = int(round(n * (1.0 - held_out / 3.0)))
    return (shuffled.iloc[:train_end], shuffled.iloc[train_end:validation_end],
            shuffled.iloc[validation_end:])


def write(frame, channel):
    folder = os.path.join(OUTPUT_DIR, channel)
    os.makedirs(folder, exist_ok=True)
    path = os.path.join(folder, f"{channel}.csv")
    frame.to_csv(path, header=False, index=False)
    print(f"Wrote {len(frame)} rows to {path}")


def main():
    args = parse_args()
    print(f"Reading input data from {INPUT_DIR}")
    data = read_input()
    print(f"Input: {len(data)} rows, {len(data.columns)} columns")

    model_data = transform(data)
    print(f"Model data: {len(model_data)} rows, {len(model_data.columns)} columns "
          f"(target first), churn rate {model_data[TARGET].mean():.3f}")

    train, validation, test = split(model_data, args.random_state, args.train_test_split)
    print(f"Split with random_state={args.random_state}: train {len(train)}, "
          f"validation {len(validation)}, test {len(test)}")
    for frame, channel in ((train, "train"), (validation, "validation"), (test, "test")):
        write(frame, channel)
    print("Preprocessing complete")


if __name__ == "__main__":
    main()
