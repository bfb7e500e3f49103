"""The servers a row talks to: `sagebox serve`, `moto_server` (the baseline), a static file server."""
import contextlib
import os
import pathlib
import subprocess
import sys

import boto3
from botocore.config import Config

from bench.core.ports import free_port, wait_listening

CREDENTIALS = {"AWS_ACCESS_KEY_ID": "bench", "AWS_SECRET_ACCESS_KEY": "bench", "AWS_DEFAULT_REGION": "us-east-1"}
STATIC_SERVER = pathlib.Path(__file__).with_name("static_server.py")


class Server:
    """A running HTTP server: its process, port and endpoint, and boto3 clients for it."""

    def __init__(self, name, process, port):
        self.name, self.process, self.port = name, process, port
        self.endpoint = f"http://127.0.0.1:{port}"

    def client(self, service):
        """A boto3 client of `service` pointed at this server."""
        return boto3.client(service, endpoint_url=self.endpoint, region_name="us-east-1",
                            aws_access_key_id="bench", aws_secret_access_key="bench",
                            config=Config(retries={"max_attempts": 1}, s3={"addressing_style": "path"}))

    def cpu_seconds(self):
        """User + system CPU time the server process (all its threads) has used so far."""
        with open(f"/proc/{self.process.pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def cli_env(self):
        """Environment for the AWS CLI (or any SDK) to talk to this server."""
        return {**CREDENTIALS, "AWS_ENDPOINT_URL": self.endpoint}


@contextlib.contextmanager
def _serving(name, argv, port, env=None):
    log = open(os.devnull, "w")
    process = subprocess.Popen(argv, stdout=log, stderr=log, env={**os.environ, **(env or {})})
    try:
        wait_listening(port, process)
        yield Server(name, process, port)
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()


def sagebox_serve(sagebox):
    """`sagebox serve` on a free port, over the Sagebox's root."""
    port = free_port()
    return _serving("sagebox", [sagebox.binary, "--root", str(sagebox.root), "serve", "--port", str(port)], port)


def moto_server(venv_bin):
    """moto_server (all services) on a free port."""
    port = free_port()
    return _serving("moto", [str(pathlib.Path(venv_bin) / "moto_server"), "-p", str(port)], port)


def static_server(folder):
    """A static file server over `folder` that answers GET with sendfile (bench/core/static_server.py)."""
    port = free_port()
    return _serving("static", [sys.executable, str(STATIC_SERVER), str(folder), str(port)], port)
