# preprocessing.py
import argparse
import pandas as pd
import numpy as np
from sklearn.model_selection import train_test_split
import os

def preprocess_data(input_path, train_output, val_output, test_output, train_split=0.7):
    """
    Your Task: Implement preprocessing logic

    Steps:
    1. Read data from input_path
    2. Clean and transform data
    3. Split into train/val/test
    4. Save to output paths (target first, no headers!)
    """
    # TODO: Load data
    # files = [os.path.join(input_path, f) for f in os.listdir(input_path)]
    # df = pd.concat([pd.read_csv(f) for f in files])
    # fill: TODO: Load data
    files = [os.path.join(input_path, f) for f in os.listdir(input_path)]
    df = pd.concat([pd.read_csv(f) for f in files], ignore_index=True)
    print(f"Loaded {len(df)} rows, {len(df.columns)} columns from {files}")
    # end fill

    # TODO: Data cleaning
    # - Handle missing values
    # - Drop unnecessary columns
    # - Encode categorical variables
    # fill: TODO: Data cleaning
    df = df.drop_duplicates().dropna().reset_index(drop=True)
    # Phone identifies a customer; each Charge column is a fixed multiple of its Mins column.
    df = df.drop(columns=["Phone", "Day Charge", "Eve Charge", "Night Charge", "Intl Charge"])
    target = df.pop("Churn?").map({"True.": 1, "False.": 0})
    if target.isna().any():
        raise ValueError("Churn? holds values other than True. and False.")
    df["Area Code"] = df["Area Code"].astype(str)  # a label, not a quantity
    features = pd.get_dummies(df, columns=["State", "Area Code", "Int'l Plan", "VMail Plan"], dtype=np.int64)
    df = pd.concat([target.astype(np.int64).rename("Churn?"), features], axis=1)  # target first
    print(f"Model data: {len(df)} rows, {len(df.columns)} columns, churn rate {df['Churn?'].mean():.3f}")
    # end fill

    # TODO: Split data
    # train_df, temp_df = train_test_split(df, train_size=0.7, random_state=42)
    # val_df, test_df = train_test_split(temp_df, train_size=0.67, random_state=42)
    # fill: TODO: Split data
    train_df, temp_df = train_test_split(df, train_size=train_split, random_state=42)
    # The rest goes 2:1 to validation and test: 20% and 10% of the whole for train_split 0.7.
    val_df, test_df = train_test_split(temp_df, train_size=2 / 3, random_state=42)
    # end fill

    # TODO: Save data (XGBoost format: target first, no headers)
    # train_df.to_csv(os.path.join(train_output, 'train.csv'), header=False, index=False)
    # fill: TODO: Save data (XGBoost format: target first, no headers)
    for split_df, output, name in ((train_df, train_output, "train.csv"), (val_df, val_output, "validation.csv"),
                                   (test_df, test_output, "test.csv")):
        os.makedirs(output, exist_ok=True)
        split_df.to_csv(os.path.join(output, name), header=False, index=False)
        print(f"Wrote {len(split_df)} rows to {os.path.join(output, name)}")
    # end fill

    pass

if __name__ == '__main__':
    parser = argparse.ArgumentParser()
    parser.add_argument('--train-test-split', type=float, default=0.7)
    args, _ = parser.parse_known_args()

    preprocess_data(
        "/opt/ml/processing/input/data",
        "/opt/ml/processing/output/train",
        "/opt/ml/processing/output/validation",
        "/opt/ml/processing/output/test",
        args.train_test_split
    )
