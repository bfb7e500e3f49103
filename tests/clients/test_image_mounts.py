"""An image-table mount `HOST:TARGET` (issue 16): a host folder shown read-only at another path, as
`docker -v HOST:TARGET:ro`, so a user's own image URI can map to a program of ours at /opt/program. The
job runs through the real server and launcher; it can neither write through the mount nor swap it."""
import hashlib
import json
import os
import pathlib
import tempfile

import subprocess

from conftest import job_request, sagebox_binary, unique, wait_until


def add_entry(root, entry):
    """Puts `entry` first in the root's image table (written by `sagebox images` when missing)."""
    table_path = pathlib.Path(root) / "images.json"
    if not table_path.exists():
        subprocess.run([sagebox_binary(), "--root", str(root), "images"], check=True, stdout=subprocess.DEVNULL)
    table = json.loads(table_path.read_text())
    table["images"].insert(0, entry)
    with tempfile.NamedTemporaryFile("w", dir=table_path.parent, delete=False) as f:
        json.dump(table, f)
    os.replace(f.name, table_path)


def ended(sagemaker, name):
    """The job's description once it has ended, whatever its status."""
    return wait_until(lambda: (d := sagemaker.describe_processing_job(ProcessingJobName=name))["ProcessingJobStatus"]
                      in ("Completed", "Failed", "Stopped") and d)


def snapshot(folder):
    return {str(p.relative_to(folder)): (p.stat().st_mode, hashlib.sha256(p.read_bytes()).hexdigest() if p.is_file() else None)
            for p in sorted(folder.rglob("*"))}


# Each attempt prints `refused` when it fails; the job succeeds only if every one was refused.
CHECK = """
/opt/program/submit a b
for attempt in 'echo x > /opt/program/new' 'echo x >> /opt/program/submit' 'rm /opt/program/submit' \
    'mv /opt/program /opt/elsewhere' 'rm -rf /opt/program' 'chmod 777 /opt/program/submit' \
    'ln -s /etc/passwd /opt/program/link' 'umount /opt/program' 'mount -o remount,rw /opt/program'; do
  if sh -c "$attempt" 2>/dev/null; then echo "allowed: $attempt"; exit 1; else echo "refused: $attempt"; fi
done
test -x /opt/program/submit && echo still-there
"""


def test_a_host_folder_is_shown_read_only_at_another_path(server, sagemaker, logs, tmp_path):
    program = tmp_path / "program"
    program.mkdir()
    (program / "submit").write_text("#!/bin/sh\necho submitted \"$@\"\n")
    (program / "submit").chmod(0o755)
    (program / "check.sh").write_text(CHECK)
    before = snapshot(program)
    image = f"example.com/{unique('mounted')}:1"
    add_entry(server.root, {"match": image, "mounts": [f"{program}:/opt/program"]})
    name = unique("mount")
    request = job_request(name, "sh /opt/program/check.sh", image=image)
    sagemaker.create_processing_job(**request)
    description = ended(sagemaker, name)
    stream = logs.describe_log_streams(logGroupName="/aws/sagemaker/ProcessingJobs", logStreamNamePrefix=name)["logStreams"][0]
    text = "\n".join(e["message"] for e in logs.get_log_events(
        logGroupName="/aws/sagemaker/ProcessingJobs", logStreamName=stream["logStreamName"], startFromHead=True)["events"])
    assert description["ProcessingJobStatus"] == "Completed", (description, text)
    assert "submitted a b" in text
    assert text.count("refused: ") == 9 and "still-there" in text, text
    assert snapshot(program) == before
    assert not (tmp_path / "elsewhere").exists()


def test_a_mount_of_a_missing_host_folder_fails_the_job(server, sagemaker, tmp_path):
    image = f"example.com/{unique('missing')}:1"
    add_entry(server.root, {"match": image, "mounts": [f"{tmp_path}/absent:/opt/program"]})
    name = unique("mount-missing")
    sagemaker.create_processing_job(**job_request(name, "true", image=image))
    description = ended(sagemaker, name)
    assert description["ProcessingJobStatus"] == "Failed"
    assert "absent" in description["FailureReason"], description["FailureReason"]
