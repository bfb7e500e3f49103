"""The CLI and the server on one root: one owner per job, everything visible to both."""
import json
import subprocess

from conftest import job_request, sagebox_binary, unique, wait_for_job


def sagebox(server, *args):
    result = subprocess.run([sagebox_binary(), *args, "--root", str(server.root)], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, f"sagebox {' '.join(args)}: {result.stderr}"
    return result.stdout


def test_cli_sees_what_the_server_made(server, s3, sagemaker, bucket):
    s3.put_object(Bucket=bucket, Key="seen/by-cli.txt", Body=b"12345")
    assert "seen/by-cli.txt" in sagebox(server, "s3", "ls", "--recursive", f"s3://{bucket}/")
    name = unique("http-job")
    sagemaker.create_processing_job(**job_request(name, "echo from the server runner"))
    wait_for_job(sagemaker, name)
    described = json.loads(sagebox(server, "describe", name))
    assert described["ProcessingJobStatus"] == "Completed"
    assert "from the server runner" in sagebox(server, "logs", name)


def test_server_sees_a_job_the_cli_runs(server, sagemaker, tmp_path):
    name = unique("cli-run")
    request = tmp_path / "job.json"
    request.write_text(json.dumps(job_request(name, "echo run by the CLI runner")))
    created = json.loads(sagebox(server, "run", str(request)))
    assert created["ProcessingJobArn"].endswith(name)
    job = wait_for_job(sagemaker, name)
    assert job["ProcessingJobStatus"] == "Completed"
    assert name in [s["ProcessingJobName"] for s in sagemaker.list_processing_jobs(NameContains=name)["ProcessingJobSummaries"]]
