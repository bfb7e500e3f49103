"""The churn sample (samples/churn) as the SDK tests use it: generate its data, check its outputs, preprocess it
for the training tests."""
import json
import pathlib
import subprocess
import sys

REPO = pathlib.Path(__file__).resolve().parents[2]
CHURN = REPO / "samples" / "churn"
PREPROCESSING = CHURN / "preprocessing.py"
JOB_JSON = CHURN / "job.json"
ROWS = 1000
# Seed 002's training of the built-in XGBoost on the splits, and bad hyperparameters with the container's text.
XGBOOST_IMAGE = "683313688378.dkr.ecr.us-east-1.amazonaws.com/sagemaker-xgboost:1.7-1"
HYPERPARAMETERS = {"objective": "binary:logistic", "num_round": "50", "max_depth": "5", "eta": "0.2",
                   "eval_metric": "logloss"}
BAD_HYPERPARAMETERS = [  # (the change to HYPERPARAMETERS, None removing one; the text FailureReason holds)
    ({"max_depth": "5.0"}, "Hyperparameter max_depth: could not parse value"),
    ({"num_round": None}, "Missing required hyperparameter: num_round"),
    ({"not_a_parameter": "1"}, "Extraneous hyperparameter found: not_a_parameter"),
]


def generate_data(folder):
    """Writes ROWS customers to folder/churn.csv with the sample's generator; returns the path."""
    path = pathlib.Path(folder) / "churn.csv"
    subprocess.run([sys.executable, str(CHURN / "generate_data.py"), "--rows", str(ROWS), "--out", str(path)],
                   check=True, capture_output=True, text=True)
    return path


def download_splits(s3, bucket, prefixes, folder):
    """Downloads {split}.csv from each split's S3 prefix into folder; returns the three paths."""
    paths = []
    for split in ("train", "validation", "test"):
        path = pathlib.Path(folder) / f"{split}.csv"
        s3.download_file(bucket, f"{prefixes[split].rstrip('/')}/{split}.csv", str(path))
        paths.append(str(path))
    return paths


def check_outputs(paths, train_split=0.7):
    """Runs tools/check_churn_outputs.py on the three splits; returns its OK line or fails with its report."""
    result = subprocess.run([sys.executable, str(REPO / "tools" / "check_churn_outputs.py"), *paths,
                             "--total", str(ROWS), "--train-split", str(train_split)],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def preprocess(s3, sagemaker, bucket, folder, name):
    """The churn sample's job.json (its bucket replaced by `bucket`, its name by `name`) run through boto3 over
    data from generate_data: the split CSVs the training tests feed the built-in XGBoost, as the SDK v2 test's
    processing job makes them. Returns {split: S3 URI of the folder holding split.csv}."""
    s3.upload_file(str(generate_data(folder)), bucket, "churn/raw/churn.csv")
    s3.upload_file(str(PREPROCESSING), bucket, "churn/code/preprocessing.py")
    request = json.loads(JOB_JSON.read_text().replace("s3://sagebox-samples/", f"s3://{bucket}/"))
    request["ProcessingJobName"] = name
    sagemaker.create_processing_job(**request)
    # boto3's own waiter, every second rather than every minute.
    sagemaker.get_waiter("processing_job_completed_or_stopped").wait(
        ProcessingJobName=name, WaiterConfig={"Delay": 1, "MaxAttempts": 120})
    job = sagemaker.describe_processing_job(ProcessingJobName=name)
    assert job["ProcessingJobStatus"] == "Completed", job.get("FailureReason")
    return {o["OutputName"]: o["S3Output"]["S3Uri"] for o in job["ProcessingOutputConfig"]["Outputs"]}
