"""One `sagebox serve --ephemeral` process: started on a free port, reset between tests, stopped at the end."""
import json
import os
import re
import selectors
import shutil
import signal
import subprocess
import tempfile
import urllib.error
import urllib.request


class SageboxError(RuntimeError):
    """sagebox could not be found, started, reset or stopped; the message says why."""


def find_binary(explicit=None):
    """`explicit`, else $SAGEBOX_BIN, else `sagebox` on PATH."""
    candidate = explicit or os.environ.get("SAGEBOX_BIN") or shutil.which("sagebox")
    if not candidate:
        raise SageboxError("sagebox not found: set SAGEBOX_BIN to the sagebox binary, pass --sagebox-bin, "
                           "or put sagebox on PATH")
    if not (os.path.isfile(candidate) and os.access(candidate, os.X_OK)):
        raise SageboxError(f"sagebox binary {candidate!r} is not an executable file")
    return candidate


class SageboxServer:
    """`sagebox serve --ephemeral --port 0`: a fresh root in a temporary folder that the server removes when
    it stops. `endpoint` is the URL it printed on its first line; `root` the folder it announced."""

    def __init__(self, binary=None, stop_grace=5, extra_args=(), start_timeout=60):
        self.binary = find_binary(binary)
        self.stop_grace = stop_grace
        self.extra_args = list(extra_args)
        self.start_timeout = start_timeout
        self.process = None
        self.endpoint = None
        self.root = None
        self.log_path = None

    def start(self):
        log = tempfile.NamedTemporaryFile(prefix="sagebox-serve-", suffix=".log", delete=False)
        self.log_path = log.name
        self.process = subprocess.Popen(
            [self.binary, "serve", "--ephemeral", "--port", "0", "--stop-grace", str(self.stop_grace), *self.extra_args],
            stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=log)
        log.close()
        line = self._first_line()
        try:
            self.endpoint = json.loads(line)["endpoint"]
        except (ValueError, KeyError, TypeError):
            self.stop()
            raise SageboxError(f"sagebox serve printed {line!r} instead of its endpoint; log:\n{self.log()}")
        match = re.search(r"ephemeral root (\S+),", self.log())
        self.root = match.group(1) if match else None
        return self

    def _first_line(self):
        selector = selectors.DefaultSelector()
        selector.register(self.process.stdout, selectors.EVENT_READ)
        if not selector.select(timeout=self.start_timeout):
            self.stop()
            raise SageboxError(f"sagebox serve did not start within {self.start_timeout} s; log:\n{self.log()}")
        line = self.process.stdout.readline().decode()
        if not line:
            self.process.wait()
            raise SageboxError(f"sagebox serve exited with {self.process.returncode}; log:\n{self.log()}")
        return line

    def reset(self):
        """Stops every job and pipeline execution, waits for them, and empties the root (POST /_sagebox/reset).
        Returns the server's answer (`stoppedJobs`, `stoppedPipelineExecutions`)."""
        request = urllib.request.Request(f"{self.endpoint}/_sagebox/reset", data=b"", method="POST")
        try:
            with urllib.request.urlopen(request, timeout=self.stop_grace + 120) as answer:
                return json.load(answer)
        except urllib.error.HTTPError as error:
            raise SageboxError(f"sagebox reset failed ({error.code}): {error.read().decode(errors='replace')}")

    def log(self):
        """What the server wrote on stderr: one line per request, and its notes."""
        if not self.log_path or not os.path.exists(self.log_path):
            return ""
        with open(self.log_path, errors="replace") as file:
            return file.read()

    def stop(self, timeout=60):
        """SIGTERM (the server fails its running jobs and removes its root), then SIGKILL if it lingers."""
        if self.process is None:
            return
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.process.stdout.close()

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()
