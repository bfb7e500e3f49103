"""Seed 004 (the SageMaker Python SDK's Processing page) with the SDK v2, verbatim: SKLearnProcessor
(framework_version "0.20.0") runs `preprocessing.py` with the user's input at /opt/ml/processing/input,
inside which the SDK nests its code input at /opt/ml/processing/input/code, then
`sklearn_processor.jobs[-1].describe()`.

Only the placeholders are filled: the role, the bucket of `s3://your-bucket/path/to/your/data`, and
the SDK's default bucket (DefaultS3Bucket in a config file of the test's own, with TelemetryOptOut).
`code="preprocessing.py"` is relative, so the test runs from the folder holding the script
(tests/clients/seed_004). The SDK reaches sagebox only through AWS_ENDPOINT_URL (`contacted_hosts`).
"""
import pytest

from conftest import sagemaker_sdk, unique
from host_audit import assert_only_endpoint, contacted_hosts  # noqa: F401 (a fixture)
from seed_004_sample import (LAYOUT, ONE_FILE, ROLE, SCRIPT_DIR, check_seed_job, local_source, record_create_request,
                             upload_data, uploaded_uri, write_data)

CONFIG_BUCKET = unique("seed-004-v2")


@pytest.fixture(scope="module")
def sdk(server, tmp_path_factory):
    """The SDK v2 with the test's config file in force (telemetry off, CONFIG_BUCKET as default bucket)."""
    with sagemaker_sdk(tmp_path_factory.mktemp("sagemaker-config"), CONFIG_BUCKET) as sagemaker:
        yield sagemaker


def run_seed(source, sent):
    """Seed 004's code as printed, with the role filled in and `source` for the data; `sent` gets the
    CreateProcessingJob request. Returns `preprocessing_job_description`."""
    from sagemaker.sklearn.processing import SKLearnProcessor

    sklearn_processor = SKLearnProcessor(
        framework_version="0.20.0",
        role=ROLE,
        instance_type="ml.m5.xlarge",
        instance_count=1,
    )
    record_create_request(sklearn_processor.sagemaker_session.sagemaker_client, sent)

    from sagemaker.processing import ProcessingInput, ProcessingOutput

    sklearn_processor.run(
        code="preprocessing.py",
        inputs=[
            ProcessingInput(source=source, destination="/opt/ml/processing/input"),
        ],
        outputs=[
            ProcessingOutput(output_name="train_data", source="/opt/ml/processing/train"),
            ProcessingOutput(output_name="test_data", source="/opt/ml/processing/test"),
        ],
        arguments=["--train-test-split-ratio", "0.2"],
    )

    preprocessing_job_description = sklearn_processor.jobs[-1].describe()
    return preprocessing_job_description


def test_seed_004_sklearn_processor_reads_s3_prefix_beside_nested_code(sdk, s3, bucket, tmp_path, monkeypatch,
                                                                       capsys, contacted_hosts):
    """The data under s3://<bucket>/path/to/your/data (no trailing slash): the script finds the prefix's
    files at their paths below it in /opt/ml/processing/input, and the code folder nested inside."""
    source = upload_data(s3, bucket, write_data(tmp_path))
    monkeypatch.chdir(SCRIPT_DIR)
    sent = []
    description = run_seed(source, sent)
    assert_only_endpoint(contacted_hosts)

    check_seed_job(s3, description, sent, source, CONFIG_BUCKET, capsys.readouterr().out, LAYOUT)


@pytest.mark.parametrize("layout", [LAYOUT, ONE_FILE], ids=["local-folder", "local-file"])
def test_seed_004_sklearn_processor_with_local_source(sdk, s3, tmp_path, monkeypatch, capsys, contacted_hosts,
                                                       layout):
    """The seed's input given as a local path, which the SDK uploads first (see uploaded_uri)."""
    source = local_source(tmp_path, layout)
    monkeypatch.chdir(SCRIPT_DIR)
    sent = []
    description = run_seed(source, sent)
    assert_only_endpoint(contacted_hosts)

    check_seed_job(s3, description, sent, uploaded_uri(CONFIG_BUCKET, description["ProcessingJobName"], layout),
                   CONFIG_BUCKET, capsys.readouterr().out, layout)
