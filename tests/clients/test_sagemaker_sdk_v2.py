"""The SageMaker Python SDK v2 against sagebox: ScriptProcessor and SKLearnProcessor running the churn
sample's preprocessing.py with `run(wait=True, logs=True)`, as a notebook would, reaching sagebox only
through AWS_ENDPOINT_URL.

The SDK's Session is given its default bucket, so it never asks STS (whose regional endpoint the SDK
names explicitly) for the account, and a config file written here turns its telemetry off
(TelemetryOptOut; telemetry would GET amazonaws.com) without touching the user's home.
`contacted_hosts` checks that the endpoint is the only host the SDK reached.
"""
import boto3
import pytest

from churn_sample import PREPROCESSING, ROWS, check_outputs, download_splits, generate_data
from conftest import sagemaker_sdk, unique
from host_audit import assert_only_endpoint, contacted_hosts  # noqa: F401 (a fixture)

ROLE = "arn:aws:iam::000000000000:role/SageMakerRole"
CONFIG_BUCKET = unique("sdk-config-default")
SKLEARN_IMAGE = "683313688378.dkr.ecr.us-east-1.amazonaws.com/sagemaker-scikit-learn:1.2-1-cpu-py3"


@pytest.fixture(scope="module")
def sdk(server, tmp_path_factory):
    """The `sagemaker` module, with a config file of this test's own (telemetry off, CONFIG_BUCKET)."""
    with sagemaker_sdk(tmp_path_factory.mktemp("sagemaker-config"), CONFIG_BUCKET) as sagemaker:
        yield sagemaker


@pytest.fixture
def session(sdk):
    """A sagemaker.Session given a default bucket that does not exist yet: the SDK creates it (HeadBucket 404)."""
    return sdk.Session(boto_session=boto3.Session(region_name="us-east-1"), default_bucket=unique("sdk-default"))


def churn_outputs(sdk):
    """The three ProcessingOutputs of preprocessing.py, with the SDK's default destinations."""
    return [sdk.processing.ProcessingOutput(output_name=split, source=f"/opt/ml/processing/output/{split}")
            for split in ("train", "validation", "test")]


def split_prefixes(description, bucket):
    """Each output's S3 prefix (without s3://bucket/) from a DescribeProcessingJob answer."""
    prefixes = {}
    for output in description["ProcessingOutputConfig"]["Outputs"]:
        uri = output["S3Output"]["S3Uri"]
        assert uri.startswith(f"s3://{bucket}/"), uri
        prefixes[output["OutputName"]] = uri.removeprefix(f"s3://{bucket}/")
    return prefixes


def test_script_processor_runs_churn_preprocessing_from_local_files(sdk, session, s3, tmp_path, capsys,
                                                                    contacted_hosts):
    data = generate_data(tmp_path)
    processor = sdk.processing.ScriptProcessor(
        image_uri="sagebox/python:3", command=["python3"], role=ROLE, instance_count=1,
        instance_type="ml.m5.xlarge", base_job_name="churn-script", sagemaker_session=session)
    processor.run(code=str(PREPROCESSING),
                  inputs=[sdk.processing.ProcessingInput(source=str(data), destination="/opt/ml/processing/input/data")],
                  outputs=churn_outputs(sdk), arguments=["--train-test-split", "0.8"], wait=True, logs=True)
    # Only the endpoint was reached: no STS/S3 on amazonaws.com, no telemetry (opted out in the config).
    assert_only_endpoint(contacted_hosts)

    assert session.sagemaker_config["SageMaker"]["PythonSDK"]["Modules"]["TelemetryOptOut"] is True
    job = processor.latest_job.describe()
    name = job["ProcessingJobName"]
    bucket = session.default_bucket()
    assert name.startswith("churn-script-")
    assert job["ProcessingJobStatus"] == "Completed", job.get("FailureReason")
    assert job["AppSpecification"]["ContainerEntrypoint"] == ["python3", "/opt/ml/processing/input/code/preprocessing.py"]
    assert job["AppSpecification"]["ContainerArguments"] == ["--train-test-split", "0.8"]
    # The SDK uploaded the local script and data to its default bucket, which it created.
    inputs = {i["InputName"]: i["S3Input"]["S3Uri"] for i in job["ProcessingInputs"]}
    assert inputs == {"input-1": f"s3://{bucket}/{name}/input/input-1/churn.csv",
                      "code": f"s3://{bucket}/{name}/input/code/preprocessing.py"}
    assert s3.get_object(Bucket=bucket, Key=f"{name}/input/code/preprocessing.py")["Body"].read() == \
        PREPROCESSING.read_bytes()
    # logs=True printed the job's own stdout, read back through CloudWatch Logs.
    printed = capsys.readouterr().out
    assert f"Wrote {int(ROWS * 0.8)} rows to /opt/ml/processing/output/train/train.csv" in printed
    prefixes = split_prefixes(job, bucket)
    assert prefixes == {s: f"{name}/output/{s}" for s in ("train", "validation", "test")}
    assert check_outputs(download_splits(s3, bucket, prefixes, tmp_path), train_split=0.8).startswith(
        f"OK churn outputs: train {int(ROWS * 0.8)}, ")


def test_sklearn_processor_runs_churn_preprocessing_from_s3(sdk, s3, bucket, tmp_path, capsys, contacted_hosts):
    """A plain sagemaker.Session(), as in a notebook: region from AWS_DEFAULT_REGION, bucket from the config."""
    s3.upload_file(str(generate_data(tmp_path)), bucket, "churn/raw/churn.csv")
    session = sdk.Session()
    processor = sdk.sklearn.processing.SKLearnProcessor(
        framework_version="1.2-1", role=ROLE, instance_count=1, instance_type="ml.m5.xlarge",
        sagemaker_session=session)
    outputs = [sdk.processing.ProcessingOutput(output_name=split, source=f"/opt/ml/processing/output/{split}",
                                               destination=f"s3://{bucket}/churn/processed/{split}")
               for split in ("train", "validation", "test")]
    processor.run(code=str(PREPROCESSING),
                  inputs=[sdk.processing.ProcessingInput(source=f"s3://{bucket}/churn/raw/",
                                                         destination="/opt/ml/processing/input/data")],
                  outputs=outputs, wait=True, logs=True)
    assert_only_endpoint(contacted_hosts)

    job = processor.latest_job.describe()
    assert job["ProcessingJobStatus"] == "Completed", job.get("FailureReason")
    # The framework image the SDK looked up: an ECR URI, run on the host by the default image entry.
    assert job["AppSpecification"]["ImageUri"] == SKLEARN_IMAGE
    assert job["ProcessingJobName"].startswith("sagemaker-scikit-learn-")
    code = {i["InputName"]: i["S3Input"]["S3Uri"] for i in job["ProcessingInputs"]}["code"]
    assert code == f"s3://{CONFIG_BUCKET}/{job['ProcessingJobName']}/input/code/preprocessing.py"
    assert f"Wrote {int(ROWS * 0.7)} rows to /opt/ml/processing/output/train/train.csv" in capsys.readouterr().out
    prefixes = split_prefixes(job, bucket)
    assert check_outputs(download_splits(s3, bucket, prefixes, tmp_path)).startswith(
        f"OK churn outputs: train {int(ROWS * 0.7)}, validation {int(ROWS * 0.2)}, test {int(ROWS * 0.1)};")


def test_failed_job_raises_unexpected_status_with_failure_reason(sdk, session, contacted_hosts):
    """A bare role name goes through IAM GetRole (expand_role); a failed job raises with its FailureReason."""
    processor = sdk.processing.Processor(
        image_uri="sagebox/shell:latest", entrypoint=["/bin/sh", "-c", "echo cannot continue >&2; exit 2"],
        role="SageMakerRole", instance_count=1, instance_type="ml.t3.medium", base_job_name="sdk-fails",
        sagemaker_session=session)
    with pytest.raises(sdk.exceptions.UnexpectedStatusException) as caught:
        processor.run(wait=True, logs=True)
    assert_only_endpoint(contacted_hosts)
    message = str(caught.value)
    assert "Error for Processing job sdk-fails-" in message
    assert "Failed. Reason: AlgorithmError: See job logs for more information" in message
    job = processor.latest_job.describe()
    assert job["RoleArn"] == ROLE
    assert job["ProcessingJobStatus"] == "Failed"
