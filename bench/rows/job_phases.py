"""Shared by the staging and upload rows: jobs that copy their input to their output, timed phase by
phase from their timelines, and `cp -a` of the same bucket folder as the baseline.

The staging phase is "Staging inputs for algo-1" → "Inputs staged" (after the volume is mounted);
the upload phase is "Uploading outputs" → "Uploaded N object(s)" (EndOfJob, after the job exited).
"""
from bench.core import hyperfine
from bench.core.datasets import make_folder
from bench.core.result import Result
from bench.core.sagebox import between, job_request

DATASETS = {
    "large": {"count": 1000, "size": 1 << 20, "label": "1 GiB in 1,000 objects"},
    "small": {"count": 20000, "size": 4096, "label": "20,000 objects of 4 KiB"},
}
RUNS = 3


def measure(ctx, dataset):
    """{"staging": [s], "upload": [s], "cp": [s], "label": ...} for `dataset`, measured once per bench run."""
    key = f"phases-{dataset}"
    if key not in ctx.cache:
        ctx.cache[key] = _measure(ctx, dataset)
    return ctx.cache[key]


def _measure(ctx, dataset):
    spec = DATASETS[dataset]
    sb = ctx.sagebox
    sb.make_bucket("bench")
    source = make_folder(ctx.data / dataset, spec["count"], spec["size"])
    if not sb.bucket_folder("bench", f"{dataset}/in").exists():
        sb.seed(source, f"s3://bench/{dataset}/in/")
    folder = sb.bucket_folder("bench", f"{dataset}/in")
    staging, upload = [], []
    for i in range(ctx.runs(RUNS)):
        name = f"{dataset}-{i}"
        request = job_request(name, ["cp", "-a", "/opt/ml/processing/input/.", "/opt/ml/processing/output/"],
                              inputs=[(f"s3://bench/{dataset}/in/", "/opt/ml/processing/input")],
                              outputs=[(f"s3://bench/{dataset}/out-{i}/", "/opt/ml/processing/output", "EndOfJob")],
                              volume_gb=3)
        sb.run_job(request, ctx.work / f"{name}.json")
        if sb.status(name) != "Completed":
            raise RuntimeError(f"job {name} ended {sb.status(name)}")
        timeline = sb.timeline(name)
        staging.append(between(timeline, "Staging inputs", "Inputs staged"))
        upload.append(between(timeline, "Uploading outputs", "Uploaded"))
        sb.cli("s3", "rm", f"s3://bench/{dataset}/out-{i}/", "--recursive")
    copy = ctx.work / f"cp-{dataset}"
    cp = hyperfine.time_command(f"cp -a {folder} {copy}", runs=ctx.runs(RUNS), warmup=1,
                                prepare=f"rm -rf {copy}", shell="none")
    hyperfine.time_command(f"rm -rf {copy}", runs=1, warmup=0, shell="none")
    return {"staging": staging, "upload": upload, "cp": cp, "label": spec["label"]}


def phase_result(ctx, dataset, phase, row, note, goal):
    """The Result of one phase ("staging" or "upload") of the jobs over `dataset`, against `cp -a`."""
    m = measure(ctx, dataset)
    result = Result(row=row, figure=f"{phase} phase, {m['label']}", unit="ms",
                    samples=[s * 1000 for s in m[phase]], baseline_label="cp -a of the bucket folder",
                    baseline_samples=[s * 1000 for s in m["cp"]], goal=f"≤ {goal}×", met=None, note=note)
    result.met = result.ratio <= goal
    return result
