"""AddTags, ListTags and DeleteTags on processing-job ARNs, through boto3's SageMaker client."""
import botocore.exceptions
import pytest

from conftest import job_request, unique, wait_for_job


def tags_of(sagemaker, arn):
    return {tag["Key"]: tag["Value"] for tag in sagemaker.list_tags(ResourceArn=arn)["Tags"]}


def test_tags_from_create_add_and_delete(sagemaker):
    name = unique("tagged")
    request = job_request(name, "true")
    request["Tags"] = [{"Key": "team", "Value": "ml"}, {"Key": "env", "Value": "dev"}]
    arn = sagemaker.create_processing_job(**request)["ProcessingJobArn"]
    listed = sagemaker.list_tags(ResourceArn=arn)
    assert listed["Tags"] == [{"Key": "env", "Value": "dev"}, {"Key": "team", "Value": "ml"}]
    assert "NextToken" not in listed

    added = sagemaker.add_tags(ResourceArn=arn, Tags=[{"Key": "env", "Value": "prod"}, {"Key": "cost", "Value": "42"}])
    assert added["Tags"] == [{"Key": "cost", "Value": "42"}, {"Key": "env", "Value": "prod"},
                             {"Key": "team", "Value": "ml"}]
    assert tags_of(sagemaker, arn) == {"cost": "42", "env": "prod", "team": "ml"}

    sagemaker.delete_tags(ResourceArn=arn, TagKeys=["team", "not-there"])
    assert tags_of(sagemaker, arn) == {"cost": "42", "env": "prod"}
    # The same name in another account is another resource.
    elsewhere = arn.replace(":000000000000:", ":111111111111:")
    with pytest.raises(botocore.exceptions.ClientError) as caught:
        sagemaker.list_tags(ResourceArn=elsewhere)
    assert caught.value.response["Error"]["Message"] == f"Could not find resource {elsewhere}"
    wait_for_job(sagemaker, name)


def test_fifty_tags_per_job(sagemaker):
    name = unique("full-tags")
    arn = sagemaker.create_processing_job(**job_request(name, "true"))["ProcessingJobArn"]
    sagemaker.add_tags(ResourceArn=arn, Tags=[{"Key": f"k{i:02}", "Value": str(i)} for i in range(50)])
    # MaxResults is at least 50 in the model and a job has at most 50 tags: one page holds them all.
    first = sagemaker.list_tags(ResourceArn=arn, MaxResults=50)
    assert [t["Key"] for t in first["Tags"]] == [f"k{i:02}" for i in range(50)]
    assert "NextToken" not in first
    with pytest.raises(botocore.exceptions.ClientError) as caught:
        sagemaker.list_tags(ResourceArn=arn, NextToken="not-a-token")
    assert caught.value.response["Error"]["Code"] == "ValidationException"
    sagemaker.delete_tags(ResourceArn=arn, TagKeys=["k00"])
    sagemaker.add_tags(ResourceArn=arn, Tags=[{"Key": "zz", "Value": "last"}])
    with pytest.raises(botocore.exceptions.ClientError) as caught:
        sagemaker.add_tags(ResourceArn=arn, Tags=[{"Key": "one-too-many", "Value": "x"}])
    assert caught.value.response["Error"]["Code"] == "ValidationException"
    assert "50" in caught.value.response["Error"]["Message"]
    assert "one-too-many" not in tags_of(sagemaker, arn)
    wait_for_job(sagemaker, name)


def test_unknown_arn_is_validation_exception(sagemaker):
    arn = "arn:aws:sagemaker:us-east-1:000000000000:processing-job/no-such-job"
    for call in (lambda: sagemaker.list_tags(ResourceArn=arn),
                 lambda: sagemaker.add_tags(ResourceArn=arn, Tags=[{"Key": "k", "Value": "v"}]),
                 lambda: sagemaker.delete_tags(ResourceArn=arn, TagKeys=["k"])):
        with pytest.raises(botocore.exceptions.ClientError) as caught:
            call()
        assert caught.value.response["Error"]["Code"] == "ValidationException"
        assert caught.value.response["Error"]["Message"] == f"Could not find resource {arn}"
    training = "arn:aws:sagemaker:us-east-1:000000000000:training-job/some-job"
    with pytest.raises(botocore.exceptions.ClientError) as caught:
        sagemaker.list_tags(ResourceArn=training)
    assert caught.value.response["Error"]["Code"] == "ValidationException"


def test_deleted_job_has_no_tags(sagemaker):
    name = unique("delete-tagged")
    request = job_request(name, "true")
    request["Tags"] = [{"Key": "k", "Value": "v"}]
    arn = sagemaker.create_processing_job(**request)["ProcessingJobArn"]
    assert wait_for_job(sagemaker, name)["ProcessingJobStatus"] == "Completed"
    sagemaker.delete_processing_job(ProcessingJobName=name)
    with pytest.raises(botocore.exceptions.ClientError) as caught:
        sagemaker.list_tags(ResourceArn=arn)
    assert caught.value.response["Error"]["Code"] == "ValidationException"
    # The name is free again and a new job of that name starts untagged.
    sagemaker.create_processing_job(**job_request(name, "true"))
    assert sagemaker.list_tags(ResourceArn=arn)["Tags"] == []
    wait_for_job(sagemaker, name)
