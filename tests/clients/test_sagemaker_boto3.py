"""boto3's SageMaker client against sagebox: jobs created over HTTP run in the server."""
import socket

import botocore.exceptions
import pytest

from conftest import end_of_job_output, file_input, job_request, unique, wait_for_job


def test_job_with_file_input_and_two_outputs(s3, sagemaker, bucket):
    s3.put_object(Bucket=bucket, Key="in/words.txt", Body=b"hello sagebox\n")
    name = unique("two-outputs")
    script = ("tr a-z A-Z < /opt/ml/processing/input/data/words.txt > /opt/ml/processing/upper/words.txt && "
              "wc -c < /opt/ml/processing/input/data/words.txt > /opt/ml/processing/count/count.txt && "
              "echo processed")
    created = sagemaker.create_processing_job(**job_request(
        name, script,
        inputs=[file_input("data", f"s3://{bucket}/in/", "/opt/ml/processing/input/data")],
        outputs=[end_of_job_output("upper", f"s3://{bucket}/out/upper", "/opt/ml/processing/upper"),
                 end_of_job_output("count", f"s3://{bucket}/out/count", "/opt/ml/processing/count")]))
    assert created["ProcessingJobArn"] == f"arn:aws:sagemaker:us-east-1:000000000000:processing-job/{name}"
    # Create returns at once: the job is InProgress (or already done) and describable straight away.
    first = sagemaker.describe_processing_job(ProcessingJobName=name)
    assert first["ProcessingJobStatus"] in ("InProgress", "Completed")
    job = wait_for_job(sagemaker, name)
    assert job["ProcessingJobStatus"] == "Completed", job.get("FailureReason")
    assert job["ProcessingEndTime"] >= job["CreationTime"]
    assert s3.get_object(Bucket=bucket, Key="out/upper/words.txt")["Body"].read() == b"HELLO SAGEBOX\n"
    assert s3.get_object(Bucket=bucket, Key="out/count/count.txt")["Body"].read().strip() == b"14"


def test_boto3_inside_a_job_reaches_the_server_and_no_other_host_service(s3, sagemaker, logs, bucket):
    """Issue 11, E5: the job's own network relays AWS_ENDPOINT_URL to the server, and nothing else of the
    host's loopback (here a listener of the test's own) is in reach."""
    name = unique("inner-boto3")
    with socket.socket() as other:
        other.bind(("127.0.0.1", 0))
        other.listen()
        script = ("python3 -c \"import boto3; boto3.client('s3').put_object(Bucket='$B', Key='from-job.txt', Body=b'written inside')\""
                  " && (python3 -c \"import socket; socket.create_connection(('127.0.0.1', $P), 2)\" 2>/dev/null"
                  " && echo reached || echo refused)")
        request = job_request(name, script)
        request["Environment"] = {"B": bucket, "P": str(other.getsockname()[1])}
        sagemaker.create_processing_job(**request)
        job = wait_for_job(sagemaker, name)
    assert job["ProcessingJobStatus"] == "Completed", job.get("FailureReason")
    assert s3.get_object(Bucket=bucket, Key="from-job.txt")["Body"].read() == b"written inside"
    events = logs.filter_log_events(logGroupName="/aws/sagemaker/ProcessingJobs", logStreamNamePrefix=f"{name}/")["events"]
    assert [event["message"] for event in events] == ["refused"]


def test_failing_job_reports_failure_reason(sagemaker):
    name = unique("fails")
    sagemaker.create_processing_job(**job_request(name, "echo about to fail >&2; exit 3"))
    with pytest.raises(botocore.exceptions.WaiterError) as caught:
        wait_for_job(sagemaker, name)
    assert "Failed" in str(caught.value)
    job = sagemaker.describe_processing_job(ProcessingJobName=name)
    assert job["ProcessingJobStatus"] == "Failed"
    assert job["FailureReason"].startswith("AlgorithmError")


def test_duplicate_name_is_resource_in_use(sagemaker):
    name = unique("dup")
    sagemaker.create_processing_job(**job_request(name, "true"))
    with pytest.raises(sagemaker.exceptions.ResourceInUse) as caught:
        sagemaker.create_processing_job(**job_request(name, "true"))
    assert name in caught.value.response["Error"]["Message"]
    assert caught.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400
    wait_for_job(sagemaker, name)


def test_validation_error_text(sagemaker):
    request = job_request("bad_name", "true")
    request["ProcessingResources"]["ClusterConfig"]["InstanceCount"] = 101
    with pytest.raises(botocore.exceptions.ClientError) as caught:
        sagemaker.create_processing_job(**request)
    error = caught.value.response["Error"]
    assert error["Code"] == "ValidationException"
    assert error["Message"].startswith("2 validation errors detected: ")
    assert ("Value 'bad_name' at 'processingJobName' failed to satisfy constraint: "
            "Member must satisfy regular expression pattern: ^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}") in error["Message"]
    assert ("Value '101' at 'processingResources.clusterConfig.instanceCount' failed to satisfy constraint: "
            "Member must have value less than or equal to 100") in error["Message"]


def test_describe_unknown_job_is_validation_exception(sagemaker):
    with pytest.raises(botocore.exceptions.ClientError) as caught:
        sagemaker.describe_processing_job(ProcessingJobName="no-such-job")
    assert caught.value.response["Error"]["Code"] == "ValidationException"
    assert caught.value.response["Error"]["Message"] == "Could not find requested job with name no-such-job"


def test_list_filters_and_paginator(sagemaker):
    tag = unique("lst")
    ok = [f"{tag}-ok-{i}" for i in range(3)]
    bad = f"{tag}-bad"
    for name in ok:
        sagemaker.create_processing_job(**job_request(name, "true"))
    sagemaker.create_processing_job(**job_request(bad, "exit 1"))
    for name in ok + [bad]:
        try:
            wait_for_job(sagemaker, name)
        except botocore.exceptions.WaiterError:
            pass
    completed = sagemaker.list_processing_jobs(NameContains=tag, StatusEquals="Completed", SortBy="Name",
                                               SortOrder="Ascending")["ProcessingJobSummaries"]
    assert [s["ProcessingJobName"] for s in completed] == ok
    failed = sagemaker.list_processing_jobs(NameContains=tag.upper(), StatusEquals="Failed")["ProcessingJobSummaries"]
    assert [s["ProcessingJobName"] for s in failed] == [bad]
    assert failed[0]["FailureReason"].startswith("AlgorithmError")
    pages = list(sagemaker.get_paginator("list_processing_jobs").paginate(
        NameContains=tag, SortBy="Name", PaginationConfig={"PageSize": 2}))
    assert [len(p["ProcessingJobSummaries"]) for p in pages] == [2, 2]
    assert sorted(s["ProcessingJobName"] for p in pages for s in p["ProcessingJobSummaries"]) == sorted(ok + [bad])


def test_stop_and_delete(sagemaker):
    name = unique("stop")
    sagemaker.create_processing_job(**job_request(name, "sleep 300"))
    sagemaker.stop_processing_job(ProcessingJobName=name)
    assert sagemaker.describe_processing_job(ProcessingJobName=name)["ProcessingJobStatus"] in ("Stopping", "Stopped")
    job = wait_for_job(sagemaker, name)
    assert job["ProcessingJobStatus"] == "Stopped"
    sagemaker.delete_processing_job(ProcessingJobName=name)
    with pytest.raises(botocore.exceptions.ClientError) as caught:
        sagemaker.describe_processing_job(ProcessingJobName=name)
    assert caught.value.response["Error"]["Code"] == "ValidationException"


def test_unknown_operation(sagemaker):
    with pytest.raises(botocore.exceptions.ClientError) as caught:
        sagemaker.list_notebook_instances()  # training jobs, once the example, are served now
    assert caught.value.response["Error"]["Code"] == "UnknownOperationException"
