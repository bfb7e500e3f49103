"""samples/employees/run-workflow.sh, a CI workflow's steps with the AWS CLI, against `sagebox serve`.

The workflow is run as CI would run it (bash, the venv's `aws` first on PATH, AWS_ENDPOINT_URL from
the session server); the tests then look at what it left: the job as Describe reports it, the objects
in the fake S3, and the four downloaded outputs, checked here independently of the sample's checker.
"""
import csv
import json
import os
import shutil
import subprocess
import sys

import pytest

from conftest import REPO, unique

SAMPLE = REPO / "samples" / "employees"
ROWS = 600
AS_OF = "2025-06-30"
RAW = "data/mock_data.csv"  # the generated input, where the workflow wrote it
COLUMNS = ["id", "name", "age", "salary", "hire_date", "profile", "department", "bonus"]
OUTPUTS = {
    "cleaned": "cleaned/employees_cleaned.csv",
    "transformed": "transformed/employees_transformed.csv",
    "department_stats": "department_stats/department_stats.csv",
    "quality_metrics": "quality_metrics/quality_metrics.json",
}


def run_workflow(work_dir, **settings):
    """run-workflow.sh with the venv's `aws` and python first on PATH, as a CI job's setup step leaves it."""
    env = os.environ.copy()
    env["PATH"] = os.path.dirname(sys.executable) + os.pathsep + env.get("PATH", "")
    env.update({"WORK_DIR": str(work_dir), "ROWS": str(ROWS), "AS_OF": AS_OF, "POLL_SECONDS": "1",
                "TIMEOUT_SECONDS": "300", "PYTHON": sys.executable, **settings})
    return subprocess.run(["bash", str(SAMPLE / "run-workflow.sh")], env=env, capture_output=True, text=True,
                          timeout=600)


def read_csv(path):
    with open(path, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def write_csv(path, rows):
    with open(path, "w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


@pytest.fixture(scope="module")
def workflow(server, tmp_path_factory):
    work_dir = tmp_path_factory.mktemp("employees-workflow")
    bucket, job = unique("employees"), unique("employees-job")
    result = run_workflow(work_dir, BUCKET=bucket, JOB_NAME=job)
    return {"result": result, "work_dir": work_dir, "bucket": bucket, "job": job}


def test_workflow_succeeds_and_its_checker_accepts_the_outputs(workflow):
    result = workflow["result"]
    assert result.returncode == 0, f"stdout:\n{result.stdout}\nstderr:\n{result.stderr}"
    steps = [line for line in result.stdout.splitlines() if line.startswith("==> ")]
    assert [s.split()[1] for s in steps] == ["Create", "Generate", "Render", "Upload", "Create", "Wait", "Check",
                                             "Download", "Check"]
    assert f"make_bucket: {workflow['bucket']}" in result.stdout
    assert f'"ProcessingJobArn": "arn:aws:sagemaker:us-east-1:000000000000:processing-job/{workflow["job"]}"' in result.stdout
    assert "status: Completed" in result.stdout
    assert f"all four outputs correct: {ROWS} rows" in result.stdout


def test_the_job_completed_as_the_rendered_request_asked(workflow, sagemaker):
    job = sagemaker.describe_processing_job(ProcessingJobName=workflow["job"])
    assert job["ProcessingJobStatus"] == "Completed"
    assert job["AppSpecification"]["ContainerArguments"] == ["--as-of", AS_OF]
    # Seed 001's shape: the data at /opt/ml/processing/input, the script inside it, one output folder.
    inputs = [(i["InputName"], i["S3Input"]["S3Uri"], i["S3Input"]["LocalPath"]) for i in job["ProcessingInputs"]]
    assert inputs == [
        ("input-data", f"s3://{workflow['bucket']}/employees/input/", "/opt/ml/processing/input"),
        ("code", f"s3://{workflow['bucket']}/employees/code/process_employees.py", "/opt/ml/processing/input/code")]
    outputs = {o["OutputName"]: (o["S3Output"]["S3Uri"], o["S3Output"]["LocalPath"])
               for o in job["ProcessingOutputConfig"]["Outputs"]}
    assert outputs == {"output-data": (f"s3://{workflow['bucket']}/employees/output/{workflow['job']}/",
                                       "/opt/ml/processing/output")}
    rendered = (workflow["work_dir"] / "job-config.json").read_text()
    assert "{{" not in rendered and json.loads(rendered)["ProcessingJobName"] == workflow["job"]


def test_each_output_was_uploaded_to_its_own_prefix(workflow, s3):
    listed = s3.list_objects_v2(Bucket=workflow["bucket"], Prefix=f"employees/output/{workflow['job']}/")
    keys = sorted(o["Key"] for o in listed.get("Contents", []))
    assert keys == sorted(f"employees/output/{workflow['job']}/{rel}" for rel in OUTPUTS.values())


def test_cleaned_has_every_row_and_no_missing_value(workflow):
    raw = read_csv(workflow["work_dir"] / RAW)
    cleaned = read_csv(workflow["work_dir"] / "outputs" / OUTPUTS["cleaned"])
    assert len(raw) == ROWS and len(cleaned) == ROWS
    assert list(cleaned[0]) == COLUMNS
    assert [r["id"] for r in cleaned] == [r["id"] for r in raw]
    assert all(r[c] != "" for r in cleaned for c in COLUMNS)
    # The generator leaves gaps in age, salary and department; every gap was filled, nothing else moved.
    assert sum(1 for r in raw if r["department"] == "") > 0
    unknown = [c for r, c in zip(raw, cleaned) if r["department"] == ""]
    assert {c["department"] for c in unknown} == {"Unknown"}
    kept = [(r, c) for r, c in zip(raw, cleaned) if r["salary"] != ""]
    assert all(abs(float(r["salary"]) - float(c["salary"])) < 0.005 for r, c in kept)


def test_transformed_carries_the_profile_fields_and_features(workflow):
    cleaned = read_csv(workflow["work_dir"] / "outputs" / OUTPUTS["cleaned"])
    transformed = read_csv(workflow["work_dir"] / "outputs" / OUTPUTS["transformed"])
    assert len(transformed) == ROWS
    first, profile = transformed[0], json.loads(cleaned[0]["profile"])
    assert first["city"] == profile["address"]["city"]
    assert first["email_domain"] == profile["email"].split("@")[1]
    assert {r["salary_band"] for r in transformed} <= {"under-50k", "50k-80k", "80k-120k", "120k-plus"}
    assert all(0 <= float(r["tenure_years"]) <= 21 for r in transformed)


def test_department_stats_match_the_cleaned_rows(workflow):
    cleaned = read_csv(workflow["work_dir"] / "outputs" / OUTPUTS["cleaned"])
    stats = read_csv(workflow["work_dir"] / "outputs" / OUTPUTS["department_stats"])
    counts = {}
    for row in cleaned:
        counts[row["department"]] = counts.get(row["department"], 0) + 1
    assert {s["department"]: int(s["employee_count"]) for s in stats} == counts
    for s in stats:
        salaries = [float(r["salary"]) for r in cleaned if r["department"] == s["department"]]
        assert abs(float(s["avg_salary"]) - sum(salaries) / len(salaries)) < 0.01
        assert float(s["min_salary"]) == min(salaries) and float(s["max_salary"]) == max(salaries)


def test_quality_metrics_count_the_missing_values_before_and_after(workflow):
    raw = read_csv(workflow["work_dir"] / RAW)
    metrics = json.loads((workflow["work_dir"] / "outputs" / OUTPUTS["quality_metrics"]).read_text())
    assert metrics["rows"] == {"input": ROWS, "cleaned": ROWS, "transformed": ROWS, "dropped": 0}
    assert metrics["missing_before"] == {c: sum(1 for r in raw if r[c] == "") for c in COLUMNS}
    assert metrics["missing_after"] == {c: 0 for c in COLUMNS}
    assert metrics["as_of"] == AS_OF


def test_the_checker_rejects_damaged_outputs(workflow, tmp_path):
    """The workflow's last step must be able to fail: one blank cell and one wrong count are caught."""
    damaged = tmp_path / "outputs"
    shutil.copytree(workflow["work_dir"] / "outputs", damaged)
    cleaned = read_csv(damaged / OUTPUTS["cleaned"])
    cleaned[0]["age"] = ""
    write_csv(damaged / OUTPUTS["cleaned"], cleaned)
    stats = read_csv(damaged / OUTPUTS["department_stats"])
    name, count = stats[0]["department"], int(stats[0]["employee_count"])
    stats[0]["employee_count"] = str(count + 1)
    write_csv(damaged / OUTPUTS["department_stats"], stats)
    checked = subprocess.run([sys.executable, str(SAMPLE / "check_outputs.py"), "--raw",
                              str(workflow["work_dir"] / RAW), "--outputs", str(damaged),
                              "--as-of", AS_OF], capture_output=True, text=True, timeout=120)
    assert checked.returncode == 1
    assert "FAIL: cleaned" in checked.stdout and "FAIL: department_stats" in checked.stdout
    assert "empty cells" in checked.stderr
    assert f"department_stats {name}: count {count + 1}, data has {count}" in checked.stderr


def test_workflow_fails_and_shows_why_when_the_job_fails(server, tmp_path):
    """A bad --as-of makes the script exit 1: the job ends Failed, the waiter exits 255, the workflow stops."""
    job = unique("employees-bad")
    result = run_workflow(tmp_path, BUCKET=unique("employees"), JOB_NAME=job, AS_OF="June 30th")
    assert result.returncode == 1, result.stdout
    assert "status: Failed" in result.stdout
    assert "AlgorithmError: See job logs for more information" in result.stdout
    assert "--as-of must be a date YYYY-MM-DD, not 'June 30th'" in result.stdout  # the ExitMessage
    assert f"job {job} ended Failed (waiter exit 255)" in result.stderr
    assert "ERROR: --as-of must be a date" in result.stderr  # the job's own log, through CloudWatch Logs
    assert "==> Download" not in result.stdout
