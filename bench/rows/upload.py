"""Row "EndOfJob upload": the upload phase of a job that wrote the dataset to its output, against
`cp -a` of the same bucket folder."""
from bench.core.result import Result
from bench.rows import job_phases

GOAL = 0.05


def run(ctx):
    """One result per dataset."""
    results = []
    for dataset in ("large", "small"):
        m = job_phases.measure(ctx, dataset)
        result = Result(row="EndOfJob upload", figure=f"upload phase, {m['label']}", unit="ms",
                        samples=[s * 1000 for s in m["upload"]], baseline_label="cp -a of the bucket folder",
                        baseline_samples=[s * 1000 for s in m["cp"]], goal=f"≤ {GOAL}×", met=None,
                        note="outputs live on the instance's loop-mounted ext4 volume, so every byte is "
                             "copied into the store (a different file system): no rename is possible")
        result.met = result.ratio <= GOAL
        results.append(result)
    return results
