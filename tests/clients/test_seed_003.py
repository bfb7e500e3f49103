"""Seed 003, "Simple Data Processing with Amazon SageMaker Processing Jobs", run verbatim against sagebox.

The seed's own cells, from tests/seeds/003/ (checked against the seed by test_seed_blocks.py), in a
notebook's folder: Step 1 (`sagemaker.Session()`, its default bucket; the role filled, since
`get_execution_role()` needs a SageMaker notebook), Step 2's data dict (20,000 rows) and its
`s3.meta.client.upload_file('data/mock_data.csv', bucket, 'input/mock_data.csv')`, and Step 4's
ScriptProcessor with `processor.run(code='preprocessing_script.py', ...)` as printed: the input at
destination '/opt/ml/processing/input', so the SDK's code input nests inside it at
/opt/ml/processing/input/code. The script is the seed's four Step 3 fragments joined into one file.

The Session's default bucket comes from the SDK's config file (DefaultS3Bucket), as a user outside
SageMaker would set it, with TelemetryOptOut; NOTEBOOK_CELLS are what the notebook's other cells do
between the seed's: import numpy and define the profile generator, write the frame to CSV, make `s3`.
"""
import datetime
import json
import random
import shutil
import statistics

import boto3
import numpy as np
import pandas as pd
import pytest

from conftest import sagemaker_sdk, unique
from host_audit import assert_only_endpoint
from seed_blocks import COPIES, run_notebook
from seed_mock_data import read_csv

SEED = COPIES / "003"
ROWS = 20000
DEFAULT_BUCKET = unique("seed-003-default")
OUTPUT_PREFIX = "output/data-processed/"
# str() of a missing address as the fragment's `len(str(x))` sees it: how pandas holds a None among
# strings ('nan' in pandas 3's string columns, 'None' in pandas 2's object columns).
MISSING_TEXT = str(pd.Series(["Street 1", None]).iloc[1])
OUTPUT_FILES = ("cleaned_data.csv", "department_statistics.csv", "quality_metrics.json", "transformed_data.csv")
NOTEBOOK_CELLS = {
    "before data": "import numpy as np\nfrom seed_mock_data import complex_json_structure\n",
    "after data": "pd.DataFrame(data).to_csv('data/mock_data.csv', index=False)\ns3 = boto3.resource('s3')\n",
}


@pytest.fixture(scope="module")
def sdk(server, tmp_path_factory):
    with sagemaker_sdk(tmp_path_factory.mktemp("sagemaker-config"), DEFAULT_BUCKET) as sagemaker:
        yield sagemaker


@pytest.fixture(scope="module")
def notebook(sdk, tmp_path_factory):
    """The seed's cells run in order in the notebook's folder, against sagebox."""
    folder = tmp_path_factory.mktemp("seed-003")
    (folder / "data").mkdir()
    shutil.copy(SEED / "preprocessing_script.py", folder / "preprocessing_script.py")
    random.seed(3)  # complex_json_structure()
    np.random.seed(3)  # the seed's data dict
    namespace, printed, hosts = run_notebook(folder, [
        SEED / "step1_environment_setup.py", NOTEBOOK_CELLS["before data"], SEED / "step2_mock_data.py",
        NOTEBOOK_CELLS["after data"], SEED / "step2_upload.py", SEED / "step4_processing_job.py"])
    return {"namespace": namespace, "printed": printed, "hosts": hosts, "folder": folder}


@pytest.fixture(scope="module")
def outputs(notebook, tmp_path_factory):
    """The job's outputs, downloaded from the seed's destination, and the raw data it read, as read back."""
    folder = tmp_path_factory.mktemp("seed-003-outputs")
    s3, bucket = boto3.client("s3"), notebook["namespace"]["bucket"]
    listed = s3.list_objects_v2(Bucket=bucket, Prefix=OUTPUT_PREFIX).get("Contents", [])
    assert sorted(o["Key"] for o in listed) == [OUTPUT_PREFIX + name for name in OUTPUT_FILES]
    for name in OUTPUT_FILES:
        s3.download_file(bucket, OUTPUT_PREFIX + name, str(folder / name))
    _, raw = read_csv(notebook["folder"] / "data" / "mock_data.csv")
    return {"folder": folder, "raw": raw}


def test_the_seed_cells_run_the_job_to_completed(notebook):
    namespace = notebook["namespace"]
    assert_only_endpoint(notebook["hosts"])
    job = namespace["processor"].latest_job.describe()
    assert job["ProcessingJobStatus"] == "Completed", job.get("FailureReason")
    assert namespace["bucket"] == DEFAULT_BUCKET  # the config file's DefaultS3Bucket
    assert namespace["region"] == "us-east-1"
    assert len(namespace["data"]["id"]) == ROWS
    # run(wait=True, logs=True) printed the job's own log, read back through CloudWatch Logs.
    assert f"Loaded {ROWS} rows, columns ['id', 'name', 'age', 'salary', 'profile', 'department']" in notebook["printed"]


def test_the_job_is_the_one_step_4_describes(notebook):
    namespace = notebook["namespace"]
    job = namespace["processor"].latest_job.describe()
    bucket, name = namespace["bucket"], job["ProcessingJobName"]
    assert job["AppSpecification"]["ImageUri"] == \
        "683313688378.dkr.ecr.us-east-1.amazonaws.com/sagemaker-scikit-learn:1.2-1-cpu-py3"
    assert job["AppSpecification"]["ContainerEntrypoint"] == \
        ["python3", "/opt/ml/processing/input/code/preprocessing_script.py"]
    assert job["ProcessingResources"]["ClusterConfig"]["InstanceType"] == "ml.t3.medium"
    assert job["RoleArn"] == "arn:aws:iam::000000000000:role/SageMakerRole"
    inputs = {i["InputName"]: (i["S3Input"]["S3Uri"], i["S3Input"]["LocalPath"]) for i in job["ProcessingInputs"]}
    assert inputs == {"input-1": (f"s3://{bucket}/input/mock_data.csv", "/opt/ml/processing/input"),
                      "code": (f"s3://{bucket}/{name}/input/code/preprocessing_script.py",
                               "/opt/ml/processing/input/code")}
    (output,) = job["ProcessingOutputConfig"]["Outputs"]
    assert (output["S3Output"]["S3Uri"], output["S3Output"]["LocalPath"]) == \
        (f"s3://{bucket}/output/data-processed", "/opt/ml/processing/output")


def expected_cleaning(raw):
    """The Data Cleaning and JSON Field Extraction fragments, recomputed."""
    salary_median = statistics.median(float(r["salary"]) for r in raw if r["salary"])
    rows = []
    for r in raw:
        profile = json.loads(r["profile"])
        rows.append({"id": r["id"], "name": r["name"], "age": float(r["age"]),
                     "salary": float(r["salary"]) if r["salary"] else salary_median,
                     "department": r["department"] or "Unknown", "address": profile.get("address", ""),
                     "phone": profile.get("phone", ""), "email": profile.get("email", "")})
    return rows


def test_cleaned_data_has_no_missing_value_in_critical_fields(outputs):
    raw, expected = outputs["raw"], expected_cleaning(outputs["raw"])
    assert sum(1 for r in raw if not r["salary"]) and sum(1 for r in raw if not r["department"])  # gaps to fill
    columns, cleaned = read_csv(outputs["folder"] / "cleaned_data.csv")
    assert columns == ["id", "name", "age", "salary", "department", "address", "phone", "email"]
    assert len(cleaned) == ROWS
    assert all(row[c] != "" for row in cleaned for c in ("id", "name", "age", "salary", "department"))
    for want, got in zip(expected, cleaned):
        assert (got["id"], got["name"], got["department"]) == (want["id"], want["name"], want["department"])
        assert (float(got["age"]), float(got["salary"])) == (want["age"], want["salary"])
        assert (got["address"], got["phone"], got["email"]) == (want["address"], want["phone"], want["email"])


def category(value, edges, labels):
    """pd.cut(...) with right-closed bins and the lowest edge excluded, as the fragment calls it."""
    return next((label for low, high, label in zip(edges, edges[1:], labels) if low < value <= high), "")


def test_transformed_data_has_the_new_features(outputs):
    expected = expected_cleaning(outputs["raw"])
    columns, transformed = read_csv(outputs["folder"] / "transformed_data.csv")
    assert columns == ["id", "name", "age", "salary", "department", "address", "phone", "email",
                       "address_length", "salary_category", "age_group"]
    assert len(transformed) == ROWS
    for want, got in zip(expected, transformed):
        assert got["id"] == want["id"]
        assert int(got["address_length"]) == len(want["address"] or MISSING_TEXT)
        assert got["salary_category"] == category(want["salary"], [0, 50000, 70000, 100000], ["low", "medium", "high"])
        assert got["age_group"] == category(want["age"], [0, 25, 35, 45, 55, float("inf")],
                                            ["Young", "Early Career", "Mid Career", "Senior", "Experienced"])


def test_department_statistics(outputs):
    expected = expected_cleaning(outputs["raw"])
    columns, stats = read_csv(outputs["folder"] / "department_statistics.csv")
    assert columns == ["department", "employee_count", "average_salary", "average_age"]
    assert [s["department"] for s in stats] == ["Finance", "HR", "IT", "Unknown"]
    for s in stats:
        rows = [r for r in expected if r["department"] == s["department"]]
        assert int(s["employee_count"]) == len(rows)
        assert float(s["average_salary"]) == pytest.approx(statistics.fmean(r["salary"] for r in rows), rel=1e-12)
        assert float(s["average_age"]) == pytest.approx(statistics.fmean(r["age"] for r in rows), rel=1e-12)


def test_quality_metrics(notebook, outputs):
    expected = expected_cleaning(outputs["raw"])
    metrics = json.loads((outputs["folder"] / "quality_metrics.json").read_text(encoding="utf-8"))
    missing = sum(1 for r in expected for c in ("address", "phone", "email") if r[c] == "")
    assert missing > 0
    timestamp = datetime.datetime.fromisoformat(metrics.pop("processing_timestamp"))
    assert metrics == {"total_rows": ROWS, "missing_values_count": missing, "duplicate_rows": 0, "unique_departments": 4}
    job = notebook["namespace"]["processor"].latest_job.describe()
    start, end = (job[k].astimezone().replace(tzinfo=None) for k in ("ProcessingStartTime", "ProcessingEndTime"))
    assert start - datetime.timedelta(seconds=1) <= timestamp <= end + datetime.timedelta(seconds=1)
