"""Helpers that each do one thing against the server `sagebox_env` points AWS clients at
(AWS_ENDPOINT_URL), through boto3 as the code under test would."""
import os
import pathlib
import time
import uuid

import boto3

# Any ARN of this form is accepted; sagebox has no IAM to check it against.
DEFAULT_ROLE_ARN = "arn:aws:iam::000000000000:role/SageMakerRole"
TERMINAL = {"Completed", "Failed", "Stopped"}


def client(service):
    """A boto3 client from the current environment (a fresh session: credentials set by `sagebox_env` apply)."""
    return boto3.session.Session().client(service)


def make_bucket(name=None):
    """Creates a bucket (a unique name when none is given) and returns its name."""
    name = name or f"sagebox-test-{uuid.uuid4().hex[:12]}"
    client("s3").create_bucket(Bucket=name)
    return name


def _split(uri):
    if not uri.startswith("s3://"):
        raise ValueError(f"not an s3:// URI: {uri!r}")
    bucket, _, key = uri[len("s3://"):].partition("/")
    return bucket, key


def upload(source, uri):
    """Uploads `source` to the S3 URI `uri` and returns `uri`: bytes or str become one object; a file is
    uploaded to `uri` itself; a folder's files go under `uri` as a prefix, keeping their relative paths."""
    bucket, key = _split(uri)
    s3 = client("s3")
    if isinstance(source, (bytes, str)) and not (isinstance(source, str) and os.path.exists(source)):
        s3.put_object(Bucket=bucket, Key=key, Body=source.encode() if isinstance(source, str) else source)
        return uri
    path = pathlib.Path(source)
    if path.is_dir():
        prefix = key if not key or key.endswith("/") else key + "/"
        for file in sorted(p for p in path.rglob("*") if p.is_file()):
            s3.upload_file(str(file), bucket, prefix + file.relative_to(path).as_posix())
    else:
        s3.upload_file(str(path), bucket, key)
    return uri


def wait_for_job(name, timeout=600, interval=0.5):
    """Polls DescribeProcessingJob until the job ends; returns the final description."""
    sagemaker = client("sagemaker")
    deadline = time.monotonic() + timeout
    while True:
        description = sagemaker.describe_processing_job(ProcessingJobName=name)
        if description["ProcessingJobStatus"] in TERMINAL:
            return description
        if time.monotonic() > deadline:
            raise TimeoutError(f"processing job {name} still {description['ProcessingJobStatus']} after {timeout} s")
        time.sleep(interval)


def run_processing_job(request, timeout=600):
    """CreateProcessingJob with `request` (a RoleArn is filled in when missing), then waits until the job
    ends; returns the final DescribeProcessingJob answer, whatever the status."""
    request = {"RoleArn": DEFAULT_ROLE_ARN, **request}
    client("sagemaker").create_processing_job(**request)
    return wait_for_job(request["ProcessingJobName"], timeout=timeout)


def logs(job, kind="ProcessingJobs"):
    """The log lines of a job (its name or its description), every instance's, in order, from CloudWatch Logs."""
    name = job if isinstance(job, str) else job.get("ProcessingJobName") or job["TrainingJobName"]
    if not isinstance(job, str) and "TrainingJobName" in job:
        kind = "TrainingJobs"
    group = f"/aws/sagemaker/{kind}"
    cloudwatch = client("logs")
    lines = []
    streams = cloudwatch.get_paginator("describe_log_streams").paginate(logGroupName=group, logStreamNamePrefix=f"{name}/")
    for page in streams:
        for stream in page["logStreams"]:
            token = None
            while True:
                arguments = {"logGroupName": group, "logStreamName": stream["logStreamName"], "startFromHead": True}
                if token:
                    arguments["nextToken"] = token
                answer = cloudwatch.get_log_events(**arguments)
                lines += [event["message"] for event in answer["events"]]
                if not answer["events"] or answer["nextForwardToken"] == token:
                    break
                token = answer["nextForwardToken"]
    return lines
