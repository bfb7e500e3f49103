"""The AWS CLI v1 (the one in the test environment) against sagebox, as a CI workflow would call it."""
import json
import os
import shutil
import subprocess
import sys

from conftest import end_of_job_output, file_input, job_request, unique


def aws(*args, check=True):
    # The CLI installed next to this Python (the .venv's), else the one on PATH.
    here = os.path.join(os.path.dirname(sys.executable), "aws")
    command = [here if os.path.exists(here) else shutil.which("aws"), *args]
    result = subprocess.run(command, capture_output=True, text=True, env=os.environ.copy(), timeout=300)
    if check:
        assert result.returncode == 0, f"{' '.join(args)} exited {result.returncode}: {result.stderr}"
    return result


def test_s3_mb_cp_ls_rm(server, tmp_path):
    bucket = unique("cli")
    assert aws("s3", "mb", f"s3://{bucket}").stdout.strip() == f"make_bucket: {bucket}"
    source = tmp_path / "report.csv"
    source.write_text("a,b\n1,2\n")
    aws("s3", "cp", str(source), f"s3://{bucket}/reports/2026/report.csv")
    listing = aws("s3", "ls", f"s3://{bucket}/reports/").stdout
    assert "PRE 2026/" in listing
    recursive = aws("s3", "ls", "--recursive", f"s3://{bucket}/").stdout
    assert recursive.rstrip().endswith("reports/2026/report.csv")
    assert " 8 reports/2026/report.csv" in recursive
    back = tmp_path / "back.csv"
    aws("s3", "cp", f"s3://{bucket}/reports/2026/report.csv", str(back))
    assert back.read_text() == "a,b\n1,2\n"
    aws("s3", "rm", "--recursive", f"s3://{bucket}/")
    assert aws("s3", "ls", f"s3://{bucket}/").stdout == ""
    aws("s3", "rb", f"s3://{bucket}")
    missing = aws("s3", "ls", f"s3://{bucket}/", check=False)
    assert missing.returncode != 0
    assert "NoSuchBucket" in missing.stderr


def test_create_wait_describe_a_job(server, tmp_path):
    bucket = unique("clijob")
    aws("s3", "mb", f"s3://{bucket}")
    data = tmp_path / "numbers.txt"
    data.write_text("1\n2\n3\n")
    aws("s3", "cp", str(data), f"s3://{bucket}/input/numbers.txt")
    name = unique("cli-job")
    request = job_request(name, "awk '{s+=$1} END {print s}' /opt/ml/processing/input/numbers.txt > /opt/ml/processing/output/sum.txt",
                          inputs=[file_input("numbers", f"s3://{bucket}/input/", "/opt/ml/processing/input")],
                          outputs=[end_of_job_output("sum", f"s3://{bucket}/output", "/opt/ml/processing/output")])
    config = tmp_path / "job.json"
    config.write_text(json.dumps(request))
    created = json.loads(aws("sagemaker", "create-processing-job", "--cli-input-json", f"file://{config}").stdout)
    assert created["ProcessingJobArn"].endswith(f":processing-job/{name}")
    aws("sagemaker", "wait", "processing-job-completed-or-stopped", "--processing-job-name", name)
    status = aws("sagemaker", "describe-processing-job", "--processing-job-name", name,
                 "--query", "ProcessingJobStatus", "--output", "text").stdout.strip()
    assert status == "Completed"
    result = tmp_path / "sum.txt"
    aws("s3", "cp", f"s3://{bucket}/output/sum.txt", str(result))
    assert result.read_text().strip() == "6"


def test_waiter_fails_for_an_unknown_job(server):
    waited = aws("sagemaker", "wait", "processing-job-completed-or-stopped", "--processing-job-name", "never-created",
                 check=False)
    assert waited.returncode == 255
    assert "ValidationException" in waited.stderr or "Could not find requested job" in waited.stderr


def test_s3_sync_both_ways(server, tmp_path):
    bucket = unique("sync")
    aws("s3", "mb", f"s3://{bucket}")
    local = tmp_path / "site"
    (local / "nested").mkdir(parents=True)
    (local / "index.html").write_text("<h1>hi</h1>")
    (local / "nested" / "data.json").write_text('{"a": 1}')
    aws("s3", "sync", str(local), f"s3://{bucket}/site")
    again = aws("s3", "sync", str(local), f"s3://{bucket}/site").stdout
    assert again == ""  # nothing changed, nothing copied
    copy = tmp_path / "copy"
    aws("s3", "sync", f"s3://{bucket}/site", str(copy))
    assert (copy / "nested" / "data.json").read_text() == '{"a": 1}'
    assert (copy / "index.html").read_text() == "<h1>hi</h1>"


def test_register_and_approve_a_model_package(server, tmp_path):
    """A CI workflow's registry gate: register a version, approve it, find the latest approved one."""
    group = unique("cli-group")
    aws("sagemaker", "create-model-package-group", "--model-package-group-name", group)
    spec = tmp_path / "package.json"
    spec.write_text(json.dumps({
        "ModelPackageGroupName": group,
        "InferenceSpecification": {
            "Containers": [{"Image": "683313688378.dkr.ecr.us-east-1.amazonaws.com/sagemaker-xgboost:1.7-1",
                            "ModelDataUrl": "s3://lab/model.tar.gz"}],
            "SupportedContentTypes": ["text/csv"], "SupportedResponseMIMETypes": ["text/csv"]},
        "ModelMetrics": {"ModelQuality": {"Statistics": {"ContentType": "application/json",
                                                         "S3Uri": "s3://lab/evaluation.json"}}}}))
    arn = json.loads(aws("sagemaker", "create-model-package", "--cli-input-json", f"file://{spec}").stdout)["ModelPackageArn"]
    assert arn.endswith(f":model-package/{group.lower()}/1")
    aws("sagemaker", "update-model-package", "--model-package-arn", arn, "--model-approval-status", "Approved")
    latest = aws("sagemaker", "list-model-packages", "--model-package-group-name", group, "--model-approval-status",
                 "Approved", "--sort-by", "CreationTime", "--sort-order", "Descending", "--max-items", "1",
                 "--query", "ModelPackageSummaryList[0].ModelPackageArn", "--output", "text").stdout.strip()
    assert latest == arn
    refused = aws("sagemaker", "delete-model-package-group", "--model-package-group-name", group, check=False)
    assert refused.returncode != 0 and "ConflictException" in refused.stderr
