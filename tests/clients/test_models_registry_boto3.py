"""Models and the model registry with boto3 against `sagebox serve`: CreateModel and friends, a model
package group with versioned packages carrying ModelMetrics, approval with UpdateModelPackage, all of it
read back after the server is killed and started again on the same root; and the clear refusal of
every endpoint operation (sagebox serves no inference)."""
import boto3
import botocore.exceptions
import pytest

from conftest import unique

ACCOUNT_REGION = "arn:aws:sagemaker:us-east-1:000000000000"
IMAGE = "683313688378.dkr.ecr.us-east-1.amazonaws.com/sagemaker-xgboost:1.7-1"
ROLE = "arn:aws:iam::111122223333:role/SageMakerRole"


def error_of(call, **kwargs):
    with pytest.raises(botocore.exceptions.ClientError) as caught:
        call(**kwargs)
    return caught.value.response["Error"]


def container(model_data="s3://lab/churn/train/output/model.tar.gz"):
    return {"Image": IMAGE, "Environment": {}, "ModelDataUrl": model_data}


def register(sagemaker, group, evaluation_uri, **extra):
    """CreateModelPackage as the SDK's model.register() sends it (spec: the RegisterModel step's arguments)."""
    return sagemaker.create_model_package(
        ModelPackageGroupName=group,
        ModelMetrics={"ModelQuality": {"Statistics": {"ContentType": "application/json", "S3Uri": evaluation_uri}},
                      "Bias": {}, "Explainability": {}},
        InferenceSpecification={
            "Containers": [container()], "SupportedContentTypes": ["text/csv"], "SupportedResponseMIMETypes": ["text/csv"],
            "SupportedRealtimeInferenceInstanceTypes": ["ml.t2.medium", "ml.m5.large"],
            "SupportedTransformInstanceTypes": ["ml.m5.large"]},
        **extra)["ModelPackageArn"]


def test_a_model_is_created_described_listed_and_deleted(sagemaker):
    name = unique("ChurnModel")
    arn = sagemaker.create_model(ModelName=name, ExecutionRoleArn=ROLE, PrimaryContainer=container(),
                                 Tags=[{"Key": "team", "Value": "ml"}])["ModelArn"]
    assert arn == f"{ACCOUNT_REGION}:model/{name.lower()}"
    described = sagemaker.describe_model(ModelName=name)
    assert described["ModelName"] == name and described["ModelArn"] == arn
    assert described["PrimaryContainer"] == container() and described["ExecutionRoleArn"] == ROLE
    assert described["EnableNetworkIsolation"] is False and described["CreationTime"].year >= 2024
    assert sagemaker.list_tags(ResourceArn=arn)["Tags"] == [{"Key": "team", "Value": "ml"}]

    duplicate = error_of(sagemaker.create_model, ModelName=name, ExecutionRoleArn=ROLE, PrimaryContainer=container())
    assert duplicate == {"Code": "ValidationException", "Message": f'Cannot create already existing model "{arn}".'}
    listed = sagemaker.list_models(NameContains=name)["Models"]
    assert [(m["ModelName"], m["ModelArn"]) for m in listed] == [(name, arn)]

    sagemaker.delete_model(ModelName=name)
    missing = error_of(sagemaker.describe_model, ModelName=name)
    assert missing == {"Code": "ValidationException", "Message": f'Could not find model "{arn}".'}
    assert error_of(sagemaker.delete_model, ModelName=name)["Message"] == f'Could not find model "{arn}".'
    assert sagemaker.list_models(NameContains=name)["Models"] == []


def test_a_model_name_breaking_the_model_constraints_is_refused(sagemaker):
    error = error_of(sagemaker.create_model, ModelName="bad_name!", ExecutionRoleArn=ROLE, PrimaryContainer=container())
    assert error["Code"] == "ValidationException"
    assert "modelName" in error["Message"] and "bad_name!" in error["Message"]


def test_models_page_newest_first_by_default(sagemaker):
    prefix = unique("paged")
    names = [f"{prefix}-{n}" for n in range(3)]
    for name in names:
        sagemaker.create_model(ModelName=name, ExecutionRoleArn=ROLE, PrimaryContainer=container())
    first = sagemaker.list_models(NameContains=prefix, MaxResults=2)
    second = sagemaker.list_models(NameContains=prefix, MaxResults=2, NextToken=first["NextToken"])
    assert [m["ModelName"] for m in first["Models"] + second["Models"]] == names[::-1]
    assert "NextToken" not in second
    by_name = sagemaker.list_models(NameContains=prefix, SortBy="Name", SortOrder="Ascending")["Models"]
    assert [m["ModelName"] for m in by_name] == names


def check_registry(sagemaker, group, first, second):
    """What a client reads of the group and its two packages after `second` was approved."""
    described_group = sagemaker.describe_model_package_group(ModelPackageGroupName=group)
    assert described_group["ModelPackageGroupArn"] == f"{ACCOUNT_REGION}:model-package-group/{group.lower()}"
    assert described_group["ModelPackageGroupStatus"] == "Completed"
    assert described_group["ModelPackageGroupDescription"] == "churn models"

    packages = sagemaker.list_model_packages(ModelPackageGroupName=group)["ModelPackageSummaryList"]
    assert [(p["ModelPackageArn"], p["ModelPackageVersion"], p["ModelApprovalStatus"]) for p in packages] == [
        (first, 1, "PendingManualApproval"), (second, 2, "Approved")]
    # As AWS lists versions: by group and version, without a ModelPackageName of their own.
    assert all(p["ModelPackageGroupName"] == group and "ModelPackageName" not in p for p in packages)
    approved = sagemaker.list_model_packages(ModelPackageGroupName=group, ModelApprovalStatus="Approved")
    assert [p["ModelPackageArn"] for p in approved["ModelPackageSummaryList"]] == [second]
    newest = sagemaker.list_model_packages(ModelPackageGroupName=group, SortOrder="Descending", MaxResults=1)
    assert [p["ModelPackageVersion"] for p in newest["ModelPackageSummaryList"]] == [2] and "NextToken" in newest

    described = sagemaker.describe_model_package(ModelPackageName=second)
    assert described["ModelPackageGroupName"] == group and described["ModelPackageVersion"] == 2
    assert described["ModelApprovalStatus"] == "Approved"
    assert described["ApprovalDescription"] == "accuracy above the threshold"
    assert described["ModelPackageStatus"] == "Completed"
    assert described["ModelMetrics"]["ModelQuality"]["Statistics"] == {
        "ContentType": "application/json", "S3Uri": "s3://lab/churn/run-2/evaluation/evaluation.json"}
    assert described["InferenceSpecification"]["Containers"][0]["Image"] == IMAGE
    assert described["CustomerMetadataProperties"] == {"run": "2", "reviewer": "ana"}
    assert described["LastModifiedTime"] >= described["CreationTime"]
    # By ARN and by group/version alike.
    assert sagemaker.describe_model_package(ModelPackageName=f"{group}/1")["ModelPackageArn"] == first


def test_a_registered_model_is_described_listed_in_its_group_and_approved_across_a_restart(own_server):
    sagemaker = own_server.client("sagemaker")
    group = "ChurnModelGroup"
    group_arn = sagemaker.create_model_package_group(
        ModelPackageGroupName=group, ModelPackageGroupDescription="churn models")["ModelPackageGroupArn"]
    first = register(sagemaker, group, "s3://lab/churn/run-1/evaluation/evaluation.json")
    second = register(sagemaker, group, "s3://lab/churn/run-2/evaluation/evaluation.json",
                      CustomerMetadataProperties={"run": "2"})
    assert first == f"{ACCOUNT_REGION}:model-package/churnmodelgroup/1"
    assert second == f"{ACCOUNT_REGION}:model-package/churnmodelgroup/2"
    assert sagemaker.describe_model_package(ModelPackageName=second)["ModelApprovalStatus"] == "PendingManualApproval"

    own_server.kill_hard()
    own_server.restart()
    sagemaker = own_server.client("sagemaker")
    updated = sagemaker.update_model_package(
        ModelPackageArn=second, ModelApprovalStatus="Approved", ApprovalDescription="accuracy above the threshold",
        CustomerMetadataProperties={"reviewer": "ana"})
    assert updated["ModelPackageArn"] == second
    check_registry(sagemaker, group, first, second)

    own_server.kill_hard()
    own_server.restart()
    sagemaker = own_server.client("sagemaker")
    check_registry(sagemaker, group, first, second)
    # The next version continues after a restart, and tags are kept by ARN.
    third = register(sagemaker, group, "s3://lab/churn/run-3/evaluation/evaluation.json", ModelApprovalStatus="Rejected",
                     Tags=[{"Key": "stage", "Value": "dev"}])
    assert third.endswith("/churnmodelgroup/3")
    # A retried request (the same ClientToken) gets the same version back; a new one the next.
    retried = [register(sagemaker, group, "s3://lab/churn/run-4/evaluation/evaluation.json", ClientToken="run-4")
               for _ in range(2)]
    assert retried == [retried[0]] * 2 and retried[0].endswith("/churnmodelgroup/4")
    assert sagemaker.list_tags(ResourceArn=third)["Tags"] == [{"Key": "stage", "Value": "dev"}]
    sagemaker.add_tags(ResourceArn=group_arn, Tags=[{"Key": "owner", "Value": "ml"}])
    assert sagemaker.list_tags(ResourceArn=group_arn)["Tags"] == [{"Key": "owner", "Value": "ml"}]


def test_registry_errors_use_aws_texts(sagemaker):
    group = unique("errors")
    missing_arn = f"{ACCOUNT_REGION}:model-package-group/{group.lower()}"
    assert error_of(sagemaker.describe_model_package_group, ModelPackageGroupName=group) == {
        "Code": "ValidationException", "Message": f"ModelPackageGroup {missing_arn} does not exist."}
    assert error_of(register, sagemaker=sagemaker, group=group, evaluation_uri="s3://lab/e.json") == {
        "Code": "ValidationException", "Message": "Model Package Group does not exist."}

    sagemaker.create_model_package_group(ModelPackageGroupName=group)
    duplicate = error_of(sagemaker.create_model_package_group, ModelPackageGroupName=group)
    assert duplicate["Code"] == "ValidationException" and duplicate["Message"].startswith("Model Package Group already exists")
    both = error_of(sagemaker.create_model_package, ModelPackageGroupName=group, ModelPackageName="solo")
    assert both["Message"] == ("Both ModelPackageName and ModelPackageGroupName are provided in the input. "
                               "Cannot determine which one to use.")
    package_arn = f"{ACCOUNT_REGION}:model-package/{group.lower()}/7"
    assert error_of(sagemaker.describe_model_package, ModelPackageName=package_arn) == {
        "Code": "ValidationException", "Message": f"ModelPackage {package_arn} does not exist."}
    bad_status = error_of(sagemaker.update_model_package, ModelPackageArn=package_arn, ModelApprovalStatus="Maybe")
    assert bad_status["Code"] == "ValidationException" and "Maybe" in bad_status["Message"]

    register(sagemaker, group, "s3://lab/e.json")
    refused = error_of(sagemaker.delete_model_package_group, ModelPackageGroupName=group)
    assert refused["Code"] == "ConflictException"
    assert sagemaker.describe_model_package_group(ModelPackageGroupName=group)["ModelPackageGroupName"] == group
    empty = unique("empty")
    sagemaker.create_model_package_group(ModelPackageGroupName=empty)
    sagemaker.delete_model_package_group(ModelPackageGroupName=empty)
    assert error_of(sagemaker.describe_model_package_group, ModelPackageGroupName=empty)["Code"] == "ValidationException"


def test_unversioned_packages_are_listed_by_default_and_versioned_on_request(sagemaker):
    name = unique("solo")
    arn = sagemaker.create_model_package(
        ModelPackageName=name, InferenceSpecification={"Containers": [container()], "SupportedContentTypes": ["text/csv"],
                                                       "SupportedResponseMIMETypes": ["text/csv"]})["ModelPackageArn"]
    assert arn == f"{ACCOUNT_REGION}:model-package/{name.lower()}"
    described = sagemaker.describe_model_package(ModelPackageName=name)
    assert "ModelPackageVersion" not in described and "ModelApprovalStatus" not in described
    default = sagemaker.list_model_packages(NameContains=name)["ModelPackageSummaryList"]
    assert [p["ModelPackageArn"] for p in default] == [arn]
    assert sagemaker.list_model_packages(NameContains=name, ModelPackageType="Versioned")["ModelPackageSummaryList"] == []


@pytest.mark.parametrize("operation, arguments", [
    ("create_endpoint_config", {"EndpointConfigName": "c", "ProductionVariants": [
        {"VariantName": "v", "ModelName": "m", "InstanceType": "ml.m5.large", "InitialInstanceCount": 1}]}),
    ("create_endpoint", {"EndpointName": "e", "EndpointConfigName": "c"}),
    ("describe_endpoint", {"EndpointName": "e"}),
])
def test_endpoints_are_refused_with_a_clear_message(sagemaker, operation, arguments):
    error = error_of(getattr(sagemaker, operation), **arguments)
    assert error["Code"] == "UnknownOperationException"
    assert "sagebox serves no endpoints" in error["Message"]


def test_invoke_endpoint_is_refused_with_the_same_message(server):
    runtime = boto3.client("sagemaker-runtime", endpoint_url=server.url, region_name="us-east-1")
    with pytest.raises(botocore.exceptions.ClientError) as caught:
        runtime.invoke_endpoint(EndpointName="churn", ContentType="text/csv", Body=b"1,2,3")
    error = caught.value.response["Error"]
    assert error["Code"] == "UnknownOperationException"
    assert "SageMakerRuntime.InvokeEndpoint" in error["Message"] and "sagebox serves no endpoints" in error["Message"]
