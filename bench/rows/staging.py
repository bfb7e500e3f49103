"""Rows "staging, large files" and "staging, small files": the staging phase of a job over the
dataset, against `cp -a` of the same bucket folder."""
from bench.core.result import Result
from bench.rows import job_phases

GOAL = 0.05


def run(ctx):
    """One result per dataset."""
    results = []
    for dataset, row in (("large", "staging, large files"), ("small", "staging, small files")):
        m = job_phases.measure(ctx, dataset)
        result = Result(row=row, figure=f"staging phase, {m['label']}", unit="ms",
                        samples=[s * 1000 for s in m["staging"]], baseline_label="cp -a of the bucket folder",
                        baseline_samples=[s * 1000 for s in m["cp"]], goal=f"≤ {GOAL}×", met=None,
                        note="staging hard-links each object into the job folder (no bytes copied) and "
                             "mounts it as an overlay's lower layer")
        result.met = result.ratio <= GOAL
        results.append(result)
    return results
