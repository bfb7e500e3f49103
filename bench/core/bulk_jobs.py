"""Fills a sagebox root's job store with many finished jobs, straight into SQLite.

The schema is JobStore's own: `sagebox list` on the fresh root runs its migrations first, and the rows
written here have exactly the columns of the jobs table (kind ProcessingJob) (plus the "Created" event each job has).
"""
import json
import sqlite3

STATUSES = ("Completed",) * 18 + ("Failed",) + ("Stopped",)


def fill(sagebox, count, start=1.7e9):
    """Inserts `count` terminal jobs named bench-job-000001…, one second apart, in one transaction."""
    sagebox.cli("list")  # creates the store and runs its migrations
    request = json.dumps({"ProcessingJobName": "x", "RoleArn": "arn:aws:iam::123456789012:role/bench",
                          "AppSpecification": {"ImageUri": "bench", "ContainerEntrypoint": ["true"]},
                          "ProcessingResources": {"ClusterConfig": {"InstanceCount": 1, "InstanceType": "ml.m5.large",
                                                                    "VolumeSizeInGB": 1}}})
    db = sqlite3.connect(sagebox.root / "sagebox.sqlite")
    try:
        with db:
            for i in range(1, count + 1):
                name = f"bench-job-{i:06d}"
                t = start + i
                status = STATUSES[i % len(STATUSES)]
                failure = "AlgorithmError: See job logs for more information" if status == "Failed" else None
                cursor = db.execute(
                    "INSERT INTO jobs (kind, name, arn, status, request, creationTime, lastModifiedTime, "
                    "startTime, endTime, failureReason, exitMessage, folder, stopRequested) "
                    "VALUES ('ProcessingJob', ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, ?, 0)",
                    (name, f"arn:aws:sagemaker:us-east-1:000000000000:processing-job/{name}", status,
                     request.replace('"x"', f'"{name}"'), t, t + 2, t + 0.5, t + 2, failure, f"{name}-{int(t * 1000)}"))
                db.execute("INSERT INTO job_events (jobId, time, status, message) VALUES (?, ?, ?, ?)",
                           (cursor.lastrowid, t, "InProgress", "Created"))
    finally:
        db.close()
