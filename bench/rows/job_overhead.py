"""Row "job overhead": `sagebox run --wait` of a job running `true`, one 1-file input, one output,
against an exec of `true`; the timeline says where the time goes."""
import statistics

from bench.core import hyperfine
from bench.core.result import Result
from bench.core.sagebox import between, job_request

RUNS = 30


def _phases(sagebox, names):
    """Median seconds of each step of the timeline, over the jobs timed."""
    steps = {
        "Created → staging (volume mkfs + mount, folders, config)": ("Created", "Staging inputs"),
        "staging": ("Staging inputs", "Inputs staged"),
        "launch → exit (sandbox + cgroup + true)": ("Instances starting", "algo-1 exited"),
        "exit → upload done": ("algo-1 exited", "Uploaded"),
        "upload → Completed (volume removed)": ("Uploaded", "Completed"),
    }
    timelines = [sagebox.timeline(n) for n in names]
    return {label: statistics.median(between(t, a, b) for t in timelines) for label, (a, b) in steps.items()}


def run(ctx):
    """Times both commands with hyperfine and breaks the overhead down from the jobs' timelines."""
    sb = ctx.sagebox
    sb.make_bucket("bench")
    (ctx.work / "one.txt").write_text("one\n")
    sb.cli("s3", "cp", ctx.work / "one.txt", "s3://bench/overhead/in/one.txt")
    request = job_request("overhead", ["true"], inputs=[("s3://bench/overhead/in/", "/opt/ml/processing/input")],
                          outputs=[("s3://bench/overhead/out/", "/opt/ml/processing/output", "EndOfJob")])
    path = ctx.work / "overhead.json"
    sb.run_job(request, path)  # also the warm-up of the page cache and the store
    before = {n for (n,) in sb.database().execute("SELECT name FROM jobs WHERE kind = 'ProcessingJob'")}
    # $RANDOM is a bash builtin: a unique name per run without forking anything hyperfine would count.
    command = " ".join(sb.argv("run", path, "--wait", "--name")) + " overhead-$RANDOM$RANDOM$RANDOM"
    job = hyperfine.time_command(command, runs=ctx.runs(RUNS), warmup=2, shell="bash")
    true = hyperfine.time_command("true", runs=ctx.runs(RUNS) * 3, warmup=3, shell="none")
    names = [n for (n,) in sb.database().execute("SELECT name FROM jobs WHERE kind = 'ProcessingJob' AND name LIKE 'overhead-%'")
             if n not in before]
    phases = _phases(sb, names)
    overhead_ms = [(t - statistics.median(true)) * 1000 for t in job]
    breakdown = "; ".join(f"{k} {v * 1000:.0f} ms" for k, v in phases.items())
    median_overhead = statistics.median(overhead_ms)
    return [Result(
        row="job overhead", figure="run --wait of `true`, 1-file input, 1 output", unit="ms",
        samples=[t * 1000 for t in job], baseline_label="exec of `true`", baseline_samples=[t * 1000 for t in true],
        goal="overhead ≤ 25 ms", met=median_overhead <= 25,
        note=f"overhead {median_overhead:.0f} ms median (run − true). Timeline medians: {breakdown}; "
             f"the rest is the sagebox process itself (start, store open, job row).",
        extra={"overhead_ms": {"median": median_overhead, "samples": overhead_ms},
               "timeline_ms": {k: v * 1000 for k, v in phases.items()}})]
