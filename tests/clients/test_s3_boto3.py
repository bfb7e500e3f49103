"""boto3's S3 client against sagebox's S3 REST API."""
import hashlib
import os

import botocore.exceptions
import pytest

from conftest import unique


def test_bucket_round_trip(s3):
    name = unique("rt")
    s3.create_bucket(Bucket=name)
    assert name in [b["Name"] for b in s3.list_buckets()["Buckets"]]
    head = s3.head_bucket(Bucket=name)
    assert head["ResponseMetadata"]["HTTPStatusCode"] == 200
    assert head["ResponseMetadata"]["HTTPHeaders"]["x-amzn-requestid"]
    assert s3.get_bucket_location(Bucket=name).get("LocationConstraint") is None
    s3.delete_bucket(Bucket=name)
    assert name not in [b["Name"] for b in s3.list_buckets()["Buckets"]]


def test_create_bucket_with_location_constraint(s3):
    name = unique("eu")
    s3.create_bucket(Bucket=name, CreateBucketConfiguration={"LocationConstraint": "eu-west-1"})
    s3.head_bucket(Bucket=name)


def test_head_bucket_missing_is_a_bare_404(s3):
    with pytest.raises(botocore.exceptions.ClientError) as caught:
        s3.head_bucket(Bucket=unique("missing"))
    error = caught.value.response["Error"]
    # The SageMaker SDK compares these two strings: the 404 must come without a body.
    assert error["Code"] == "404"
    assert error["Message"] == "Not Found"


def test_put_get_head_with_metadata(s3, bucket):
    body = os.urandom(300_000)
    put = s3.put_object(Bucket=bucket, Key="dir/blob.bin", Body=body, ContentType="application/x-test",
                        Metadata={"owner": "sagebox"})
    assert put["ETag"] == '"%s"' % hashlib.md5(body).hexdigest()
    got = s3.get_object(Bucket=bucket, Key="dir/blob.bin")
    assert got["Body"].read() == body
    assert got["ContentType"] == "application/x-test"
    assert got["Metadata"] == {"owner": "sagebox"}
    assert got["ETag"] == put["ETag"]
    head = s3.head_object(Bucket=bucket, Key="dir/blob.bin")
    assert head["ContentLength"] == len(body)
    assert head["ETag"] == put["ETag"]
    assert head["Metadata"] == {"owner": "sagebox"}
    assert head["LastModified"] == got["LastModified"]


def test_upload_file_streams_a_larger_body(s3, bucket, tmp_path):
    # upload_file goes through s3transfer (aws-chunked with a CRC32 trailer); 7 MiB stays under the
    # multipart threshold.
    source = tmp_path / "big.bin"
    data = os.urandom(7 * 1024 * 1024)
    source.write_bytes(data)
    s3.upload_file(str(source), bucket, "big.bin")
    target = tmp_path / "back.bin"
    s3.download_file(bucket, "big.bin", str(target))
    assert target.read_bytes() == data


def test_keys_with_special_characters(s3, bucket):
    keys = ["a b+c.txt", "ünï/cødé.txt", "x=1&y=2?.txt", "dir//double", "trailing/"]
    for key in keys:
        s3.put_object(Bucket=bucket, Key=key, Body=key.encode())
    for key in keys:
        assert s3.get_object(Bucket=bucket, Key=key)["Body"].read() == key.encode()
    listed = [o["Key"] for o in s3.list_objects_v2(Bucket=bucket)["Contents"]]
    assert sorted(listed, key=lambda k: k.encode()) == listed
    assert set(listed) == set(keys)


def test_range_get(s3, bucket):
    s3.put_object(Bucket=bucket, Key="digits", Body=b"0123456789")
    part = s3.get_object(Bucket=bucket, Key="digits", Range="bytes=2-5")
    assert part["Body"].read() == b"2345"
    assert part["ContentRange"] == "bytes 2-5/10"
    assert part["ResponseMetadata"]["HTTPStatusCode"] == 206
    assert s3.get_object(Bucket=bucket, Key="digits", Range="bytes=-3")["Body"].read() == b"789"
    assert s3.get_object(Bucket=bucket, Key="digits", Range="bytes=7-")["Body"].read() == b"789"
    with pytest.raises(botocore.exceptions.ClientError) as caught:
        s3.get_object(Bucket=bucket, Key="digits", Range="bytes=10-20")
    assert caught.value.response["Error"]["Code"] == "InvalidRange"
    assert caught.value.response["ResponseMetadata"]["HTTPStatusCode"] == 416


def test_part_number_of_a_single_part_object(s3, bucket):
    s3.put_object(Bucket=bucket, Key="one-part", Body=b"abc")
    assert s3.get_object(Bucket=bucket, Key="one-part", PartNumber=1)["Body"].read() == b"abc"
    with pytest.raises(botocore.exceptions.ClientError) as caught:
        s3.get_object(Bucket=bucket, Key="one-part", PartNumber=2)
    assert caught.value.response["Error"]["Code"] == "InvalidPartNumber"


def test_no_such_key(s3, bucket):
    with pytest.raises(s3.exceptions.NoSuchKey) as caught:
        s3.get_object(Bucket=bucket, Key="nope/missing.txt")
    response = caught.value.response
    assert response["ResponseMetadata"]["HTTPStatusCode"] == 404
    assert response["Error"]["Code"] == "NoSuchKey"
    assert response["Error"]["Message"] == "The specified key does not exist."


def test_no_such_bucket_and_bucket_not_empty(s3, bucket):
    with pytest.raises(botocore.exceptions.ClientError) as caught:
        s3.put_object(Bucket=unique("nobucket"), Key="k", Body=b"x")
    assert caught.value.response["Error"]["Code"] == "NoSuchBucket"
    s3.put_object(Bucket=bucket, Key="k", Body=b"x")
    with pytest.raises(botocore.exceptions.ClientError) as caught:
        s3.delete_bucket(Bucket=bucket)
    assert caught.value.response["Error"]["Code"] == "BucketNotEmpty"
    # Re-creating a bucket you own: 200 in us-east-1, BucketAlreadyOwnedByYou in any other region.
    s3.create_bucket(Bucket=bucket)
    with pytest.raises(botocore.exceptions.ClientError) as caught:
        s3.create_bucket(Bucket=bucket, CreateBucketConfiguration={"LocationConstraint": "eu-west-1"})
    assert caught.value.response["Error"]["Code"] == "BucketAlreadyOwnedByYou"
    assert caught.value.response["ResponseMetadata"]["HTTPStatusCode"] == 409


def test_copy_object_copy_and_replace_metadata(s3, bucket):
    s3.put_object(Bucket=bucket, Key="src", Body=b"payload", ContentType="text/plain", Metadata={"a": "1"})
    s3.copy_object(Bucket=bucket, Key="copied", CopySource={"Bucket": bucket, "Key": "src"})
    copied = s3.get_object(Bucket=bucket, Key="copied")
    assert copied["Body"].read() == b"payload"
    assert copied["ContentType"] == "text/plain"
    assert copied["Metadata"] == {"a": "1"}
    result = s3.copy_object(Bucket=bucket, Key="replaced", CopySource=f"{bucket}/src", MetadataDirective="REPLACE",
                            ContentType="application/json", Metadata={"b": "2"})
    assert result["CopyObjectResult"]["ETag"] == copied["ETag"]
    replaced = s3.head_object(Bucket=bucket, Key="replaced")
    assert replaced["ContentType"] == "application/json"
    assert replaced["Metadata"] == {"b": "2"}
    with pytest.raises(botocore.exceptions.ClientError) as caught:
        s3.copy_object(Bucket=bucket, Key="src", CopySource={"Bucket": bucket, "Key": "src"})
    assert caught.value.response["Error"]["Code"] == "InvalidRequest"
    with pytest.raises(botocore.exceptions.ClientError) as caught:
        s3.copy_object(Bucket=bucket, Key="x", CopySource={"Bucket": bucket, "Key": "absent"})
    assert caught.value.response["Error"]["Code"] == "NoSuchKey"


@pytest.fixture
def tree(s3, bucket):
    keys = [f"data/{d}/part-{i}.csv" for d in ("a", "b", "c") for i in range(4)] + ["data/top.txt", "other.txt"]
    for key in keys:
        s3.put_object(Bucket=bucket, Key=key, Body=b"x")
    return bucket, keys


def test_list_v2_with_delimiter(s3, tree):
    bucket, _ = tree
    page = s3.list_objects_v2(Bucket=bucket, Prefix="data/", Delimiter="/")
    assert [p["Prefix"] for p in page["CommonPrefixes"]] == ["data/a/", "data/b/", "data/c/"]
    assert [o["Key"] for o in page["Contents"]] == ["data/top.txt"]
    assert page["KeyCount"] == 4
    assert page["IsTruncated"] is False


def test_list_v2_paginator(s3, tree):
    bucket, keys = tree
    pages = list(s3.get_paginator("list_objects_v2").paginate(Bucket=bucket, PaginationConfig={"PageSize": 5}))
    assert len(pages) == 3
    assert [o["Key"] for p in pages for o in p.get("Contents", [])] == sorted(keys)
    assert all(p["IsTruncated"] for p in pages[:-1])


def test_list_v1_paginator_with_delimiter(s3, tree):
    bucket, _ = tree
    pages = list(s3.get_paginator("list_objects").paginate(Bucket=bucket, Prefix="data/", Delimiter="/",
                                                           PaginationConfig={"PageSize": 2}))
    prefixes = [p["Prefix"] for page in pages for p in page.get("CommonPrefixes", [])]
    objects = [o["Key"] for page in pages for o in page.get("Contents", [])]
    assert prefixes == ["data/a/", "data/b/", "data/c/"]
    assert objects == ["data/top.txt"]
    assert len(pages) == 2


def test_list_v1_marker_and_v2_start_after(s3, tree):
    bucket, keys = tree
    after = s3.list_objects(Bucket=bucket, Marker="data/c/part-3.csv")["Contents"]
    assert [o["Key"] for o in after] == ["data/top.txt", "other.txt"]
    after = s3.list_objects_v2(Bucket=bucket, StartAfter="data/c/part-3.csv", MaxKeys=1)
    assert [o["Key"] for o in after["Contents"]] == ["data/top.txt"]
    assert after["IsTruncated"] is True


def test_list_object_versions_of_an_unversioned_bucket(s3, tree):
    bucket, keys = tree
    versions = s3.list_object_versions(Bucket=bucket, Prefix="data/a/")["Versions"]
    assert [v["Key"] for v in versions] == [f"data/a/part-{i}.csv" for i in range(4)]
    assert {v["VersionId"] for v in versions} == {"null"}
    assert all(v["IsLatest"] for v in versions)
    pages = list(s3.get_paginator("list_object_versions").paginate(Bucket=bucket, PaginationConfig={"PageSize": 5}))
    assert [v["Key"] for p in pages for v in p.get("Versions", [])] == sorted(keys)


def test_delete_object_and_delete_objects(s3, tree):
    bucket, keys = tree
    s3.delete_object(Bucket=bucket, Key="other.txt")
    s3.delete_object(Bucket=bucket, Key="never-existed.txt")
    result = s3.delete_objects(Bucket=bucket, Delete={"Objects": [{"Key": k} for k in keys if k != "other.txt"]})
    assert sorted(d["Key"] for d in result["Deleted"]) == sorted(k for k in keys if k != "other.txt")
    assert "Errors" not in result
    assert s3.list_objects_v2(Bucket=bucket)["KeyCount"] == 0
    s3.delete_bucket(Bucket=bucket)


def test_every_answer_has_a_request_id(s3, server):
    import urllib.request
    with urllib.request.urlopen(server.url + "/") as answer:
        assert answer.headers["x-amzn-RequestId"]
        assert answer.headers["x-amz-request-id"] == answer.headers["x-amzn-RequestId"]
