"""Training jobs through the AWS CLI (issue 13), as a CI workflow would drive them: `create-training-job
--cli-input-json file://...` for the built-in XGBoost, `describe-training-job --query`, `list-training-jobs`,
and `stop-training-job` of a long BYOC job.

The CLI's own `aws sagemaker wait training-job-completed-or-stopped` is botocore's waiter, which polls every
120 s (up to 180 times) and takes no delay option: a job of a few seconds would hold the test for two minutes,
so the tests poll `describe-training-job --query TrainingJobStatus` every second instead."""
import io
import json
import tarfile
import time

import botocore.session
import numpy

from conftest import unique
from test_aws_cli import aws

ROLE = "arn:aws:iam::000000000000:role/SageMakerRole"
IMAGE = "683313688378.dkr.ecr.us-east-1.amazonaws.com/sagemaker-xgboost:1.7-1"


def training_request(name, bucket, image, channels, hyperparameters=None, entrypoint=None):
    return {
        "TrainingJobName": name,
        "RoleArn": ROLE,
        "AlgorithmSpecification": {"TrainingImage": image, "TrainingInputMode": "File",
                                   **({"ContainerEntrypoint": entrypoint} if entrypoint else {})},
        **({"HyperParameters": hyperparameters} if hyperparameters else {}),
        "InputDataConfig": [
            {"ChannelName": channel, "ContentType": "text/csv", "DataSource": {"S3DataSource": {
                "S3DataType": "S3Prefix", "S3Uri": uri, "S3DataDistributionType": "FullyReplicated"}}}
            for channel, uri in channels.items()],
        "OutputDataConfig": {"S3OutputPath": f"s3://{bucket}/models"},
        "ResourceConfig": {"InstanceType": "ml.m5.large", "InstanceCount": 1, "VolumeSizeInGB": 1},
        "StoppingCondition": {"MaxRuntimeInSeconds": 600},
    }


def create(tmp_path, request):
    path = tmp_path / f"{request['TrainingJobName']}.json"
    path.write_text(json.dumps(request))
    return json.loads(aws("sagemaker", "create-training-job", "--cli-input-json", f"file://{path}").stdout)


def bucket_with(tmp_path, prefix, key, text):
    """A new bucket (`aws s3 mb`) holding `text` at `key` (`aws s3 cp`); returns its name."""
    bucket = unique(prefix)
    aws("s3", "mb", f"s3://{bucket}")
    path = tmp_path / key.rsplit("/", 1)[-1]
    path.write_text(text)
    aws("s3", "cp", str(path), f"s3://{bucket}/{key}")
    return bucket


def describe(name, query):
    return aws("sagemaker", "describe-training-job", "--training-job-name", name, "--query", query,
               "--output", "text").stdout.strip()


def wait_for(name, statuses=("Completed", "Failed", "Stopped"), timeout=60):
    """Polls the job's TrainingJobStatus every second until it is one of `statuses`; returns it."""
    deadline = time.time() + timeout
    while (status := describe(name, "TrainingJobStatus")) not in statuses:
        assert time.time() < deadline, f"{name} still {status}"
        time.sleep(1)
    return status


def test_the_cli_waiter_polls_every_two_minutes():
    """Why the tests poll themselves (if botocore's waiter ever polls faster, use it here)."""
    waiter = botocore.session.get_session().get_waiter_model("sagemaker").get_waiter("TrainingJobCompletedOrStopped")
    assert (waiter.delay, waiter.max_attempts) == (120, 180)


def test_create_describe_list_an_xgboost_training_job(server, tmp_path):
    # XGBoost's CSV: the label first, no header.
    features = numpy.random.default_rng(7).random((200, 3))
    rows = numpy.column_stack([(features[:, 0] > 0.5).astype(int), features])
    csv = io.StringIO()
    numpy.savetxt(csv, rows, delimiter=",", fmt="%g")
    bucket = bucket_with(tmp_path, "clitrain", "train/train.csv", csv.getvalue())
    name = unique("cli-xgb")
    created = create(tmp_path, training_request(
        name, bucket, IMAGE, {"train": f"s3://{bucket}/train/"},
        hyperparameters={"objective": "binary:logistic", "num_round": "10", "max_depth": "3"}))
    assert created == {"TrainingJobArn": f"arn:aws:sagemaker:us-east-1:000000000000:training-job/{name}"}

    assert wait_for(name) == "Completed", describe(name, "FailureReason")
    assert describe(name, "SecondaryStatus") == "Completed"
    assert describe(name, "SecondaryStatusTransitions[].Status").split() == [
        "Starting", "Downloading", "Training", "Uploading", "Completed"]
    model_data = describe(name, "ModelArtifacts.S3ModelArtifacts")
    assert model_data == f"s3://{bucket}/models/{name}/output/model.tar.gz"
    archive = tmp_path / "model.tar.gz"
    aws("s3", "cp", model_data, str(archive))
    with tarfile.open(archive) as opened:
        assert opened.getnames() == ["xgboost-model"]

    listed = json.loads(aws("sagemaker", "list-training-jobs", "--name-contains", name).stdout)
    assert [(s["TrainingJobName"], s["TrainingJobStatus"], s["SecondaryStatus"])
            for s in listed["TrainingJobSummaries"]] == [(name, "Completed", "Completed")]
    assert listed["TrainingJobSummaries"][0]["TrainingJobArn"] == created["TrainingJobArn"]


def test_a_bad_hyperparameter_shows_the_containers_text_in_describe(server, tmp_path):
    bucket = bucket_with(tmp_path, "clitrain-bad", "train/train.csv", "1,0.5\n0,0.1\n")
    name = unique("cli-xgb-bad")
    create(tmp_path, training_request(name, bucket, IMAGE, {"train": f"s3://{bucket}/train/"},
                                      hyperparameters={"num_round": "2", "max_depth": "5.0"}))
    assert wait_for(name) == "Failed"
    reason = describe(name, "FailureReason")
    assert reason.startswith("AlgorithmError: ") and "Hyperparameter max_depth: could not parse value" in reason


def test_stop_a_long_byoc_training_job(server, tmp_path):
    name = unique("cli-byoc")
    bucket = bucket_with(tmp_path, "clitrain-stop", f"code/{name}.sh", "trap 'exit 0' TERM; while true; do sleep 0.1; done\n")
    create(tmp_path, training_request(name, bucket, "sagebox/byoc:latest", {"code": f"s3://{bucket}/code/{name}.sh"},
                                      entrypoint=["/bin/sh", f"/opt/ml/input/data/code/{name}.sh"]))
    deadline = time.time() + 30
    while describe(name, "SecondaryStatus") != "Training":
        assert time.time() < deadline
        time.sleep(0.5)
    stopped = aws("sagemaker", "stop-training-job", "--training-job-name", name)
    assert stopped.stdout == ""
    assert wait_for(name) == "Stopped"
    assert describe(name, "SecondaryStatus") == "Stopped"
    listed = json.loads(aws("sagemaker", "list-training-jobs", "--status-equals", "Stopped").stdout)
    assert name in [s["TrainingJobName"] for s in listed["TrainingJobSummaries"]]
    again = aws("sagemaker", "stop-training-job", "--training-job-name", name, check=False)
    assert again.returncode == 255
    assert ("An error occurred (ValidationException) when calling the StopTrainingJob operation: "
            "The request was rejected because the training job is in status Stopped.") in again.stderr
