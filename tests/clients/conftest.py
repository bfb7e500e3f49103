"""A `sagebox serve` on a free port over a fresh root, shared by every client test of the session.

The binary is $SAGEBOX_BIN, else `sagebox` in `swift build --show-bin-path`. Clients reach the
server only through AWS_ENDPOINT_URL, as a user's code would.
"""
import contextlib
import importlib.metadata
import os
import pathlib
import re
import signal
import subprocess
import sys
import time
import uuid

import boto3
import pytest

REPO = pathlib.Path(__file__).resolve().parents[2]
# The SDK config text the pytest plugin writes (clients/python), read from the checkout: the SDK v3's venv
# does not install the plugin.
sys.path.insert(0, str(REPO / "clients" / "python"))
from pytest_sagebox.sdk_config import SDK_CONFIG, SDK_CONFIG_VARIABLES  # noqa: E402


def sagemaker_sdk_major():
    """The major version of the `sagemaker` package installed here (2: the SDK v2, 3: the SDK v3), or None."""
    try:
        return int(importlib.metadata.version("sagemaker").split(".")[0])
    except importlib.metadata.PackageNotFoundError:
        return None


# The SDK v3 tests (sdk3/) run in a venv of their own (.venv-sdk3): `sagemaker` 3.x and the SDK v2's
# `sagemaker` 2.x are one package name. Each venv collects only its own tests.
collect_ignore_glob = ["test_*.py"] if sagemaker_sdk_major() == 3 else ["sdk3"]


def sagebox_binary():
    if os.environ.get("SAGEBOX_BIN"):
        return os.environ["SAGEBOX_BIN"]
    bin_path = subprocess.run(["swift", "build", "--show-bin-path"], cwd=REPO, check=True,
                              capture_output=True, text=True).stdout.strip()
    return os.path.join(bin_path, "sagebox")


class Server:
    def __init__(self, url, root, process, log_path, log_file):
        self.url = url
        self.root = root
        self.process = process
        self.log_path = log_path
        self.log_file = log_file

    def log(self):
        return self.log_path.read_text(errors="replace")

    def stop(self):
        """Ends the server (SIGTERM, then SIGKILL if it lingers) and closes its log."""
        if self.process.poll() is None:
            self.process.terminate()
        try:
            self.process.wait(timeout=15)
        finally:
            if self.process.poll() is None:
                self.process.kill()
                self.process.wait()
            self.log_file.close()


def start_server(root, log_path, extra_args=()):
    """Starts `sagebox serve` on a free port over `root` (with `extra_args`), its stderr appended to
    `log_path`; returns once it listens."""
    log = open(log_path, "a")
    process = subprocess.Popen([sagebox_binary(), "serve", "--port", "0", "--root", str(root), "--stop-grace", "2",
                                *extra_args],
                               stdout=subprocess.PIPE, stderr=log, text=True)
    line = process.stdout.readline()
    match = re.fullmatch(r"sagebox listening on (http://127\.0\.0\.1:\d+)\n", line)
    assert match, f"unexpected first line {line!r}; log:\n{log_path.read_text()}"
    return Server(match.group(1), root, process, log_path, log)


# Nothing from the user's own AWS configuration may leak in.
CLIENT_ENVIRONMENT = {
    "AWS_ACCESS_KEY_ID": "test",
    "AWS_SECRET_ACCESS_KEY": "test",
    "AWS_DEFAULT_REGION": "us-east-1",
    "AWS_CONFIG_FILE": "/dev/null",
    "AWS_SHARED_CREDENTIALS_FILE": "/dev/null",
}


@pytest.fixture(scope="session")
def server(tmp_path_factory):
    root = tmp_path_factory.mktemp("sagebox-root")
    running = start_server(root, root.parent / "server.log")
    saved = dict(os.environ)
    os.environ.update({"AWS_ENDPOINT_URL": running.url, **CLIENT_ENVIRONMENT})
    os.environ.pop("AWS_PROFILE", None)
    yield running
    try:
        running.stop()
    finally:
        os.environ.clear()
        os.environ.update(saved)


# The keys of the `serve --credentials` server: its first is what its jobs get.
SIGNED_KEYS = {"AKIASAGEBOXTESTKEY01": "first/secret+with=signs", "AKIASAGEBOXTESTKEY02": "second-secret"}


def write_credentials_file(path):
    """SIGNED_KEYS in the AWS shared-credentials format, one profile each; returns `path`."""
    path.write_text("".join(f"[key{index}]\naws_access_key_id = {key}\naws_secret_access_key = {secret}\n"
                            for index, (key, secret) in enumerate(SIGNED_KEYS.items())))
    return path


@pytest.fixture(scope="module")
def signed_server(tmp_path_factory):
    """A `sagebox serve --credentials FILE` (SIGNED_KEYS) over a fresh root; for the module, os.environ points
    AWS clients at it with its second key (jobs get its first)."""
    root = tmp_path_factory.mktemp("sagebox-signed-root")
    credentials = write_credentials_file(root.parent / "credentials")
    running = start_server(root, root.parent / "signed-server.log", ["--credentials", str(credentials)])
    key, secret = list(SIGNED_KEYS.items())[1]
    # boto3's default session (made by an earlier test's SDK) keeps the credentials it resolved first:
    # clients of this module must resolve them from the environment set here.
    boto3.DEFAULT_SESSION = None
    try:
        with environment(**{**CLIENT_ENVIRONMENT, "AWS_ENDPOINT_URL": running.url, "AWS_ACCESS_KEY_ID": key,
                            "AWS_SECRET_ACCESS_KEY": secret}):
            yield running
    finally:
        boto3.DEFAULT_SESSION = None
        running.stop()


@pytest.fixture(scope="session")
def s3(server):
    return boto3.client("s3")


@pytest.fixture(scope="session")
def sagemaker(server):
    return boto3.client("sagemaker")


@pytest.fixture(scope="session")
def logs(server):
    return boto3.client("logs")


@pytest.fixture
def bucket(s3):
    name = unique("bucket")
    s3.create_bucket(Bucket=name)
    return name


def unique(prefix):
    return f"{prefix}-{uuid.uuid4().hex[:10]}"


def job_request(name, script, inputs=(), outputs=(), image="sagebox/test:latest"):
    """A CreateProcessingJob request whose entrypoint is `/bin/sh -c script`."""
    request = {
        "ProcessingJobName": name,
        "RoleArn": "arn:aws:iam::000000000000:role/SageMakerRole",
        "AppSpecification": {"ImageUri": image, "ContainerEntrypoint": ["/bin/sh", "-c", script]},
        "ProcessingResources": {"ClusterConfig": {"InstanceCount": 1, "InstanceType": "ml.t3.medium", "VolumeSizeInGB": 1}},
    }
    if inputs:
        request["ProcessingInputs"] = list(inputs)
    if outputs:
        request["ProcessingOutputConfig"] = {"Outputs": list(outputs)}
    return request


def file_input(name, uri, local_path):
    return {"InputName": name, "S3Input": {"S3Uri": uri, "LocalPath": local_path, "S3DataType": "S3Prefix",
                                           "S3InputMode": "File", "S3DataDistributionType": "FullyReplicated"}}


def end_of_job_output(name, uri, local_path):
    return {"OutputName": name, "S3Output": {"S3Uri": uri, "LocalPath": local_path, "S3UploadMode": "EndOfJob"}}


def wait_for_job(sagemaker, name):
    """The CLI's and boto3's own waiter, polling every second instead of every minute."""
    sagemaker.get_waiter("processing_job_completed_or_stopped").wait(
        ProcessingJobName=name, WaiterConfig={"Delay": 1, "MaxAttempts": 120})
    return sagemaker.describe_processing_job(ProcessingJobName=name)


def wait_until(predicate, timeout=60):
    deadline = time.time() + timeout
    while time.time() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.5)
    raise AssertionError("condition not met in time")


@contextlib.contextmanager
def environment(**values):
    """os.environ with `values` set; afterwards each key is back as it was (unset again if it was unset)."""
    saved = {key: os.environ.get(key) for key in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


@pytest.fixture(scope="module")
def sagemaker_core_config(tmp_path_factory):
    """sagemaker-core reads intelligent defaults from /etc/xdg and ~/.config; point it at an empty config."""
    config = tmp_path_factory.mktemp("sagemaker-core-config") / "config.yaml"
    config.write_text("SchemaVersion: '1.0'\n")
    with environment(SAGEMAKER_CORE_ADMIN_CONFIG_OVERRIDE=str(config), SAGEMAKER_CORE_USER_CONFIG_OVERRIDE=str(config)):
        yield config


@contextlib.contextmanager
def sdk_config(folder, default_bucket):
    """A config file of the test's own in `folder`, naming `default_bucket` (telemetry off), in force for
    the block for the SDK v2 or v3; every location variable points there, so neither /etc/xdg nor
    ~/.config is read. Yields its path."""
    config = pathlib.Path(folder) / "config.yaml"
    config.write_text(SDK_CONFIG.format(bucket=default_bucket))
    with environment(SAGEMAKER_SUPPRESS_V2_WARNING="1", **{name: str(config) for name in SDK_CONFIG_VARIABLES}):
        yield config


@contextlib.contextmanager
def sagemaker_sdk(folder, default_bucket):
    """The `sagemaker` module (SDK v2) with sdk_config(folder, default_bucket) in force."""
    with sdk_config(folder, default_bucket):
        import sagemaker
        import sagemaker.exceptions
        import sagemaker.processing
        import sagemaker.sklearn.processing
        yield sagemaker


class RestartableServer:
    """A server over one root that a test may kill with SIGKILL and start again."""

    def __init__(self, root, log_path):
        self.root = root
        self.log_path = log_path
        self.current = start_server(root, log_path)

    def client(self, service, config=None):
        return boto3.client(service, endpoint_url=self.current.url, config=config)

    def kill_hard(self):
        """SIGKILL, as a crash or the OOM killer would: no cleanup of any kind runs."""
        os.kill(self.current.process.pid, signal.SIGKILL)
        self.current.process.wait(timeout=30)
        self.current.log_file.close()

    def restart(self):
        self.current = start_server(self.root, self.log_path)


@pytest.fixture
def own_server(tmp_path, monkeypatch):
    for name, value in CLIENT_ENVIRONMENT.items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("AWS_PROFILE", raising=False)
    root = tmp_path / "root"
    root.mkdir()
    running = RestartableServer(root, tmp_path / "server.log")
    yield running
    running.current.stop()
