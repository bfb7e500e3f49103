"""Training jobs over boto3 (issue 13): CreateTrainingJob, the waiter, Describe with its secondary
statuses and metrics, the TrainingJobs log group, List, Stop, tags, and a restart between the calls."""
import io
import signal
import tarfile

import botocore.exceptions
import pytest

from conftest import unique

ROLE = "arn:aws:iam::000000000000:role/SageMakerRole"


def training_request(bucket, name, script, channels=(), hyperparameters=None, metrics=None, max_runtime=3600):
    """A CreateTrainingJob whose container runs `script`, stored in the fake S3 and given as channel `code`."""
    return {
        "TrainingJobName": name,
        "RoleArn": ROLE,
        "AlgorithmSpecification": {
            "TrainingImage": "sagebox/byoc:latest", "TrainingInputMode": "File",
            "ContainerEntrypoint": ["/bin/sh", f"/opt/ml/input/data/code/{name}.sh"],
            **({"MetricDefinitions": metrics} if metrics else {}),
        },
        **({"HyperParameters": hyperparameters} if hyperparameters else {}),
        "InputDataConfig": [
            {"ChannelName": "code", "DataSource": {"S3DataSource": {
                "S3DataType": "S3Prefix", "S3Uri": f"s3://{bucket}/code/{name}.sh", "S3DataDistributionType": "FullyReplicated"}}},
            *channels,
        ],
        "OutputDataConfig": {"S3OutputPath": f"s3://{bucket}/models"},
        "ResourceConfig": {"InstanceType": "ml.m5.large", "InstanceCount": 1, "VolumeSizeInGB": 1},
        "StoppingCondition": {"MaxRuntimeInSeconds": max_runtime},
    }


def create(s3, sagemaker, bucket, name, script, **options):
    s3.put_object(Bucket=bucket, Key=f"code/{name}.sh", Body=script.encode())
    return sagemaker.create_training_job(**training_request(bucket, name, script, **options))


def wait(sagemaker, name):
    """botocore's own TrainingJobCompletedOrStopped waiter, polling every second instead of every two minutes."""
    sagemaker.get_waiter("training_job_completed_or_stopped").wait(
        TrainingJobName=name, WaiterConfig={"Delay": 1, "MaxAttempts": 120})
    return sagemaker.describe_training_job(TrainingJobName=name)


def test_a_training_job_runs_uploads_its_model_and_reports_its_metrics(s3, sagemaker, logs, bucket):
    s3.put_object(Bucket=bucket, Key="train/data.csv", Body=b"1,2\n0,3\n")
    name = unique("fit")
    script = ("cp /opt/ml/input/data/train/data.csv /opt/ml/model/weights.csv; "
              "cat /opt/ml/input/config/hyperparameters.json; echo; "
              "printf '[0]\\ttrain-auc:0.6\\tvalidation-auc:0.7\\n[1]\\ttrain-auc:0.8\\tvalidation-auc:0.91\\n'")
    created = create(s3, sagemaker, bucket, name, script, hyperparameters={"num_round": "2"},
                     channels=[{"ChannelName": "train", "ContentType": "text/csv", "DataSource": {"S3DataSource": {
                         "S3DataType": "S3Prefix", "S3Uri": f"s3://{bucket}/train/", "S3DataDistributionType": "FullyReplicated"}}}],
                     metrics=[{"Name": "validation:auc", "Regex": ".*\\[[0-9]+\\].*#011validation-auc:(\\S+)"}])
    assert created["TrainingJobArn"] == f"arn:aws:sagemaker:us-east-1:000000000000:training-job/{name}"
    job = wait(sagemaker, name)
    assert job["TrainingJobStatus"] == "Completed", job.get("FailureReason")
    assert job["SecondaryStatus"] == "Completed"
    assert job["ModelArtifacts"]["S3ModelArtifacts"] == f"s3://{bucket}/models/{name}/output/model.tar.gz"
    assert [t["Status"] for t in job["SecondaryStatusTransitions"]] == ["Starting", "Downloading", "Training", "Uploading", "Completed"]
    assert job["SecondaryStatusTransitions"][-1]["StatusMessage"] == "Training job completed"
    assert [(m["MetricName"], m["Value"]) for m in job["FinalMetricDataList"]] == [("validation:auc", 0.91)]
    assert job["HyperParameters"] == {"num_round": "2"}
    assert job["TrainingTimeInSeconds"] >= 1 and job["BillableTimeInSeconds"] == job["TrainingTimeInSeconds"]
    body = s3.get_object(Bucket=bucket, Key=f"models/{name}/output/model.tar.gz")["Body"].read()
    with tarfile.open(fileobj=io.BytesIO(body)) as archive:
        assert archive.getnames() == ["weights.csv"]
        assert archive.extractfile("weights.csv").read() == b"1,2\n0,3\n"
    streams = logs.describe_log_streams(logGroupName="/aws/sagemaker/TrainingJobs", logStreamNamePrefix=f"{name}/")["logStreams"]
    assert len(streams) == 1 and streams[0]["logStreamName"].startswith(f"{name}/algo-1-")
    events = logs.get_log_events(logGroupName="/aws/sagemaker/TrainingJobs", logStreamName=streams[0]["logStreamName"])["events"]
    assert [e["message"] for e in events][-1] == "[1]#011train-auc:0.8#011validation-auc:0.91"
    summaries = sagemaker.list_training_jobs(NameContains=name)["TrainingJobSummaries"]
    assert [(s["TrainingJobName"], s["TrainingJobStatus"], s["SecondaryStatus"]) for s in summaries] == [(name, "Completed", "Completed")]
    # Processing jobs and training jobs are listed apart.
    assert all(s["ProcessingJobName"] != name for s in sagemaker.list_processing_jobs(MaxResults=100)["ProcessingJobSummaries"])


def test_a_failed_training_job_reports_its_failure_file(s3, sagemaker, bucket):
    name = unique("fit-fails")
    create(s3, sagemaker, bucket, name, "printf 'framework error: \\nMissing required hyperparameter: num_round' > /opt/ml/output/failure; exit 1")
    with pytest.raises(botocore.exceptions.WaiterError):
        wait(sagemaker, name)
    job = sagemaker.describe_training_job(TrainingJobName=name)
    assert (job["TrainingJobStatus"], job["SecondaryStatus"]) == ("Failed", "Failed")
    assert job["FailureReason"] == "AlgorithmError: framework error: \nMissing required hyperparameter: num_round"


def test_stop_ends_a_training_job_stopped_with_its_model(s3, sagemaker, bucket):
    name = unique("fit-stop")
    create(s3, sagemaker, bucket, name, "trap 'echo saved > /opt/ml/model/m; exit 0' TERM; echo started; while true; do sleep 0.1; done")
    for _ in range(100):
        if sagemaker.describe_training_job(TrainingJobName=name)["SecondaryStatus"] == "Training":
            break
        import time
        time.sleep(0.1)
    sagemaker.stop_training_job(TrainingJobName=name)
    assert sagemaker.describe_training_job(TrainingJobName=name)["TrainingJobStatus"] in ("Stopping", "Stopped")
    job = wait(sagemaker, name)
    assert (job["TrainingJobStatus"], job["SecondaryStatus"]) == ("Stopped", "Stopped")
    assert "FailureReason" not in job
    assert s3.head_object(Bucket=bucket, Key=f"models/{name}/output/model.tar.gz")["ContentLength"] > 0
    with pytest.raises(botocore.exceptions.ClientError) as refused:
        sagemaker.stop_training_job(TrainingJobName=name)
    assert refused.value.response["Error"] == {
        "Code": "ValidationException", "Message": "The request was rejected because the training job is in status Stopped."}


def test_max_runtime_ends_a_training_job_with_max_runtime_exceeded(s3, sagemaker, bucket):
    name = unique("fit-slow")
    create(s3, sagemaker, bucket, name, "sleep 60", max_runtime=1)
    job = wait(sagemaker, name)
    assert (job["TrainingJobStatus"], job["SecondaryStatus"]) == ("Stopped", "MaxRuntimeExceeded")


def test_training_job_validation_and_names(s3, sagemaker, bucket):
    name = unique("fit-dup")
    create(s3, sagemaker, bucket, name, "true")
    with pytest.raises(botocore.exceptions.ClientError) as taken:
        sagemaker.create_training_job(**training_request(bucket, name, "true"))
    assert taken.value.response["Error"]["Code"] == "ResourceInUse"
    assert "a training job with this name already exists" in taken.value.response["Error"]["Message"]
    with pytest.raises(botocore.exceptions.ClientError) as unknown:
        sagemaker.describe_training_job(TrainingJobName="no-such-training-job")
    assert unknown.value.response["Error"] == {"Code": "ValidationException", "Message": "Could not find requested job with name no-such-training-job"}
    request = training_request(bucket, unique("fit-bad"), "true")
    request["InputDataConfig"].append(dict(request["InputDataConfig"][0]))
    with pytest.raises(botocore.exceptions.ClientError) as duplicate:
        sagemaker.create_training_job(**request)
    assert "Channel names must be unique" in duplicate.value.response["Error"]["Message"]
    wait(sagemaker, name)


def test_tags_on_a_training_job_arn(s3, sagemaker, bucket):
    name = unique("fit-tags")
    arn = create(s3, sagemaker, bucket, name, "true")["TrainingJobArn"]
    sagemaker.add_tags(ResourceArn=arn, Tags=[{"Key": "team", "Value": "ml"}])
    assert sagemaker.list_tags(ResourceArn=arn)["Tags"] == [{"Key": "team", "Value": "ml"}]
    wait(sagemaker, name)


def test_a_training_job_survives_a_server_restart_between_the_calls(own_server, tmp_path):
    s3 = own_server.client("s3")
    s3.create_bucket(Bucket="restart")
    sagemaker = own_server.client("sagemaker")
    name = unique("fit-restart")
    create(s3, sagemaker, "restart", name, "echo ok > /opt/ml/model/m")
    wait(sagemaker, name)
    own_server.current.stop()
    own_server.restart()
    sagemaker = own_server.client("sagemaker")
    job = sagemaker.describe_training_job(TrainingJobName=name)
    assert (job["TrainingJobStatus"], job["SecondaryStatus"]) == ("Completed", "Completed")
    assert len(job["SecondaryStatusTransitions"]) == 5
    assert [s["TrainingJobName"] for s in sagemaker.list_training_jobs()["TrainingJobSummaries"]] == [name]
