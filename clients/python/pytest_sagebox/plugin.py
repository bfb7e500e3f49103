"""The pytest plugin (entry point `pytest11: sagebox`). Inert until a test asks for one of its fixtures,
unless `sagebox_autoreset = true` is set in the ini file (then every test starts on an empty server)."""
import os
import pathlib

import boto3
import pytest

from .sdk_config import SDK_CONFIG, SDK_CONFIG_VARIABLES
from .server import SageboxError, SageboxServer

REGION = "us-east-1"


def pytest_addoption(parser):
    group = parser.getgroup("sagebox")
    group.addoption("--sagebox-bin", default=None, help="the sagebox binary (default: $SAGEBOX_BIN, else PATH)")
    parser.addini("sagebox_autoreset", type="bool", default=False,
                  help="reset the sagebox server before every test (as if each used sagebox_reset)")
    parser.addini("sagebox_stop_grace", default="5", help="seconds between SIGTERM and SIGKILL when a job is stopped")
    parser.addini("sagebox_default_bucket", default="sagebox-default",
                  help="the SageMaker SDK's DefaultS3Bucket in the config file sagebox_env writes")


@pytest.fixture(scope="session")
def sagebox_server(pytestconfig):
    """One `sagebox serve --ephemeral` for the session; its root is removed when it stops."""
    try:
        server = SageboxServer(binary=pytestconfig.getoption("sagebox_bin"),
                               stop_grace=float(pytestconfig.getini("sagebox_stop_grace"))).start()
    except SageboxError as error:
        pytest.fail(str(error), pytrace=False)
    yield server
    server.stop()


@pytest.fixture(scope="session")
def sagebox_endpoint(sagebox_server):
    """The session's server URL, `http://127.0.0.1:PORT`."""
    return sagebox_server.endpoint


@pytest.fixture
def sagebox_env(sagebox_endpoint, monkeypatch, tmp_path_factory, pytestconfig):
    """Points every AWS client of the test at the server: AWS_ENDPOINT_URL, dummy credentials, the region, and
    a private AWS config (nothing of the user's ~/.aws leaks in) and SageMaker SDK config (TelemetryOptOut,
    DefaultS3Bucket). Returns the variables it set; they are restored after the test."""
    folder = tmp_path_factory.mktemp("sagebox-env")
    bucket = pytestconfig.getini("sagebox_default_bucket")
    aws_config = folder / "aws-config"
    aws_config.write_text(f"[default]\nregion = {REGION}\n")
    credentials = folder / "aws-credentials"
    credentials.write_text("[default]\naws_access_key_id = test\naws_secret_access_key = test\n")
    sdk_config = folder / "sagemaker-config.yaml"
    sdk_config.write_text(SDK_CONFIG.format(bucket=bucket))
    values = {
        "AWS_ENDPOINT_URL": sagebox_endpoint,
        "AWS_ACCESS_KEY_ID": "test",
        "AWS_SECRET_ACCESS_KEY": "test",
        "AWS_DEFAULT_REGION": REGION,
        "AWS_REGION": REGION,
        "AWS_CONFIG_FILE": str(aws_config),
        "AWS_SHARED_CREDENTIALS_FILE": str(credentials),
        "SAGEMAKER_SUPPRESS_V2_WARNING": "1",
        **{name: str(sdk_config) for name in SDK_CONFIG_VARIABLES},
    }
    for name, value in values.items():
        monkeypatch.setenv(name, value)
    for name in ("AWS_PROFILE", "AWS_DEFAULT_PROFILE", "AWS_SESSION_TOKEN", "AWS_SECURITY_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    # boto3's default session keeps the credentials it resolved first.
    monkeypatch.setattr(boto3, "DEFAULT_SESSION", None)
    return values


@pytest.fixture
def sagebox_reset(sagebox_server):
    """Empties the server before the test: running jobs are stopped and waited for, then buckets, jobs,
    pipelines and models are deleted. Returns the server's answer."""
    try:
        return sagebox_server.reset()
    except SageboxError as error:
        pytest.fail(str(error), pytrace=False)


@pytest.fixture(autouse=True)
def _sagebox_autoreset(request):
    if request.config.getini("sagebox_autoreset"):
        request.getfixturevalue("sagebox_reset")
        request.getfixturevalue("sagebox_env")
