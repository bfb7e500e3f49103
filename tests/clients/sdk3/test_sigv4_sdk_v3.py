"""The SageMaker SDK v3 (`sagemaker` 3.x) against `sagebox serve --credentials`: its Session uploads with
the file's key, sagemaker-core's ProcessingJob resource creates and reads a job, and a wrong secret is
refused with SageMaker's InvalidSignatureException."""
import boto3
import pytest
from botocore.exceptions import ClientError

from conftest import SIGNED_KEYS, job_request, sdk_config, unique

pytestmark = pytest.mark.usefixtures("signed_server", "fresh_clients")


@pytest.fixture
def fresh_clients():
    """Clients made for the signed server alone: boto3's default session keeps the credentials it first
    resolved, and sagemaker-core's SageMakerClient singleton the first session's endpoint and keys, so after
    another module (seed 004's) both would still speak to the unsigned server with its keys. Both are
    dropped before the test and after it, for the modules that follow."""
    from sagemaker.core.utils.utils import SageMakerClient, SingletonMeta

    def drop():
        boto3.DEFAULT_SESSION = None
        SingletonMeta._instances.pop(SageMakerClient, None)

    drop()
    yield
    drop()


def test_session_upload_and_processing_job_resource(tmp_path):
    bucket = unique("signed-v3")
    boto3.client("s3").create_bucket(Bucket=bucket)
    with sdk_config(tmp_path, bucket):
        from sagemaker.core.helper.session_helper import Session
        from sagemaker.core.resources import ProcessingJob
        from sagemaker.core.shapes import AppSpecification, ProcessingClusterConfig, ProcessingResources

        data = tmp_path / "data.txt"
        data.write_text("signed by the SDK v3\n")
        uploaded = Session(boto_session=boto3.Session(region_name="us-east-1")).upload_data(
            str(data), bucket=bucket, key_prefix="v3")
        assert uploaded == f"s3://{bucket}/v3/data.txt"
        name = unique("signed-v3-job")
        request = job_request(name, "echo done")
        job = ProcessingJob.create(
            processing_job_name=name, role_arn=request["RoleArn"],
            app_specification=AppSpecification(image_uri=request["AppSpecification"]["ImageUri"],
                                               container_entrypoint=request["AppSpecification"]["ContainerEntrypoint"]),
            processing_resources=ProcessingResources(cluster_config=ProcessingClusterConfig(
                instance_count=1, instance_type="ml.t3.medium", volume_size_in_gb=1)))
        job.wait(poll=1, timeout=120)
        assert job.refresh().processing_job_status == "Completed"
    assert boto3.client("s3").get_object(Bucket=bucket, Key="v3/data.txt")["Body"].read() == b"signed by the SDK v3\n"
    key = list(SIGNED_KEYS)[1]
    wrong = boto3.client("sagemaker", aws_access_key_id=key, aws_secret_access_key="wrong")
    with pytest.raises(ClientError) as refused:
        wrong.describe_processing_job(ProcessingJobName=name)
    assert refused.value.response["Error"]["Code"] == "InvalidSignatureException"
