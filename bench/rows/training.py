"""Rows "training overhead" and "XGBoost training" (issue 13): `sagebox train --wait` of a training job
whose container runs `true`, against an exec of `true`; and the built-in XGBoost algorithm on the churn
sample's training data, against the same `xgboost.train` in a plain Python process."""
import json
import pathlib
import statistics
import subprocess

from bench.core import hyperfine
from bench.core.result import Result

RUNS = 30
REPO = pathlib.Path(__file__).resolve().parents[2]


def training_request(name, entrypoint=None, image="bench/train", channels=(), hyperparameters=None):
    """A CreateTrainingJob request: one ml.m5.large instance, File-mode S3Prefix channels (name, S3Uri, ContentType)."""
    algorithm = {"TrainingImage": image, "TrainingInputMode": "File"}
    if entrypoint:
        algorithm["ContainerEntrypoint"] = list(entrypoint)
    request = {
        "TrainingJobName": name,
        "RoleArn": "arn:aws:iam::123456789012:role/bench",
        "AlgorithmSpecification": algorithm,
        "OutputDataConfig": {"S3OutputPath": "s3://bench/training/models"},
        "ResourceConfig": {"InstanceType": "ml.m5.large", "InstanceCount": 1, "VolumeSizeInGB": 1},
        "StoppingCondition": {"MaxRuntimeInSeconds": 3600},
    }
    if channels:
        request["InputDataConfig"] = [
            {"ChannelName": channel, "ContentType": content_type, "DataSource": {"S3DataSource": {
                "S3DataType": "S3Prefix", "S3Uri": uri, "S3DataDistributionType": "FullyReplicated"}}}
            for channel, uri, content_type in channels]
    if hyperparameters:
        request["HyperParameters"] = hyperparameters
    return request


def _overhead(ctx):
    sb = ctx.sagebox
    sb.make_bucket("bench")
    path = ctx.work / "train-true.json"
    path.write_text(json.dumps(training_request("train-true", ["true"])))
    sb.cli("train", path, "--wait")  # warm-up of the page cache and the store
    command = " ".join(sb.argv("train", path, "--wait", "--name")) + " train-true-$RANDOM$RANDOM$RANDOM"
    job = hyperfine.time_command(command, runs=ctx.runs(RUNS), warmup=2, shell="bash")
    true = hyperfine.time_command("true", runs=ctx.runs(RUNS) * 3, warmup=3, shell="none")
    overhead_ms = [(t - statistics.median(true)) * 1000 for t in job]
    median_overhead = statistics.median(overhead_ms)
    return Result(
        row="training overhead", figure="train --wait of `true` (model.tar.gz of an empty model)", unit="ms",
        samples=[t * 1000 for t in job], baseline_label="exec of `true`", baseline_samples=[t * 1000 for t in true],
        goal="overhead ≤ 50 ms", met=median_overhead <= 50,
        note=f"overhead {median_overhead:.0f} ms median (train − true): a processing job's steps plus the "
             f"config files and the model's archive",
        extra={"overhead_ms": {"median": median_overhead, "samples": overhead_ms}})


def run(ctx):
    """The overhead row, then the XGBoost row when the job runtime has xgboost (the repo's .venv)."""
    rows = [_overhead(ctx)]
    from bench.rows import training_xgboost
    rows += training_xgboost.run(ctx, training_request)
    return rows
