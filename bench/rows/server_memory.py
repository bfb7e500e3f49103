"""Row "server memory": RSS of an idle `sagebox serve`, and how much it grows while the AWS CLI uploads a
5 GiB (sparse) file to it, from /proc/PID/status sampled every 20 ms."""
import os
import subprocess
import threading
import time

from bench.core.result import Result
from bench.core.servers import sagebox_serve

SIZE = 5 << 30
MB, MiB = 1e6, 1 << 20


def _status_kib(pid, field):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith(field + ":"):
                return int(line.split()[1]) * 1024
    raise RuntimeError(f"no {field} for {pid}")


class _Sampler(threading.Thread):
    """Keeps the highest VmRSS seen until stopped."""

    def __init__(self, pid):
        super().__init__(daemon=True)
        self.pid, self.peak, self.stopped = pid, 0, threading.Event()

    def run(self):
        while not self.stopped.is_set():
            self.peak = max(self.peak, _status_kib(self.pid, "VmRSS"))
            time.sleep(0.02)


def run(ctx):
    """Two results: idle RSS (MB) and growth during the upload (MiB)."""
    source = ctx.work / "five-gib.bin"
    with open(source, "wb") as f:
        f.truncate(SIZE)  # sparse: reads as zeros at memory speed, takes no disk
    try:
        with sagebox_serve(ctx.sagebox) as server:
            server.client("s3").create_bucket(Bucket="memory")
            time.sleep(2)
            pid = server.process.pid
            idle = _status_kib(pid, "VmRSS")
            sampler = _Sampler(pid)
            sampler.start()
            started = time.perf_counter()
            subprocess.run([str(ctx.venv_bin / "aws"), "s3", "cp", "--only-show-errors", str(source),
                            "s3://memory/five-gib.bin"], check=True, env={**os.environ, **server.cli_env()})
            seconds = time.perf_counter() - started
            sampler.stopped.set()
            sampler.join()
            hwm = _status_kib(pid, "VmHWM")
            server.client("s3").delete_object(Bucket="memory", Key="five-gib.bin")
    finally:
        source.unlink(missing_ok=True)
    growth = max(sampler.peak, hwm) - idle
    return [
        Result(row="server memory", figure="RSS of idle sagebox serve", unit="MB", samples=[idle / MB],
               goal="≤ 50 MB", met=idle / MB <= 50),
        Result(row="server memory", figure="RSS growth during a 5 GiB aws s3 cp", unit="MiB", samples=[growth / MiB],
               goal="≤ 64 MiB", met=growth / MiB <= 64,
               note=f"peak VmRSS {sampler.peak / MiB:.0f} MiB, VmHWM {hwm / MiB:.0f} MiB, idle {idle / MiB:.0f} MiB; "
                    f"upload took {seconds:.1f} s ({SIZE / seconds / 1e9:.2f} GB/s)"),
    ]
