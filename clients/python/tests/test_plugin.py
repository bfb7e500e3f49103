"""pytest-sagebox's own tests, against the real sagebox binary ($SAGEBOX_BIN or PATH)."""
import configparser
import json
import os
import re
import urllib.request

import boto3
import pytest

from pytest_sagebox import SageboxServer, logs, make_bucket, run_processing_job, upload

pytest_plugins = ["pytester"]

ROLE = "arn:aws:iam::000000000000:role/SageMakerRole"


def shell_job(name, script, **extra):
    return {"ProcessingJobName": name,
            "AppSpecification": {"ImageUri": "sagebox/test:latest", "ContainerEntrypoint": ["/bin/sh", "-c", script]},
            "ProcessingResources": {"ClusterConfig": {"InstanceCount": 1, "InstanceType": "ml.t3.medium", "VolumeSizeInGB": 1}},
            **extra}


def test_the_endpoint_is_an_ephemeral_server_of_the_session(sagebox_server, sagebox_endpoint):
    assert re.fullmatch(r"http://127\.0\.0\.1:\d+", sagebox_endpoint)
    assert sagebox_server.root and os.path.isdir(sagebox_server.root)
    assert sagebox_server.root.startswith(os.environ.get("TMPDIR", "/tmp"))


def test_sagebox_env_points_clients_at_the_server_with_a_private_configuration(sagebox_env, sagebox_endpoint):
    assert os.environ["AWS_ENDPOINT_URL"] == sagebox_endpoint
    assert boto3.client("sts").get_caller_identity()["Account"]
    session = boto3.session.Session()
    assert session.region_name == "us-east-1"
    assert session.get_credentials().access_key == "test"
    credentials = configparser.ConfigParser()
    credentials.read(os.environ["AWS_SHARED_CREDENTIALS_FILE"])
    assert credentials["default"]["aws_access_key_id"] == "test"
    sdk_config = open(os.environ["SAGEMAKER_USER_CONFIG_OVERRIDE"]).read()
    assert "TelemetryOptOut: true" in sdk_config and "DefaultS3Bucket: sagebox-default" in sdk_config
    assert os.environ["SAGEMAKER_ADMIN_CONFIG_OVERRIDE"] == os.environ["SAGEMAKER_USER_CONFIG_OVERRIDE"]


def test_the_helpers_run_a_job_from_uploaded_inputs_and_read_its_logs(sagebox_env, tmp_path):
    bucket = make_bucket()
    assert bucket in [b["Name"] for b in boto3.client("s3").list_buckets()["Buckets"]]
    (tmp_path / "folder" / "sub").mkdir(parents=True)
    (tmp_path / "folder" / "sub" / "b.txt").write_text("from a folder\n")
    assert upload(str(tmp_path / "folder"), f"s3://{bucket}/in/") == f"s3://{bucket}/in/"
    upload(b"from bytes\n", f"s3://{bucket}/in/a.txt")
    job = run_processing_job(shell_job(
        "helpers", "cat /opt/ml/processing/input/a.txt /opt/ml/processing/input/sub/b.txt; echo line3",
        ProcessingInputs=[{"InputName": "in", "S3Input": {"S3Uri": f"s3://{bucket}/in/", "LocalPath": "/opt/ml/processing/input",
                                                          "S3DataType": "S3Prefix", "S3InputMode": "File"}}]))
    assert job["ProcessingJobStatus"] == "Completed"
    assert job["RoleArn"] == ROLE
    assert logs(job) == ["from bytes", "from a folder", "line3"]
    assert logs("helpers") == logs(job)


def test_run_processing_job_returns_a_failed_description_too(sagebox_env):
    job = run_processing_job(shell_job("fails", "echo broken; exit 3"))
    assert job["ProcessingJobStatus"] == "Failed"
    assert job["FailureReason"] == "AlgorithmError: See job logs for more information"
    assert logs(job) == ["broken"]


def test_sagebox_reset_empties_the_server(sagebox_env, sagebox_server):
    make_bucket("to-be-reset")
    answer = sagebox_server.reset()
    assert answer["status"] == "ok"
    assert boto3.client("s3").list_buckets()["Buckets"] == []


def test_a_server_removes_its_root_when_it_stops():
    server = SageboxServer().start()
    root = server.root
    request = urllib.request.Request(f"{server.endpoint}/", method="GET")
    with urllib.request.urlopen(request) as answer:
        assert answer.status == 200
    server.stop()
    assert server.process.returncode == 0
    assert not os.path.exists(root)


def test_autoreset_lets_every_test_reuse_the_same_names(pytester):
    pytester.makeini("[pytest]\nsagebox_autoreset = true\n")
    pytester.makepyfile("""
        import boto3
        from pytest_sagebox import make_bucket

        def test_first():
            make_bucket("same-name")

        def test_second():
            assert boto3.client("s3").list_buckets()["Buckets"] == []
            make_bucket("same-name")
        """)
    result = pytester.runpytest_subprocess()
    result.assert_outcomes(passed=2)


def test_without_autoreset_the_names_collide(pytester):
    pytester.makepyfile("""
        import boto3
        from pytest_sagebox import make_bucket

        def test_first(sagebox_env):
            make_bucket("same-name")

        def test_second(sagebox_env):
            assert [b["Name"] for b in boto3.client("s3").list_buckets()["Buckets"]] == ["same-name"]
        """)
    result = pytester.runpytest_subprocess()
    result.assert_outcomes(passed=2)


def test_a_missing_binary_fails_with_a_clear_message(pytester, monkeypatch):
    monkeypatch.setenv("SAGEBOX_BIN", "")
    monkeypatch.setenv("PATH", "/nonexistent")
    pytester.makepyfile("""
        def test_needs_server(sagebox_endpoint):
            pass
        """)
    result = pytester.runpytest_subprocess()
    result.assert_outcomes(errors=1)
    result.stdout.fnmatch_lines(["*sagebox not found: set SAGEBOX_BIN*"])


def test_the_sagemaker_sdk_reads_the_private_config(sagebox_env):
    """The SDK (v2 where installed, as in the repo's test venv) takes its default bucket from sagebox_env's
    config file instead of asking STS at amazonaws.com, and creates it in sagebox."""
    sagemaker = pytest.importorskip("sagemaker")
    session = sagemaker.Session()
    assert session.sagemaker_config["SageMaker"]["PythonSDK"]["Modules"]["TelemetryOptOut"] is True
    assert session.default_bucket() == "sagebox-default"
    assert "sagebox-default" in [b["Name"] for b in boto3.client("s3").list_buckets()["Buckets"]]
