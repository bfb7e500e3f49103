"""sagebox itself: its command line over a bench root, jobs, and their timelines read from SQLite."""
import json
import pathlib
import sqlite3
import subprocess


class Sagebox:
    """The release `sagebox` binary over one root folder."""

    def __init__(self, binary, root):
        self.binary = str(binary)
        self.root = pathlib.Path(root)
        self.root.mkdir(parents=True, exist_ok=True)

    def argv(self, *args):
        """The full argv of a sagebox command over this root."""
        return [self.binary, "--root", str(self.root), *map(str, args)]

    def cli(self, *args, check=True):
        """Runs a sagebox command; returns its stdout."""
        done = subprocess.run(self.argv(*args), capture_output=True, text=True)
        if check and done.returncode != 0:
            raise RuntimeError(f"sagebox {' '.join(map(str, args))}: {done.stderr.strip() or done.stdout.strip()}")
        return done.stdout

    def make_bucket(self, bucket):
        """Creates `bucket` unless it exists."""
        if bucket not in self.cli("s3", "ls"):
            self.cli("s3", "mb", f"s3://{bucket}")

    def seed(self, folder, uri):
        """Copies every file under a local folder into the fake S3 at `uri` (a prefix ending in /)."""
        self.cli("s3", "cp", str(folder), uri, "--recursive")

    def bucket_folder(self, bucket, prefix=""):
        """Where the objects of `bucket` under `prefix` live on disk (each object a file at its key)."""
        return self.root / "buckets" / bucket / prefix

    def run_job(self, request, path):
        """Writes the CreateProcessingJob request to `path` and runs it with `run --wait`."""
        pathlib.Path(path).write_text(json.dumps(request))
        self.cli("run", path, "--wait")
        return request["ProcessingJobName"]

    def database(self):
        """A read-only connection to the root's SQLite store."""
        return sqlite3.connect(f"file:{self.root / 'sagebox.sqlite'}?mode=ro", uri=True)

    def timeline(self, name, kind="ProcessingJob"):
        """The job's events as [(time in seconds, message)], in order (what `describe --events` prints)."""
        with self.database() as db:
            return db.execute(
                "SELECT e.time, e.message FROM job_events e JOIN jobs j ON j.id = e.jobId "
                "WHERE j.name = ? AND j.kind = ? ORDER BY e.id", (name, kind)).fetchall()

    def status(self, name, kind="ProcessingJob"):
        """The job's status."""
        with self.database() as db:
            return db.execute("SELECT status FROM jobs WHERE name = ? AND kind = ?", (name, kind)).fetchone()[0]


def between(timeline, start, end):
    """Seconds from the first event starting with `start` to the first later one starting with `end`."""
    begin = next(t for t, m in timeline if m.startswith(start))
    return next(t for t, m in timeline if m.startswith(end) and t >= begin) - begin


def job_request(name, entrypoint, inputs=(), outputs=(), volume_gb=1):
    """A CreateProcessingJob request: one ml.m5.large instance, File-mode S3Prefix inputs, the given outputs.

    `inputs` are (S3Uri, LocalPath); `outputs` are (S3Uri, LocalPath, S3UploadMode).
    """
    return {
        "ProcessingJobName": name,
        "RoleArn": "arn:aws:iam::123456789012:role/bench",
        "AppSpecification": {"ImageUri": "bench", "ContainerEntrypoint": list(entrypoint)},
        "ProcessingResources": {"ClusterConfig": {"InstanceCount": 1, "InstanceType": "ml.m5.large",
                                                  "VolumeSizeInGB": volume_gb}},
        "ProcessingInputs": [
            {"InputName": f"in{i}", "S3Input": {"S3Uri": uri, "LocalPath": path, "S3DataType": "S3Prefix",
                                                "S3InputMode": "File"}}
            for i, (uri, path) in enumerate(inputs)],
        "ProcessingOutputConfig": {"Outputs": [
            {"OutputName": f"out{i}", "S3Output": {"S3Uri": uri, "LocalPath": path, "S3UploadMode": mode}}
            for i, (uri, path, mode) in enumerate(outputs)]},
    }
