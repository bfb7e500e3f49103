"""Rows "staging, large files" and "staging, small files": the staging phase of a job over the
dataset, against `cp -a` of the same bucket folder."""
from bench.rows import job_phases

GOAL = 0.05
NOTE = "staging hard-links each object into the job folder (no bytes copied) and mounts it as an overlay's lower layer"


def run(ctx):
    """One result per dataset."""
    return [job_phases.phase_result(ctx, dataset, "staging", row, NOTE, GOAL)
            for dataset, row in (("large", "staging, large files"), ("small", "staging, small files"))]
