"""The churn sample (samples/churn) as the SDK tests use it: generate its data, check its outputs."""
import pathlib
import subprocess
import sys

REPO = pathlib.Path(__file__).resolve().parents[2]
CHURN = REPO / "samples" / "churn"
PREPROCESSING = CHURN / "preprocessing.py"
JOB_JSON = CHURN / "job.json"
ROWS = 1000


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
