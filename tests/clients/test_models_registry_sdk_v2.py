"""The SageMaker Python SDK v2's model calls against sagebox, as seed 002 makes them outside a pipeline:
`Model(image_uri, model_data, role).create(instance_type=...)` (CreateModel) and `model.register(...)`
with ModelMetrics (the SDK looks for the group, creates it when missing, then CreateModelPackage), then
the second version approved through the SDK's ModelPackage.update_approval_status."""
import boto3
import pytest

from conftest import sagemaker_sdk, unique
from host_audit import assert_only_endpoint, contacted_hosts  # noqa: F401 (a fixture)

ROLE = "arn:aws:iam::000000000000:role/SageMakerRole"
XGBOOST_IMAGE = "683313688378.dkr.ecr.us-east-1.amazonaws.com/sagemaker-xgboost:1.7-1"
CONFIG_BUCKET = unique("sdk-models-default")


@pytest.fixture(scope="module")
def sdk(server, tmp_path_factory):
    with sagemaker_sdk(tmp_path_factory.mktemp("sagemaker-config"), CONFIG_BUCKET) as sagemaker:
        import sagemaker.model
        import sagemaker.model_metrics
        yield sagemaker


@pytest.fixture
def session(sdk):
    return sdk.Session(boto_session=boto3.Session(region_name="us-east-1"), default_bucket=unique("sdk-models"))


def test_model_create_and_register_as_seed_002(sdk, session, sagemaker, contacted_hosts):
    model_data = "s3://lab/churn/ChurnTrain/output/model.tar.gz"
    model = sdk.model.Model(image_uri=XGBOOST_IMAGE, model_data=model_data, role=ROLE, sagemaker_session=session)
    model.create(instance_type="ml.m5.large")
    described = sagemaker.describe_model(ModelName=model.name)
    assert described["PrimaryContainer"]["Image"] == XGBOOST_IMAGE
    assert described["PrimaryContainer"]["ModelDataUrl"] == model_data
    assert described["ExecutionRoleArn"] == ROLE

    group = unique("ChurnModelGroup")
    evaluation = "s3://lab/churn/execution-1/evaluation/evaluation.json"
    metrics = sdk.model_metrics.ModelMetrics(
        model_statistics=sdk.model_metrics.MetricsSource(s3_uri=evaluation, content_type="application/json"))
    registered = [model.register(
        content_types=["text/csv"], response_types=["text/csv"], inference_instances=["ml.t2.medium", "ml.m5.large"],
        transform_instances=["ml.m5.large"], model_package_group_name=group, approval_status="PendingManualApproval",
        model_metrics=metrics) for _ in range(2)]
    assert_only_endpoint(contacted_hosts)
    arns = [package.model_package_arn for package in registered]
    assert arns == [f"arn:aws:sagemaker:us-east-1:000000000000:model-package/{group.lower()}/{n}" for n in (1, 2)]

    # The SDK created the missing group once, then added the second version to it.
    groups = sagemaker.list_model_package_groups(NameContains=group)["ModelPackageGroupSummaryList"]
    assert [g["ModelPackageGroupName"] for g in groups] == [group]
    package = sagemaker.describe_model_package(ModelPackageName=arns[0])
    assert package["ModelMetrics"]["ModelQuality"]["Statistics"] == {"ContentType": "application/json", "S3Uri": evaluation}
    assert package["InferenceSpecification"]["Containers"][0]["ModelDataUrl"] == model_data
    assert package["InferenceSpecification"]["SupportedRealtimeInferenceInstanceTypes"] == ["ml.t2.medium", "ml.m5.large"]

    # Approval through the SDK's ModelPackage (UpdateModelPackage).
    registered[1].update_approval_status("Approved", approval_description="accuracy 0.93 above 0.7")
    assert [p["ModelApprovalStatus"] for p in
            sagemaker.list_model_packages(ModelPackageGroupName=group)["ModelPackageSummaryList"]] == [
        "PendingManualApproval", "Approved"]
    assert sagemaker.describe_model_package(ModelPackageName=arns[1])["ApprovalDescription"] == "accuracy 0.93 above 0.7"
