"""Seed 001, "SageMaker Data Preprocessing Pipeline with CDK & GitHub Actions", run verbatim against sagebox.

The tutorial's steps in its order, with its own files from tests/seeds/001/ (checked against the seed by
test_seed_blocks.py), in a folder laid out as its repository folder is (job-config.json, data/):
  Step 3  `cdk deploy` makes the four buckets: here `aws s3 mb` of the same names;
  Step 5  its two `aws s3 cp` blocks, run by bash as printed;
  Step 8  its GitHub Actions workflow, run as a runner would (see Workflow): the steps' own `run:`
          scripts, with the workflow's `env:`, each step's `env:` and its `${{ }}` expressions, so the
          job name, the image URI and job-config-final.json come from the workflow's own commands
          (`date`, `sed` with its eight -e expressions) and the job from its own
          `aws sagemaker create-processing-job`, `wait` and `describe-processing-job --query`;
  Step 9  its `list-processing-jobs` and download blocks, as printed;
  Step 12 its `aws s3 rb --force` block.
Every `aws` is the real AWS CLI from the venv, reaching sagebox through AWS_ENDPOINT_URL. The job's
three outputs are then checked against the mock data, recomputed here with the standard library.
A second test sends the same workflow-filled job-config-final.json through boto3.
"""
import json
import os
import re
import shutil
import statistics
import subprocess
import sys

import pytest
import yaml

from conftest import wait_until
from seed_blocks import COPIES
from seed_mock_data import read_csv, write_mock_data

SEED = COPIES / "001"
WORKFLOW = SEED / "014-sagemaker-preprocessing.yml"
APP_PREFIX = "mlops-data-preprocessing-pipeline"
BUCKETS = [f"{APP_PREFIX}-{kind}-bucket" for kind in ("raw-data", "processed-data", "model-artifacts", "logs")]
OUTPUT_BUCKET, OUTPUT_PREFIX = f"{APP_PREFIX}-processed-data-bucket", "output/"
SECRETS = {"AWS_ACCOUNT_ID": "000000000000", "AWS_ACCESS_KEY_ID": "test", "AWS_SECRET_ACCESS_KEY": "test"}
ROWS = 500
OUTPUT_FILES = ("cleaned_data.csv", "department_statistics.csv", "transformed_data.csv")
# The workflow's steps that a runner here does not run, and what stands in for them.
NOT_RUN = {
    "Checkout code": "the test's work folder is the checkout",
    "Configure AWS Credentials": "dummy credentials, AWS_DEFAULT_REGION and AWS_ENDPOINT_URL are in the environment",
    "Set up Python": "the venv's python and aws are first on PATH",
    "Install dependencies": "pip would reach PyPI; the venv already holds boto3 and sagemaker",
}
CONFIG_STEPS = ("Get SageMaker scikit-learn image URI", "Generate job name with timestamp",
                "Update SageMaker Processing Job configuration")


def client_environment():
    """The environment with the venv's `aws` first on PATH, as the workflow's setup steps leave it."""
    env = os.environ.copy()
    env["PATH"] = os.path.dirname(sys.executable) + os.pathsep + env.get("PATH", "")
    return env


def bash(script, cwd, env=None, detail=""):
    """A seed's shell block run by bash -e, as a reader pastes it; fails the test unless it exits 0
    (saying `detail` too)."""
    result = subprocess.run(["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", script], cwd=cwd,
                            env=env or client_environment(), capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, \
        f"exit {result.returncode} {detail}\n{script}\nstdout:\n{result.stdout}\nstderr:\n{result.stderr}"
    return result


class Workflow:
    """Runs steps of a GitHub Actions workflow file as a runner does: a step's `run:` script in
    `bash --noprofile --norc -eo pipefail`, in the checkout, with the workflow's `env:`, the step's own
    `env:` and $GITHUB_OUTPUT; `${{ }}` expressions are evaluated first. The expressions understood are
    the ones seed 001's workflow uses: context paths (`env.X`, `secrets.X`, `steps.ID.outputs.X`,
    `github.event.inputs.X`), `a || b` and `format('…{0}…', x)`. The event is workflow_dispatch with
    the inputs' defaults."""

    def __init__(self, path, checkout, secrets):
        document = yaml.safe_load(path.read_text(encoding="utf-8"))
        (self.job,) = document["jobs"].values()
        self.env = {key: str(value) for key, value in document["env"].items()}
        dispatch = document[True]["workflow_dispatch"]  # YAML 1.1 reads the key `on` as true
        inputs = {name: spec["default"] for name, spec in dispatch["inputs"].items()}
        self.context = {"env": self.env, "secrets": secrets, "steps": {}, "github": {"event": {"inputs": inputs}}}
        self.checkout = checkout

    def step_names(self):
        return [step["name"] for step in self.job["steps"]]

    def run(self, name, detail=""):
        (step,) = [s for s in self.job["steps"] if s["name"] == name]
        output = self.checkout / ".github_output"
        output.write_text("")
        env = client_environment()
        env.update(self.env)
        env.update({key: self.evaluate(str(value)) for key, value in step.get("env", {}).items()})
        env["GITHUB_OUTPUT"] = str(output)
        result = bash(self.evaluate(step["run"]), self.checkout, env, detail)
        if "id" in step:
            outputs = dict(line.split("=", 1) for line in output.read_text().splitlines() if "=" in line)
            self.context["steps"][step["id"]] = {"outputs": outputs}
        return result

    def evaluate(self, text):
        return re.sub(r"\$\{\{\s*(.*?)\s*\}\}", lambda m: self.expression(m.group(1)), text)

    def expression(self, text):
        value = ""
        for alternative in text.split("||"):
            value = self.operand(alternative.strip())
            if value:
                break
        return value

    def operand(self, text):
        call = re.fullmatch(r"format\('([^']*)',\s*(.+)\)", text)
        if call:
            return call.group(1).format(*(self.operand(a.strip()) for a in call.group(2).split(",")))
        value = self.context
        for part in text.split("."):
            if not isinstance(value, dict) or part not in value:
                raise KeyError(f"expression {text!r}: nothing at {part!r}")
            value = value[part]
        return str(value)


@pytest.fixture(scope="module")
def checkout(server, tmp_path_factory):
    """The tutorial's folder (job-config.json, data/) after Steps 3 and 5: buckets made, data and script uploaded."""
    folder = tmp_path_factory.mktemp("seed-001")
    shutil.copy(SEED / "job-config.json", folder / "job-config.json")
    (folder / "data").mkdir()
    shutil.copy(SEED / "data" / "preprocessing_script.py", folder / "data" / "preprocessing_script.py")
    write_mock_data(folder / "data" / "mock_data.csv", ROWS, seed=1)
    for bucket in BUCKETS:  # Step 3: what `cdk deploy` creates
        assert bash(f"aws s3 mb s3://{bucket}", folder).stdout.strip() == f"make_bucket: {bucket}"
    for block in ("upload_mock_data.sh", "upload_preprocessing_script.sh"):  # Step 5
        bash((SEED / block).read_text(encoding="utf-8"), folder)
    return folder


@pytest.fixture(scope="module")
def workflow_run(checkout, sagemaker):
    """Step 8: the workflow's steps in order, then Step 9's blocks."""
    workflow = Workflow(WORKFLOW, checkout, SECRETS)
    assert set(NOT_RUN) <= set(workflow.step_names())
    assert [n for n in workflow.step_names() if n not in NOT_RUN][:3] == list(CONFIG_STEPS)
    printed = {}
    for name in workflow.step_names():
        if name in NOT_RUN:
            continue
        detail = ""
        if name == "Wait for SageMaker Processing Job to complete":
            # The CLI waiter describes the job at once, then sleeps 60 s between calls; this job takes a
            # few seconds, so the waiter's first call would mostly see InProgress and cost a minute. Poll
            # DescribeProcessingJob every second first (as samples/employees/run-workflow.sh does); the
            # step itself then runs unchanged, its waiter answering at its first call.
            job = wait_until_terminal(sagemaker, workflow.context["steps"]["job-name"]["outputs"]["job_name"])
            detail = f"(the job ended {job['ProcessingJobStatus']}: {job.get('FailureReason')})"
        printed[name] = workflow.run(name, detail).stdout
    job_name = workflow.context["steps"]["job-name"]["outputs"]["job_name"]
    printed["list"] = bash((SEED / "check_job_status.sh").read_text(encoding="utf-8"), checkout).stdout
    printed["download"] = bash((SEED / "download_processed_data.sh").read_text(encoding="utf-8"), checkout).stdout
    return {"workflow": workflow, "job_name": job_name, "printed": printed}


def wait_until_terminal(sagemaker, name):
    """DescribeProcessingJob every second until the job is Completed, Failed or Stopped; its description."""
    def terminal():
        job = sagemaker.describe_processing_job(ProcessingJobName=name)
        return job if job["ProcessingJobStatus"] in ("Completed", "Failed", "Stopped") else None
    return wait_until(terminal, timeout=300)


def number(text):
    return float(text) if text != "" else None


def category(value, edges, labels):
    """pd.cut(..., include_lowest=True): the label of the first bin whose upper edge holds the value."""
    if value < edges[0]:
        return ""
    return next((label for edge, label in zip(edges[1:], labels) if value <= edge), "")


def expected_cleaning(raw_rows):
    """Step 10's processing, recomputed: medians for age and salary, 'Unknown' departments, profile fields."""
    age_median = statistics.median(float(r["age"]) for r in raw_rows if r["age"])
    salary_median = statistics.median(float(r["salary"]) for r in raw_rows if r["salary"])
    rows = []
    for r in raw_rows:
        profile = json.loads(r["profile"]) if r["profile"] else {}
        rows.append({"id": r["id"], "name": r["name"], "age": number(r["age"]) or age_median,
                     "salary": number(r["salary"]) or salary_median, "hire_date": r["hire_date"],
                     "department": r["department"] or "Unknown", "bonus": number(r["bonus"]),
                     "address": profile.get("address", ""), "phone": profile.get("phone", ""),
                     "email": profile.get("email", "")})
    return rows


def check_outputs(raw_path, folder):
    """The seed's three outputs in `folder` against the raw data, row by row."""
    header, raw = read_csv(raw_path)
    assert ",".join(header) == (SEED / "input_data_structure.csv").read_text(encoding="utf-8").splitlines()[0]
    expected = expected_cleaning(raw)
    assert sum(1 for r in raw if not r["age"]) and sum(1 for r in raw if not r["department"])  # gaps to fill

    columns, cleaned = read_csv(folder / "cleaned_data.csv")
    assert columns == ["id", "name", "age", "salary", "hire_date", "department", "bonus", "address", "phone", "email"]
    assert len(cleaned) == ROWS
    for want, got in zip(expected, cleaned):
        assert (got["id"], got["name"], got["hire_date"], got["department"]) == \
            (want["id"], want["name"], want["hire_date"], want["department"])
        assert (float(got["age"]), float(got["salary"]), number(got["bonus"])) == \
            (want["age"], want["salary"], want["bonus"])
        assert (got["address"], got["phone"], got["email"]) == (want["address"], want["phone"], want["email"])

    columns, transformed = read_csv(folder / "transformed_data.csv")
    assert columns == list(cleaned[0]) + ["address_length", "salary_category", "age_group"]
    assert len(transformed) == ROWS
    for want, got in zip(expected, transformed):
        # The script measures str() of the address read back from cleaned_data.csv: 'nan' where none.
        assert int(got["address_length"]) == len(want["address"] or "nan")
        assert got["salary_category"] == category(want["salary"], [0, 50000, 70000, 100000], ["low", "medium", "high"])
        assert got["age_group"] == category(want["age"], [0, 25, 35, 45, 55, float("inf")],
                                            ["Young", "Early Career", "Mid Career", "Senior", "Experienced"])

    columns, stats = read_csv(folder / "department_statistics.csv")
    assert columns == ["Department", "Average Salary", "Average Age"]
    departments = sorted({r["department"] for r in expected})
    assert [s["Department"] for s in stats] == departments and "Unknown" in departments
    for s in stats:
        rows = [r for r in expected if r["department"] == s["Department"]]
        assert float(s["Average Salary"]) == pytest.approx(statistics.fmean(r["salary"] for r in rows), rel=1e-12)
        assert float(s["Average Age"]) == pytest.approx(statistics.fmean(r["age"] for r in rows), rel=1e-12)


def test_the_workflow_creates_waits_for_and_checks_the_job(workflow_run, checkout):
    printed, job_name = workflow_run["printed"], workflow_run["job_name"]
    assert re.fullmatch(r"preprocessing-job-\d{8}-\d{6}", job_name)
    assert f'"ProcessingJobArn": "arn:aws:sagemaker:us-east-1:000000000000:processing-job/{job_name}"' in \
        printed["Start SageMaker Processing Job"]
    assert f"SageMaker processing job started: {job_name}" in printed["Start SageMaker Processing Job"]
    # The step's own check: it exits 1 (failing the step, hence this test) unless the status is Completed.
    assert "Processing job failed" not in printed["Wait for SageMaker Processing Job to complete"]
    # Step 9's `list-processing-jobs --max-results 10`: the oldest ten of the server's jobs (SortOrder's
    # default is Ascending), each a whole summary.
    listed = json.loads(printed["list"])["ProcessingJobSummaries"]
    assert 1 <= len(listed) <= 10
    assert all({"ProcessingJobName", "ProcessingJobArn", "CreationTime", "ProcessingJobStatus"} <= set(s) for s in listed)
    assert [s["CreationTime"] for s in listed] == sorted(s["CreationTime"] for s in listed)
    assert f"download: s3://{OUTPUT_BUCKET}/output/transformed_data.csv to ./transformed_data.csv" in printed["download"]
    assert all(name in printed["download"] for name in OUTPUT_FILES)  # the `aws s3 ls` listing


def test_job_config_final_json_is_the_template_filled_by_the_workflows_sed(workflow_run, checkout):
    job_name = workflow_run["job_name"]
    final = (checkout / "job-config-final.json").read_text(encoding="utf-8")
    assert "{{" not in final
    filled = (SEED / "job-config.json").read_text(encoding="utf-8")
    for placeholder, value in (("JOB_NAME", job_name),
                               ("INPUT_PATH", f"s3://{APP_PREFIX}-raw-data-bucket/input/"),
                               ("SCRIPT_PATH", f"s3://{APP_PREFIX}-model-artifacts-bucket/scripts/preprocessing_script.py"),
                               ("OUTPUT_PATH", f"s3://{OUTPUT_BUCKET}/output/"),
                               ("IMAGE_URI", "683313688378.dkr.ecr.us-east-1.amazonaws.com/sagemaker-scikit-learn:1.2-1-cpu-py3"),
                               ("ROLE_ARN", f"arn:aws:iam::000000000000:role/{APP_PREFIX}-data-preprocessing-role")):
        filled = filled.replace("{{" + placeholder + "}}", value)
    assert final == filled


def test_the_job_ran_the_seeds_script_with_its_nested_inputs(workflow_run, sagemaker, logs):
    job = sagemaker.describe_processing_job(ProcessingJobName=workflow_run["job_name"])
    assert job["ProcessingJobStatus"] == "Completed", job.get("FailureReason")
    assert [i["S3Input"]["LocalPath"] for i in job["ProcessingInputs"]] == \
        ["/opt/ml/processing/input", "/opt/ml/processing/input/code"]
    events = logs.filter_log_events(logGroupName="/aws/sagemaker/ProcessingJobs",
                                    logStreamNamePrefix=f"{workflow_run['job_name']}/")
    # The seed's prints, mis-encoded characters and all.
    assert [e["message"] for e in events["events"]] == [
        "âœ… Dataset loaded successfully!", f"ðŸ“ Dataset shape: ({ROWS}, 8)", "âœ… Cleaned data saved",
        "âœ… Transformed data saved", "âœ… Department statistics saved"]


def test_the_three_outputs_are_right_for_the_mock_data(workflow_run, checkout, s3, tmp_path):
    listed = s3.list_objects_v2(Bucket=OUTPUT_BUCKET, Prefix=OUTPUT_PREFIX)["Contents"]
    assert sorted(o["Key"] for o in listed) == [OUTPUT_PREFIX + name for name in OUTPUT_FILES]
    for name in OUTPUT_FILES:
        s3.download_file(OUTPUT_BUCKET, OUTPUT_PREFIX + name, str(tmp_path / name))
    # Step 9's download is the same object.
    assert (checkout / "transformed_data.csv").read_bytes() == (tmp_path / "transformed_data.csv").read_bytes()
    check_outputs(checkout / "data" / "mock_data.csv", tmp_path)


def test_the_same_job_config_through_boto3(workflow_run, checkout, sagemaker, s3, tmp_path):
    """The workflow's config steps again (a new timestamp, so a new job name), then
    create_processing_job(**json.load(job-config-final.json)) instead of the CLI."""
    for key in [o["Key"] for o in s3.list_objects_v2(Bucket=OUTPUT_BUCKET, Prefix=OUTPUT_PREFIX)["Contents"]]:
        s3.delete_object(Bucket=OUTPUT_BUCKET, Key=key)
    assert s3.list_objects_v2(Bucket=OUTPUT_BUCKET, Prefix=OUTPUT_PREFIX)["KeyCount"] == 0
    workflow = Workflow(WORKFLOW, checkout, SECRETS)
    for name in CONFIG_STEPS:
        workflow.run(name)
    with open(checkout / "job-config-final.json", encoding="utf-8") as f:
        request = json.load(f)
    assert request["ProcessingJobName"] != workflow_run["job_name"]

    sagemaker.create_processing_job(**request)
    job = wait_until_terminal(sagemaker, request["ProcessingJobName"])
    assert job["ProcessingJobStatus"] == "Completed", job.get("FailureReason")
    for name in OUTPUT_FILES:
        s3.download_file(OUTPUT_BUCKET, OUTPUT_PREFIX + name, str(tmp_path / name))
    check_outputs(checkout / "data" / "mock_data.csv", tmp_path)


def test_step_12_deletes_the_buckets(checkout, s3):
    """Runs last: the seed's cleanup block, `aws s3 rb --force` of the four buckets."""
    bash((SEED / "delete_s3_buckets.sh").read_text(encoding="utf-8"), checkout)
    names = {b["Name"] for b in s3.list_buckets()["Buckets"]}
    assert not names & set(BUCKETS)
