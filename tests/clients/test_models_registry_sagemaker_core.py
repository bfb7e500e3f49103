"""sagemaker-core 1.x resources for models and the registry against sagebox: Model.create (CreateModel then
DescribeModel parsed into its shapes), ModelPackageGroup.create/get/get_all, and ModelPackage.get of a version
registered with boto3. (ModelPackage.create of 1.0.78 reads a ModelPackageName that CreateModelPackage's
response does not have, on AWS as here, so the version is registered with boto3; and a version's refresh()
describes it by its ModelPackageName, the group's name, which names no package of its own here.)"""
import pytest
from sagemaker_core.main import shapes
from sagemaker_core.main.resources import Model, ModelPackage, ModelPackageGroup

from conftest import unique

pytestmark = pytest.mark.usefixtures("sagemaker_core_config")
ROLE = "arn:aws:iam::000000000000:role/SageMakerRole"
IMAGE = "683313688378.dkr.ecr.us-east-1.amazonaws.com/sagemaker-xgboost:1.7-1"


def test_model_and_registry_resources(server, sagemaker):
    name = unique("core-model")
    model = Model.create(model_name=name, execution_role_arn=ROLE,
                         primary_container=shapes.ContainerDefinition(image=IMAGE, model_data_url="s3://lab/model.tar.gz"))
    assert model.model_arn == f"arn:aws:sagemaker:us-east-1:000000000000:model/{name}"
    assert model.primary_container.model_data_url == "s3://lab/model.tar.gz"
    assert model.enable_network_isolation is False

    group_name = unique("CoreGroup")
    group = ModelPackageGroup.create(model_package_group_name=group_name, model_package_group_description="from core")
    assert group.model_package_group_status == "Completed"
    assert group.model_package_group_arn.endswith(f":model-package-group/{group_name.lower()}")
    assert group_name in [g.model_package_group_name for g in ModelPackageGroup.get_all(name_contains=group_name)]

    arn = sagemaker.create_model_package(
        ModelPackageGroupName=group_name,
        ModelMetrics={"ModelQuality": {"Statistics": {"ContentType": "application/json", "S3Uri": "s3://lab/evaluation.json"}}},
        InferenceSpecification={"Containers": [{"Image": IMAGE, "ModelDataUrl": "s3://lab/model.tar.gz"}],
                                "SupportedContentTypes": ["text/csv"], "SupportedResponseMIMETypes": ["text/csv"]})["ModelPackageArn"]
    package = ModelPackage.get(model_package_name=arn)
    assert (package.model_package_version, package.model_package_status, package.model_approval_status) == (
        1, "Completed", "PendingManualApproval")
    assert package.model_metrics.model_quality.statistics.s3_uri == "s3://lab/evaluation.json"
    assert package.inference_specification.containers[0].image == IMAGE
