"""CloudWatch Logs over a job's output, STS and IAM, as the SageMaker SDKs call them."""
import boto3
import botocore.exceptions
import pytest

from conftest import job_request, unique, wait_for_job

GROUP = "/aws/sagemaker/ProcessingJobs"


def test_get_caller_identity(server):
    identity = boto3.client("sts").get_caller_identity()
    assert identity["Account"] == "000000000000"
    assert identity["Arn"] == "arn:aws:iam::000000000000:user/sagebox"


def test_get_role(server):
    role = boto3.client("iam").get_role(RoleName="SageMakerRole")["Role"]
    assert role["Arn"] == "arn:aws:iam::000000000000:role/SageMakerRole"
    assert role["RoleName"] == "SageMakerRole"


def test_simulate_principal_policy_allows_every_action(server):
    """The SDK v3's ModelTrainer validates its role so (sagemaker.core.helper.iam_role_resolver): through the
    paginator, on the actions it simulates; every action is allowed (nothing checks permissions)."""
    actions = ["ecr:GetAuthorizationToken", "cloudwatch:PutMetricData", "ec2:DescribeVpcs"]
    pages = list(boto3.client("iam").get_paginator("simulate_principal_policy").paginate(
        PolicySourceArn="arn:aws:iam::000000000000:role/SageMakerRole", ActionNames=actions))
    assert len(pages) == 1 and pages[0]["IsTruncated"] is False
    assert [(r["EvalActionName"], r["EvalResourceName"], r["EvalDecision"]) for r in pages[0]["EvaluationResults"]] == [
        (action, "*", "allowed") for action in actions]


def test_simulate_principal_policy_without_actions(server):
    with pytest.raises(botocore.exceptions.ClientError) as refused:
        boto3.client("iam").simulate_principal_policy(PolicySourceArn="arn:aws:iam::000000000000:role/SageMakerRole",
                                                      ActionNames=[])
    assert refused.value.response["Error"]["Code"] == "ValidationError"
    assert "Value null at 'actionNames'" in refused.value.response["Error"]["Message"]


def test_unknown_log_group(logs):
    with pytest.raises(logs.exceptions.ResourceNotFoundException):
        logs.describe_log_streams(logGroupName="/aws/nothing-here")


@pytest.fixture(scope="module")
def logged_job(sagemaker):
    name = unique("logs")
    sagemaker.create_processing_job(**job_request(name, "for i in $(seq 1 25); do echo line-$i; done; echo needle >&2"))
    wait_for_job(sagemaker, name)
    return name


def test_log_streams_of_a_job(logs, logged_job):
    streams = logs.describe_log_streams(logGroupName=GROUP, logStreamNamePrefix=f"{logged_job}/",
                                        orderBy="LogStreamName", limit=1)["logStreams"]
    assert len(streams) == 1
    assert streams[0]["logStreamName"].startswith(f"{logged_job}/algo-1-")


def test_get_log_events_until_an_empty_page(logs, logged_job):
    stream = logs.describe_log_streams(logGroupName=GROUP, logStreamNamePrefix=f"{logged_job}/")["logStreams"][0]["logStreamName"]
    messages, token, pages = [], None, 0
    while True:
        kwargs = {"nextToken": token} if token else {}
        page = logs.get_log_events(logGroupName=GROUP, logStreamName=stream, startFromHead=True, limit=10, **kwargs)
        pages += 1
        if not page["events"]:
            # The SDK's reader stops on an empty page; its forward token is the one just sent.
            assert page["nextForwardToken"] == token
            break
        messages += [e["message"] for e in page["events"]]
        token = page["nextForwardToken"]
        assert pages < 10
    assert [m for m in messages if m.startswith("line-")] == [f"line-{i}" for i in range(1, 26)]
    assert "needle" in messages
    # Without startFromHead the newest events come back first page.
    tail = logs.get_log_events(logGroupName=GROUP, logStreamName=stream, limit=2)["events"]
    assert len(tail) == 2


def test_filter_log_events(logs, logged_job):
    found = logs.filter_log_events(logGroupName=GROUP, logStreamNamePrefix=f"{logged_job}/", filterPattern="needle")
    assert [e["message"] for e in found["events"]] == ["needle"]
    assert found["events"][0]["logStreamName"].startswith(f"{logged_job}/")


def test_missing_log_stream(logs, logged_job):
    with pytest.raises(logs.exceptions.ResourceNotFoundException):
        logs.get_log_events(logGroupName=GROUP, logStreamName=f"{logged_job}/algo-9-0")
