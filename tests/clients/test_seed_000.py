"""Seed 000, "Data Preprocessing with SageMaker Core", run verbatim against sagebox.

The seed's own cells, from tests/seeds/000/ (checked against the seed by test_seed_blocks.py), run one
after the other in one namespace, as in the student's notebook: Step 1's imports, Step 2's upload,
Step 3's data locations, Step 4's `ProcessingJob.create(...)` with sagemaker-core's shapes, Step 5's
`job.wait()` and `job.refresh()`, then Part 4's verification checklist. The job runs the seed's
`preprocessing.py` (its Getting Started Pattern, the TODO body filled in) over the tutorial's own data
location, `s3://sagemaker-example-files-prod-{region}/datasets/tabular/synthetic/churn.txt`, which
exists here in the fake S3, holding the churn sample's synthetic data.

What the seed leaves to the student's earlier cells (region, bucket, prefix, role, a boto3 session)
is LAB_SESSION below; its TODOs are filled in the copies themselves, each fill saying which TODO.
"""
import pathlib
import shutil

import boto3
import pytest

from churn_sample import ROWS, check_outputs, download_splits, generate_data
from conftest import unique
from host_audit import assert_only_endpoint
from seed_blocks import COPIES, run_notebook

SEED = COPIES / "000"
REGION = "us-east-1"
DATA_BUCKET = f"sagemaker-example-files-prod-{REGION}"
DATA_KEY = "datasets/tabular/synthetic/churn.txt"
PREFIX = "churn-preprocessing"
CELLS = ("step1_imports.py", "step2_upload_code.py", "step3_data_locations.py", "step4_create_job.py",
         "step5_wait.py", "verification_checklist.py")
# The student's lab session: what the seed's cells use but do not define (and bucket, prefix).
LAB_SESSION = f"""
import time
import boto3
region = "{REGION}"
boto_session = boto3.Session(region_name=region)
role = "arn:aws:iam::000000000000:role/SageMakerRole"
"""


@pytest.fixture(scope="module")
def notebook(server, sagemaker_core_config, tmp_path_factory):
    """The seed's cells run in order in the notebook's folder, against sagebox."""
    folder = tmp_path_factory.mktemp("seed-000")
    s3 = boto3.client("s3")
    # The tutorial's public data set, where the seed reads it (in us-east-1, making a bucket one already
    # owns succeeds, should another test have made it).
    s3.create_bucket(Bucket=DATA_BUCKET)
    s3.upload_file(str(generate_data(folder)), DATA_BUCKET, DATA_KEY)
    bucket = unique("seed-000")
    s3.create_bucket(Bucket=bucket)
    shutil.copy(SEED / "preprocessing.py", folder / "preprocessing.py")
    lab_session = f"bucket = {bucket!r}\nprefix = {PREFIX!r}\n" + LAB_SESSION
    namespace, printed, hosts = run_notebook(folder, [lab_session] + [SEED / cell for cell in CELLS])
    return {"namespace": namespace, "printed": printed, "hosts": hosts, "folder": folder, "bucket": bucket}


def test_the_seed_cells_run_the_job_to_completed(notebook):
    namespace, printed = notebook["namespace"], notebook["printed"]
    assert_only_endpoint(notebook["hosts"])
    job = namespace["job"]
    assert job.processing_job_status == "Completed", job.failure_reason
    assert f"Code uploaded to: s3://{notebook['bucket']}/{PREFIX}/code/preprocessing.py" in printed
    assert f"Processing Job created: {job.processing_job_name}" in printed
    assert "Final status: Completed" in printed
    # The checklist's own printout: shape, target values, NaN count.
    train = namespace["df"]
    assert f"Shape: ({int(ROWS * 0.7)}, {train.shape[1]})" in printed
    assert "Target column values: [0 1]" in printed or "Target column values: [1 0]" in printed
    assert "Any NaN values: 0" in printed


def test_the_job_is_the_one_step_4_describes(notebook, sagemaker):
    job = notebook["namespace"]["job"]
    described = sagemaker.describe_processing_job(ProcessingJobName=job.processing_job_name)
    assert described["ProcessingJobName"].startswith("churn-preprocessing-")
    assert described["AppSpecification"] == {
        "ImageUri": "683313688378.dkr.ecr.us-east-1.amazonaws.com/sagemaker-xgboost:1.7-1",
        "ContainerEntrypoint": ["python3", "/opt/ml/processing/input/code/preprocessing.py"],
        "ContainerArguments": ["--train-test-split", "0.7"]}
    assert described["ProcessingResources"]["ClusterConfig"] == {
        "InstanceCount": 1, "InstanceType": "ml.m5.xlarge", "VolumeSizeInGB": 30}
    inputs = {i["InputName"]: (i["S3Input"]["S3Uri"], i["S3Input"]["LocalPath"]) for i in described["ProcessingInputs"]}
    assert inputs == {
        "code": (f"s3://{notebook['bucket']}/{PREFIX}/code/preprocessing.py", "/opt/ml/processing/input/code"),
        "data": (f"s3://{DATA_BUCKET}/{DATA_KEY}", "/opt/ml/processing/input/data")}
    outputs = {o["OutputName"]: (o["S3Output"]["S3Uri"], o["S3Output"]["LocalPath"])
               for o in described["ProcessingOutputConfig"]["Outputs"]}
    assert outputs == {split: (f"s3://{notebook['bucket']}/{PREFIX}/{split}", f"/opt/ml/processing/output/{split}")
                       for split in ("train", "validation", "test")}
    assert described["Environment"] == {"PYTHONUNBUFFERED": "1"}
    assert described["StoppingCondition"] == {"MaxRuntimeInSeconds": 3600}


def test_the_script_read_churn_txt_where_the_data_input_put_it(notebook, logs):
    """churn.txt is one object named by the S3Uri: File mode puts it at LocalPath/churn.txt."""
    name = notebook["namespace"]["job"].processing_job_name
    events = logs.filter_log_events(logGroupName="/aws/sagemaker/ProcessingJobs", logStreamNamePrefix=f"{name}/")
    lines = [e["message"] for e in events["events"]]
    assert f"Loaded {ROWS} rows, 21 columns from ['/opt/ml/processing/input/data/churn.txt']" in lines, lines
    assert f"Wrote {int(ROWS * 0.1)} rows to /opt/ml/processing/output/test/test.csv" in lines, lines


def test_the_success_criteria_hold_for_all_three_splits(notebook, s3, tmp_path):
    """Target 0/1 first, no header, all numeric, no NaN, 70/20/10, no row in two splits."""
    prefixes = {split: f"{PREFIX}/{split}" for split in ("train", "validation", "test")}
    paths = download_splits(s3, notebook["bucket"], prefixes, tmp_path)
    assert pathlib.Path(paths[0]).read_bytes() == (notebook["folder"] / "local_train.csv").read_bytes()
    assert check_outputs(paths).startswith(
        f"OK churn outputs: train {int(ROWS * 0.7)}, validation {int(ROWS * 0.2)}, test {int(ROWS * 0.1)};")
