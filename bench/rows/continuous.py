"""Row "Continuous latency": a job with S3UploadMode Continuous closes 50 files, 0.1 s apart, printing
the time just before each close(); the object's last-modified time in the store (milliseconds) says when it became visible."""
import re

from bench.core.result import Result
from bench.core.sagebox import job_request
from bench.core.stats import median, percentile

FILES = 50
CLOSED = re.compile(r"closed (file-\d+\.bin) ([\d.]+)")
# The time is taken just before close(), so the close itself counts in the latency. The script must stay
# under 256 characters: ContainerEntrypoint members are limited to that, as on AWS.
SCRIPT = f"""import os, time
os.chdir("/opt/ml/processing/output")
for i in range({FILES}):
    f = open(f"file-{{i:03d}}.bin", "wb")
    f.write(os.urandom(4096))
    t = time.time()
    f.close()
    print(f"closed file-{{i:03d}}.bin {{t:.6f}}", flush=True)
    time.sleep(0.1)
"""


def run(ctx):
    """One result: p99 of close → visible, in seconds, over every file of two jobs."""
    sb = ctx.sagebox
    sb.make_bucket("bench")
    latencies = []
    for run_index in range(ctx.runs(2, quick=1)):
        name = f"continuous-{run_index}"
        prefix = f"continuous/{run_index}/"
        request = job_request(name, ["python3", "-c", SCRIPT],
                              outputs=[(f"s3://bench/{prefix}", "/opt/ml/processing/output", "Continuous")])
        sb.run_job(request, ctx.work / f"{name}.json")
        closed = {key: float(when) for key, when in CLOSED.findall(sb.cli("logs", name))}
        with sb.database() as db:
            visible = dict(db.execute("SELECT key, last_modified_ms / 1000.0 FROM s3_objects WHERE bucket = 'bench' "
                                      "AND key LIKE ?", (prefix + "%",)).fetchall())
        if len(closed) != FILES or len(visible) != FILES:
            raise RuntimeError(f"{name}: {len(closed)} files closed, {len(visible)} objects visible")
        latencies += [visible[prefix + key] - t for key, t in closed.items()]
    p99 = percentile(latencies, 99)
    return [Result(row="Continuous latency", figure=f"file close → object visible, p99 of {len(latencies)} files",
                   unit="ms", samples=[p99 * 1000], goal="p99 ≤ 1 s", met=p99 <= 1,
                   note=f"median {median(latencies) * 1000:.1f} ms, max {max(latencies) * 1000:.1f} ms; "
                        "visible = the object's last-modified time in the store, set as it is published (1 ms resolution)",
                   extra={"latencies_s": latencies, "median_s": median(latencies)})]
