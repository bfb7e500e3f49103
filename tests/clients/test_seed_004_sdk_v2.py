"""Seed 004 (the SageMaker Python SDK's Processing page) with the SDK v2, verbatim: its two scikit-learn
cells, kept in tests/seeds/004/ (checked against the seed by test_seed_blocks.py), run in a notebook's
folder: SKLearnProcessor (framework_version "0.20.0") runs `preprocessing.py` with the user's input at
/opt/ml/processing/input, inside which the SDK nests its code input at /opt/ml/processing/input/code,
then `preprocessing_job_description = sklearn_processor.jobs[-1].describe()`.

Only the placeholders are filled: the role, the seed's `s3://your-bucket/path/to/your/data` (the cell's
fill reads it from `data_source`, which the test sets: that prefix in the test's bucket, or a local path),
and the SDK's default bucket (DefaultS3Bucket in a config file of the test's own, with TelemetryOptOut).
The notebook folder holds the seed's `preprocessing.py` (ours: the seed does not print it). The SDK
reaches sagebox only through AWS_ENDPOINT_URL.
"""
import shutil

import pytest

from conftest import sagemaker_sdk, unique
from host_audit import assert_only_endpoint
from seed_004_sample import (LAYOUT, ONE_FILE, SCRIPT_DIR, check_seed_job, local_source, upload_data, uploaded_uri,
                             write_data)
from seed_blocks import COPIES, run_notebook

SEED = COPIES / "004"
CONFIG_BUCKET = unique("seed-004-v2")
# Between the seed's two cells: record the CreateProcessingJob request the SDK sends.
RECORD_REQUEST = ("from seed_004_sample import record_create_request\nsent = []\n"
                  "record_create_request(sklearn_processor.sagemaker_session.sagemaker_client, sent)\n")


@pytest.fixture(scope="module")
def sdk(server, tmp_path_factory):
    """The SDK v2 with the test's config file in force (telemetry off, CONFIG_BUCKET as default bucket)."""
    with sagemaker_sdk(tmp_path_factory.mktemp("sagemaker-config"), CONFIG_BUCKET) as sagemaker:
        yield sagemaker


def run_seed(folder, data_source):
    """Seed 004's cells in `folder` (with preprocessing.py) with `data_source` as the data's source.
    Returns `preprocessing_job_description`, the request sent, and what the cells printed."""
    shutil.copy(SCRIPT_DIR / "preprocessing.py", folder / "preprocessing.py")
    namespace, printed, hosts = run_notebook(folder, [
        f"data_source = {data_source!r}\n", SEED / "sklearn_processor.py", RECORD_REQUEST, SEED / "sklearn_run.py"])
    assert_only_endpoint(hosts)
    return namespace["preprocessing_job_description"], namespace["sent"], printed


def test_seed_004_sklearn_processor_reads_s3_prefix_beside_nested_code(sdk, s3, bucket, tmp_path):
    """The data under s3://<bucket>/path/to/your/data (no trailing slash): the script finds the prefix's
    files at their paths below it in /opt/ml/processing/input, and the code folder nested inside."""
    source = upload_data(s3, bucket, write_data(tmp_path / "data"))
    description, sent, printed = run_seed(tmp_path, source)
    check_seed_job(s3, description, sent, source, CONFIG_BUCKET, printed, LAYOUT)


@pytest.mark.parametrize("layout", [LAYOUT, ONE_FILE], ids=["local-folder", "local-file"])
def test_seed_004_sklearn_processor_with_local_source(sdk, s3, tmp_path, layout):
    """The seed's input given as a local path, which the SDK uploads first (see uploaded_uri)."""
    description, sent, printed = run_seed(tmp_path, local_source(tmp_path, layout))
    check_seed_job(s3, description, sent, uploaded_uri(CONFIG_BUCKET, description["ProcessingJobName"], layout),
                   CONFIG_BUCKET, printed, layout)
