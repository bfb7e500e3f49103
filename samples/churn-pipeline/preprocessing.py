"""Seed 002's processing step: the raw customer-churn data into XGBoost's train/validation/test CSVs.

Runs in the XGBoostProcessor's container (`runproc.sh` untars the source bundle into
/opt/ml/processing/input/code and runs `python3 preprocessing.py --train-test-split <ratio>`).

  input   /opt/ml/processing/input/**/*.csv   (the raw data; the code/ and entrypoint/ inputs are skipped)
  output  /opt/ml/processing/output/{train,validation,test}/{split}.csv: target first, no header, no index

Feature engineering: the four Charge columns are dropped (each is a fixed multiple of its Mins column) and
Phone with them; total minutes, total calls, minutes per call and a "many service calls" flag are added;
State, Area Code and the two plans are one-hot encoded. `--train-test-split` is the fraction that goes to
training; the rest is split 2:1 into validation and test (0.7 gives 70/20/10).
"""
import argparse
import glob
import os
import sys

import numpy as np
import pandas as pd

INPUT_DIR = "/opt/ml/processing/input"
OUTPUT_DIR = "/opt/ml/processing/output"
# The framework processor's own inputs live inside INPUT_DIR: not data.
NOT_DATA = ("code", "entrypoint")
TARGET = "Churn?"
CATEGORICAL = ["State", "Area Code", "Int'l Plan", "VMail Plan"]


def parse_args():
    parser = argparse.ArgumentParser()
    parser.add_argument("--train-test-split", type=float, default=0.7)
    parser.add_argument("--random-state", type=int, default=42)
    args = parser.parse_args()
    if not 0.0 < args.train_test_split < 1.0:
        parser.error(f"--train-test-split must be between 0 and 1, not {args.train_test_split}")
    return args


def read_raw():
    paths = sorted(path for path in glob.glob(os.path.join(INPUT_DIR, "**", "*.csv"), recursive=True)
                   if os.path.relpath(path, INPUT_DIR).split(os.sep)[0] not in NOT_DATA)
    if not paths:
        sys.exit(f"No raw data: no CSV file under {INPUT_DIR} (outside {', '.join(NOT_DATA)}/)")
    frames = [pd.read_csv(path) for path in paths]
    for path, frame in zip(paths, frames):
        print(f"Read {len(frame)} rows from {path}")
    return pd.concat(frames, ignore_index=True)


def engineer(raw):
    data = raw.drop(columns=["Phone", "Day Charge", "Eve Charge", "Night Charge", "Intl Charge"]).dropna()
    target = data.pop(TARGET).astype(str).str.strip().map({"True.": 1, "False.": 0})
    if target.isna().any():
        sys.exit(f"Unexpected values in column {TARGET!r}: expected 'True.' or 'False.'")
    minutes = data[["Day Mins", "Eve Mins", "Night Mins", "Intl Mins"]].sum(axis=1)
    calls = data[["Day Calls", "Eve Calls", "Night Calls", "Intl Calls"]].sum(axis=1)
    data["Total Mins"] = minutes
    data["Total Calls"] = calls
    data["Mins per Call"] = (minutes / calls.replace(0, np.nan)).fillna(0.0).round(3)
    data["Many CustServ Calls"] = (data["CustServ Calls"] >= 4).astype(np.int64)
    data["Area Code"] = data["Area Code"].astype(str)
    features = pd.get_dummies(data, columns=CATEGORICAL, dtype=np.int64)
    return pd.concat([target.astype(np.int64).rename(TARGET), features], axis=1)


def split(model_data, train_fraction, random_state):
    shuffled = model_data.sample(frac=1.0, random_state=random_state).reset_index(drop=True)
    train_end = int(round(len(shuffled) * train_fraction))
    validation_end = train_end + int(round((len(shuffled) - train_end) * 2 / 3))
    return {"train": shuffled.iloc[:train_end], "validation": shuffled.iloc[train_end:validation_end],
            "test": shuffled.iloc[validation_end:]}


def main():
    args = parse_args()
    model_data = engineer(read_raw())
    print(f"Model data: {len(model_data)} rows, {model_data.shape[1] - 1} features, "
          f"churn rate {model_data[TARGET].mean():.3f}")
    for name, frame in split(model_data, args.train_test_split, args.random_state).items():
        folder = os.path.join(OUTPUT_DIR, name)
        os.makedirs(folder, exist_ok=True)
        frame.to_csv(os.path.join(folder, f"{name}.csv"), header=False, index=False)
        print(f"Wrote {len(frame)} rows to {folder}/{name}.csv")


if __name__ == "__main__":
    main()
