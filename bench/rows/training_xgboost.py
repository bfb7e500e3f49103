"""Row "XGBoost training": the built-in XGBoost algorithm (`sagemaker-xgboost:1.7-1`, run by
runtimes/sagemaker-xgboost) on the churn sample's train and validation splits, against the same
`xgboost.train` call (same data, parameters, watchlist and saved model) in a plain Python process of the
job runtime's venv. The splits are made by the churn sample's processing job, as in `make demo`."""
import json
import pathlib
import subprocess
import sys

from bench.core import hyperfine
from bench.core.result import Result

REPO = pathlib.Path(__file__).resolve().parents[2]
RUNTIME_PYTHON = REPO / ".venv" / "bin" / "python"
ROWS = 20000
HYPERPARAMETERS = {"objective": "binary:logistic", "eval_metric": "logloss", "num_round": "100", "max_depth": "5",
                   "eta": "0.2"}
IMAGE = "683313688378.dkr.ecr.us-east-1.amazonaws.com/sagemaker-xgboost:1.7-1"
# The work the algorithm does, without sagebox: read the CSVs (label first, no header), train with the
# train/validation watchlist printing every round, save the model.
PLAIN = """
import sys, numpy, xgboost
train = numpy.loadtxt(sys.argv[1], delimiter=",", ndmin=2)
validation = numpy.loadtxt(sys.argv[2], delimiter=",", ndmin=2)
dtrain = xgboost.DMatrix(train[:, 1:], label=train[:, 0])
dvalidation = xgboost.DMatrix(validation[:, 1:], label=validation[:, 0])
params = {"objective": "binary:logistic", "eval_metric": "logloss", "max_depth": 5, "eta": 0.2}
booster = xgboost.train(params, dtrain, num_boost_round=100, evals=[(dtrain, "train"), (dvalidation, "validation")],
                        callbacks=[xgboost.callback.EvaluationMonitor()], verbose_eval=False)
booster.save_model(sys.argv[3])
"""


def _splits(ctx):
    """Runs the churn sample's preprocessing over ROWS generated rows; returns the local train and validation CSVs."""
    sb = ctx.sagebox
    sb.make_bucket("sagebox-samples")
    data = ctx.data / "churn.csv"
    subprocess.run([sys.executable, str(REPO / "samples/churn/generate_data.py"), "--rows", str(ROWS), "--out", str(data)],
                   check=True, capture_output=True)
    sb.cli("s3", "cp", REPO / "samples/churn/preprocessing.py", "s3://sagebox-samples/churn/code/preprocessing.py")
    sb.cli("s3", "cp", data, "s3://sagebox-samples/churn/raw/churn.csv")
    sb.cli("run", REPO / "samples/churn/job.json", "--wait", "--name", "bench-churn-preprocessing")
    local = []
    for split in ("train", "validation"):
        path = ctx.data / f"{split}.csv"
        sb.cli("s3", "cp", f"s3://sagebox-samples/churn/processed/{split}/{split}.csv", path)
        local.append(path)
    return local


def run(ctx, training_request):
    if not RUNTIME_PYTHON.exists():
        return []
    train, validation = _splits(ctx)
    sb = ctx.sagebox
    request = training_request(
        "bench-xgboost", image=IMAGE, hyperparameters=HYPERPARAMETERS,
        channels=[("train", "s3://sagebox-samples/churn/processed/train", "text/csv"),
                  ("validation", "s3://sagebox-samples/churn/processed/validation", "text/csv")])
    path = ctx.work / "train-xgboost.json"
    path.write_text(json.dumps(request))
    sb.cli("train", path, "--wait")  # warm-up; fails the row if the algorithm fails
    runs = ctx.runs(8, quick=2)
    command = " ".join(sb.argv("train", path, "--wait", "--name")) + " bench-xgboost-$RANDOM$RANDOM$RANDOM"
    job = hyperfine.time_command(command, runs=runs, warmup=1, shell="bash")
    script = ctx.work / "plain_xgboost.py"
    script.write_text(PLAIN)
    plain = hyperfine.time_command(f"{RUNTIME_PYTHON} {script} {train} {validation} {ctx.work / 'plain-model'}",
                                   runs=runs, warmup=1, shell="bash")
    ratio = (sorted(job)[len(job) // 2]) / (sorted(plain)[len(plain) // 2])
    return [Result(
        row="XGBoost training", figure=f"train --wait of sagemaker-xgboost:1.7-1, churn {ROWS} rows, 100 rounds", unit="ms",
        samples=[t * 1000 for t in job], baseline_label="the same xgboost.train in plain Python",
        baseline_samples=[t * 1000 for t in plain], goal="≤ 1.2× plain Python", met=ratio <= 1.2,
        note="both read the two CSVs, train 100 rounds with the train/validation watchlist and save the model; "
             "sagebox adds the job (volume, staging, sandbox, config files) and the model's archive and upload")]
