"""`serve --ephemeral` and the reset endpoint (issue 15), against real `sagebox serve` processes.

- --ephemeral: the first stdout line is {"endpoint": ...}; the temporary root goes when the server stops,
  on SIGTERM as on Ctrl-C (SIGINT) or a closed terminal (SIGHUP), a running job included.
- POST /_sagebox/reset and /moto-api/reset: refused (403) on a server without --ephemeral or --allow-reset,
  the root unchanged; allowed, they stop running jobs, wait, and empty the root, without following a
  link a job left to a host folder.
"""
import json
import os
import pathlib
import re
import signal
import subprocess
import time
import urllib.error
import urllib.request

import boto3
import pytest

from conftest import job_request, sagebox_binary, start_server, unique, wait_until


def clients(url):
    session = boto3.session.Session(aws_access_key_id="test", aws_secret_access_key="test", region_name="us-east-1")
    return session.client("s3", endpoint_url=url), session.client("sagemaker", endpoint_url=url)


def post(url):
    """POSTs an empty body; returns (status, decoded JSON answer)."""
    request = urllib.request.Request(url, data=b"", method="POST")
    try:
        with urllib.request.urlopen(request, timeout=300) as answer:
            return answer.status, json.load(answer)
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


class Ephemeral:
    """`sagebox serve --ephemeral --port 0`, its stderr in `log_path`."""

    def __init__(self, log_path):
        self.log_path = log_path
        self.log_file = open(log_path, "w")
        self.process = subprocess.Popen([sagebox_binary(), "serve", "--ephemeral", "--port", "0", "--stop-grace", "2"],
                                        stdout=subprocess.PIPE, stderr=self.log_file, text=True)
        self.first_line = self.process.stdout.readline()
        self.second_line = self.process.stdout.readline()
        self.endpoint = json.loads(self.first_line)["endpoint"]
        self.root = pathlib.Path(re.search(r"ephemeral root (\S+),", log_path.read_text()).group(1))

    def stop(self, signum=signal.SIGTERM):
        if self.process.poll() is None:
            self.process.send_signal(signum)
        try:
            return self.process.wait(timeout=60)
        finally:
            if self.process.poll() is None:
                self.process.kill()
            self.log_file.close()


@pytest.fixture
def host_canary(tmp_path):
    """A host folder outside every root, holding canary.txt."""
    folder = tmp_path / "host-folder"
    folder.mkdir()
    (folder / "canary.txt").write_text("canary\n")
    return folder


def plant_links(job_folder, host_folder):
    """What a job on a plain-folder volume (where no volume can be mounted, sagebox keeps its opt-ml for
    inspection) leaves in its folder: a link to a host folder, a link to a host file, and, where a folder
    of the layout is gone, a link in its place."""
    instance = job_folder / "algo-1"
    (instance / "left-behind").mkdir(parents=True, exist_ok=True)
    (instance / "left-behind" / "host-folder").symlink_to(host_folder, target_is_directory=True)
    (instance / "left-behind" / "host-file").symlink_to(host_folder / "canary.txt")
    (job_folder / "host-folder").symlink_to(host_folder, target_is_directory=True)
    if not (instance / "staging").exists():
        (instance / "staging").symlink_to(host_folder, target_is_directory=True)


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT, signal.SIGHUP], ids=["SIGTERM", "Ctrl-C", "SIGHUP"])
def test_an_ephemeral_server_prints_its_endpoint_first_and_removes_its_root_when_stopped(tmp_path, signum, host_canary):
    server = Ephemeral(tmp_path / "serve.log")
    try:
        assert re.fullmatch(r'\{"endpoint": "http://127\.0\.0\.1:\d+"\}\n', server.first_line)
        assert server.second_line == f"sagebox listening on {server.endpoint}\n"
        assert server.root.is_dir() and (server.root / "sagebox.sqlite").exists()
        s3, sagemaker = clients(server.endpoint)
        s3.create_bucket(Bucket="data")
        s3.put_object(Bucket="data", Key="in/x.csv", Body=b"a,b\n")
        # A job still running when the signal comes: killed, its volume unmounted, then the root goes.
        name = unique("running")
        sagemaker.create_processing_job(**job_request(name, "echo started; sleep 300"))
        wait_until(lambda: (server.root / "jobs").exists() and any((server.root / "jobs").iterdir())
                   and sagemaker.describe_processing_job(ProcessingJobName=name).get("ProcessingStartTime"))
        plant_links(next((server.root / "jobs").iterdir()), host_canary)
    finally:
        code = server.stop(signum)
    assert code == 0, server.log_path.read_text()
    assert not server.root.exists(), server.log_path.read_text()
    assert (host_canary / "canary.txt").read_text() == "canary\n"
    assert sorted(p.name for p in host_canary.iterdir()) == ["canary.txt"]
    # Nothing of the job outlives the server: no mount left under the temporary root.
    assert str(server.root) not in pathlib.Path("/proc/self/mounts").read_text()


def test_ephemeral_and_root_together_are_refused():
    result = subprocess.run([sagebox_binary(), "serve", "--ephemeral", "--root", "/tmp/x"], capture_output=True, text=True)
    assert result.returncode != 0
    assert "--ephemeral makes a root of its own" in result.stderr


def tree(root):
    """Every path under the root with its size and mtime, and the database's rows, for an unchanged check."""
    files = {}
    for path in sorted(root.rglob("*")):
        if path.name.startswith("sagebox.sqlite"):
            continue  # the WAL and shm files change on reads too
        info = path.lstat()
        files[str(path.relative_to(root))] = (info.st_size, info.st_mtime_ns)
    return files


def test_reset_is_refused_on_a_server_that_was_not_told_it_may_reset(tmp_path):
    root = tmp_path / "root"
    server = start_server(root, tmp_path / "serve.log")
    try:
        s3, sagemaker = clients(server.url)
        s3.create_bucket(Bucket="keep")
        s3.put_object(Bucket="keep", Key="data.csv", Body=b"precious\n")
        name = unique("kept")
        sagemaker.create_processing_job(**job_request(name, "echo done"))
        wait_until(lambda: sagemaker.describe_processing_job(ProcessingJobName=name)["ProcessingJobStatus"] == "Completed")
        before = tree(root)
        for path in ("/_sagebox/reset", "/moto-api/reset"):
            status, answer = post(server.url + path)
            assert status == 403
            assert answer["__type"] == "ResetNotAllowed"
            assert "sagebox serve --ephemeral" in answer["message"] and "--allow-reset" in answer["message"]
            assert "Nothing was changed" in answer["message"]
        assert tree(root) == before
        assert [b["Name"] for b in s3.list_buckets()["Buckets"]] == ["keep"]
        assert s3.get_object(Bucket="keep", Key="data.csv")["Body"].read() == b"precious\n"
        assert [j["ProcessingJobName"] for j in sagemaker.list_processing_jobs()["ProcessingJobSummaries"]] == [name]
    finally:
        server.stop()


@pytest.mark.parametrize("path", ["/_sagebox/reset", "/moto-api/reset"])
def test_reset_stops_running_jobs_and_empties_the_root_without_following_links(tmp_path, path, host_canary):
    root = tmp_path / "root"
    server = start_server(root, tmp_path / "serve.log", ["--allow-reset"])
    try:
        s3, sagemaker = clients(server.url)
        s3.create_bucket(Bucket="data")
        s3.put_object(Bucket="data", Key="in/x.csv", Body=b"a,b\n")
        done = unique("done")
        # The job links a host folder into its outputs and its /tmp, as a hostile job would.
        script = f"ln -s {host_canary} /opt/ml/processing/output/host; ln -s {host_canary} /tmp/host; echo done"
        sagemaker.create_processing_job(**job_request(done, script, outputs=[{
            "OutputName": "out", "S3Output": {"S3Uri": "s3://data/out", "LocalPath": "/opt/ml/processing/output",
                                              "S3UploadMode": "EndOfJob"}}]))
        wait_until(lambda: sagemaker.describe_processing_job(ProcessingJobName=done)["ProcessingJobStatus"] == "Completed")
        running = unique("running")
        sagemaker.create_processing_job(**job_request(running, "trap '' TERM; echo started; sleep 300"))
        wait_until(lambda: sagemaker.describe_processing_job(ProcessingJobName=running).get("ProcessingStartTime"))
        for folder in (root / "jobs").iterdir():
            if folder.name.startswith(done):
                plant_links(folder, host_canary)

        started = time.monotonic()
        status, answer = post(server.url + path)
        elapsed = time.monotonic() - started

        assert status == 200, answer
        assert answer["status"] == "ok"
        assert answer["stoppedJobs"] == [running]
        # The running job ignored SIGTERM: the reset waited for its stop grace (2 s) and its SIGKILL.
        assert elapsed >= 2
        assert s3.list_buckets()["Buckets"] == []
        assert sagemaker.list_processing_jobs()["ProcessingJobSummaries"] == []
        assert list((root / "buckets").iterdir()) == [] and list((root / "jobs").iterdir()) == []
        assert (host_canary / "canary.txt").read_text() == "canary\n"
        assert sorted(p.name for p in host_canary.iterdir()) == ["canary.txt"]
        # The names are free again, as on a fresh server.
        s3.create_bucket(Bucket="data")
        sagemaker.create_processing_job(**job_request(done, "echo again"))
        wait_until(lambda: sagemaker.describe_processing_job(ProcessingJobName=done)["ProcessingJobStatus"] == "Completed")
    finally:
        server.stop()


def test_reset_stops_a_running_pipeline_execution_and_its_step_job(tmp_path):
    server = Ephemeral(tmp_path / "serve.log")
    try:
        _, sagemaker = clients(server.endpoint)
        step = {"Name": "Hold", "Type": "Processing", "Arguments": {
            "ProcessingResources": {"ClusterConfig": {"InstanceCount": 1, "InstanceType": "ml.t3.medium", "VolumeSizeInGB": 1}},
            "AppSpecification": {"ImageUri": "sagebox/test:latest", "ContainerEntrypoint": ["/bin/sh", "-c", "sleep 300"]},
            "RoleArn": "arn:aws:iam::000000000000:role/SageMakerRole"}}
        sagemaker.create_pipeline(PipelineName="held", RoleArn="arn:aws:iam::000000000000:role/SageMakerRole",
                                  PipelineDefinition=json.dumps({"Version": "2020-12-01", "Steps": [step]}))
        arn = sagemaker.start_pipeline_execution(PipelineName="held")["PipelineExecutionArn"]
        wait_until(lambda: sagemaker.list_processing_jobs(StatusEquals="InProgress")["ProcessingJobSummaries"])

        status, answer = post(server.endpoint + "/_sagebox/reset")

        assert status == 200, answer
        assert answer["stoppedPipelineExecutions"] == [arn]
        assert sagemaker.list_pipelines()["PipelineSummaries"] == []
        assert sagemaker.list_processing_jobs()["ProcessingJobSummaries"] == []
        # The same names start again, as on a fresh server.
        sagemaker.create_pipeline(PipelineName="held", RoleArn="arn:aws:iam::000000000000:role/SageMakerRole",
                                  PipelineDefinition=json.dumps({"Version": "2020-12-01", "Steps": []}))
    finally:
        assert server.stop() == 0
    assert not server.root.exists()
