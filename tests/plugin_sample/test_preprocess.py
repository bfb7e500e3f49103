"""Tests of preprocess.py as a SageMaker processing job, run by a local sagebox through pytest-sagebox
(pip install ./clients/python). Every test starts on an empty server (sagebox_autoreset in pytest.ini)."""
import json
import pathlib
import time

import boto3
from pytest_sagebox import logs, make_bucket, run_processing_job, upload, wait_for_job

SCRIPT = pathlib.Path(__file__).with_name("preprocess.py")


def request(name, bucket, *arguments):
    job = {
        "ProcessingJobName": name,
        "AppSpecification": {"ImageUri": "sagemaker-scikit-learn:1.2-1-cpu-py3",
                             "ContainerEntrypoint": ["python3", "/opt/ml/processing/input/code/preprocess.py"]},
        "ProcessingResources": {"ClusterConfig": {"InstanceCount": 1, "InstanceType": "ml.m5.large", "VolumeSizeInGB": 1}},
        "ProcessingInputs": [
            {"InputName": "code", "S3Input": {"S3Uri": f"s3://{bucket}/code/preprocess.py", "LocalPath": "/opt/ml/processing/input/code",
                                              "S3DataType": "S3Prefix", "S3InputMode": "File"}},
            {"InputName": "data", "S3Input": {"S3Uri": f"s3://{bucket}/raw/", "LocalPath": "/opt/ml/processing/input/data",
                                              "S3DataType": "S3Prefix", "S3InputMode": "File"}},
        ],
        "ProcessingOutputConfig": {"Outputs": [{"OutputName": "summary", "S3Output": {
            "S3Uri": f"s3://{bucket}/summary", "LocalPath": "/opt/ml/processing/output", "S3UploadMode": "EndOfJob"}}]},
    }
    if arguments:
        job["AppSpecification"]["ContainerArguments"] = list(arguments)
    return job


def test_sums_every_row():
    bucket = make_bucket("sample")  # the same name in every test: the reset frees it
    upload(str(SCRIPT), f"s3://{bucket}/code/preprocess.py")
    upload("id,amount\n1,2.5\n2,4\n", f"s3://{bucket}/raw/a.csv")
    upload("id,amount\n3,3.5\n", f"s3://{bucket}/raw/b.csv")

    job = run_processing_job(request("sum", bucket))

    assert job["ProcessingJobStatus"] == "Completed", job.get("FailureReason")
    summary = boto3.client("s3").get_object(Bucket=bucket, Key="summary/summary.json")["Body"].read()
    assert json.loads(summary) == {"rows": 3, "total": 10.0}
    assert logs(job) == ["summed 3 rows"]


def test_a_bad_amount_fails_the_job_and_names_the_row():
    bucket = make_bucket("sample")
    upload(str(SCRIPT), f"s3://{bucket}/code/preprocess.py")
    upload("id,amount\n1,2.5\n2,lots\n", f"s3://{bucket}/raw/a.csv")

    job = run_processing_job(request("sum", bucket))

    assert job["ProcessingJobStatus"] == "Failed"
    assert job["ExitMessage"] == "a.csv:3: amount 'lots' is not a number"
    assert "bad row a.csv:3" in logs(job)
    # AWS uploads nothing of a failed job.
    assert "Contents" not in boto3.client("s3").list_objects_v2(Bucket=bucket, Prefix="summary/")


def test_a_stopped_job_ends_stopped_without_output():
    bucket = make_bucket("sample")
    upload(str(SCRIPT), f"s3://{bucket}/code/preprocess.py")
    upload("id,amount\n1,1\n", f"s3://{bucket}/raw/a.csv")
    sagemaker = boto3.client("sagemaker")
    sagemaker.create_processing_job(RoleArn="arn:aws:iam::000000000000:role/SageMakerRole",
                                    **request("sum", bucket, "--hold-seconds", "300"))
    deadline = time.monotonic() + 120
    while "holding" not in logs("sum"):
        assert time.monotonic() < deadline, "the job never started holding"
        time.sleep(0.2)

    sagemaker.stop_processing_job(ProcessingJobName="sum")
    job = wait_for_job("sum", timeout=60)

    assert job["ProcessingJobStatus"] == "Stopped"
    assert "Contents" not in boto3.client("s3").list_objects_v2(Bucket=bucket, Prefix="summary/")
