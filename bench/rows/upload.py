"""Row "EndOfJob upload": the upload phase of a job that wrote the dataset to its output, against
`cp -a` of the same bucket folder."""
from bench.rows import job_phases

GOAL = 0.05
NOTE = ("outputs live on the instance's loop-mounted ext4 volume, so every byte is copied (and MD5-hashed) "
        "into the store, a different file system: no rename is possible")


def run(ctx):
    """One result per dataset."""
    return [job_phases.phase_result(ctx, dataset, "upload", "EndOfJob upload", NOTE, GOAL)
            for dataset in ("large", "small")]
