"""Seed 002's evaluation step: extract the trained model from model.tar.gz, predict the held-out test
split, and write evaluation.json in the seed's format for the pipeline's PropertyFile.

  input   /opt/ml/processing/model/model.tar.gz   (the training step's ModelArtifacts.S3ModelArtifacts)
          /opt/ml/processing/test/test.csv         (target first, no header)
  output  /opt/ml/processing/evaluation/evaluation.json

A model that cannot be extracted or loaded ends the job with the reason in /opt/ml/output/message, which
SageMaker shows as the job's ExitMessage (the seed's "Model extraction fails in evaluation").
"""
import json
import os
import sys
import tarfile

import pandas as pd
import xgboost
from sklearn.metrics import accuracy_score, f1_score, precision_score, recall_score, roc_auc_score

MODEL_DIR = "/opt/ml/processing/model"
TEST_PATH = "/opt/ml/processing/test/test.csv"
OUTPUT_DIR = "/opt/ml/processing/evaluation"
MODEL_FILE = "xgboost-model"  # the name the built-in XGBoost algorithm gives its model


def fail(message):
    """The reason as SageMaker shows it (ExitMessage, from /opt/ml/output/message), then a non-zero exit."""
    print(f"ERROR: {message}", file=sys.stderr)
    os.makedirs("/opt/ml/output", exist_ok=True)
    with open("/opt/ml/output/message", "w") as message_file:
        message_file.write(message)
    sys.exit(1)


def load_model(archive=os.path.join(MODEL_DIR, "model.tar.gz"), folder="."):
    if not os.path.isfile(archive):
        found = sorted(os.listdir(MODEL_DIR)) if os.path.isdir(MODEL_DIR) else []
        fail(f"Model extraction failed: {archive} does not exist; {MODEL_DIR} holds {found or 'nothing'}.")
    try:
        with tarfile.open(archive) as tar:
            names = tar.getnames()
            tar.extractall(path=folder)
    except tarfile.TarError as error:
        fail(f"Model extraction failed: {archive} is not a readable tar.gz ({error}).")
    if MODEL_FILE not in names:
        fail(f"Model extraction failed: {archive} holds {names}, not {MODEL_FILE!r}.")
    model = xgboost.Booster()
    model.load_model(os.path.join(folder, MODEL_FILE))
    return model


def main():
    model = load_model()
    test = pd.read_csv(TEST_PATH, header=None)
    labels = test.iloc[:, 0].to_numpy()
    scores = model.predict(xgboost.DMatrix(test.iloc[:, 1:].values))
    predictions = (scores > 0.5).astype(int)
    metrics = {
        "accuracy": accuracy_score(labels, predictions),
        "precision": precision_score(labels, predictions, zero_division=0),
        "recall": recall_score(labels, predictions, zero_division=0),
        "f1": f1_score(labels, predictions, zero_division=0),
        "roc_auc": roc_auc_score(labels, scores) if len(set(labels)) > 1 else float("nan"),
    }
    report = {"binary_classification_metrics": {
        name: {"value": float(value), "standard_deviation": "NaN"} for name, value in metrics.items()}}
    os.makedirs(OUTPUT_DIR, exist_ok=True)
    with open(os.path.join(OUTPUT_DIR, "evaluation.json"), "w") as report_file:
        json.dump(report, report_file, indent=2)
    print("Evaluation:", json.dumps(report))


if __name__ == "__main__":
    main()
