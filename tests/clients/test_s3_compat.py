"""S3 behaviour real clients rely on (issue 12), found by a public S3 conformance suite: boto3 against
a real `sagebox serve`."""
import urllib.request

import boto3
import botocore.exceptions
import botocore.handlers
import pytest


def raw_get(server, path):
    """The bytes of an unsigned GET (sagebox checks no signature), for what boto3 would reshape."""
    with urllib.request.urlopen(server.url + path) as response:
        return response.read()


def plain_listing_client():
    """A client that does not add `encoding-type=url` to listings, as botocore does on its own."""
    client = boto3.client("s3")
    for operation in ("ListObjects", "ListObjectsV2"):
        client.meta.events.unregister(f"before-parameter-build.s3.{operation}",
                                      botocore.handlers.set_list_objects_encoding_type_url)
    return client


# 1. ListObjectsV2 with an empty continuation token lists from the start.

def test_list_v2_with_an_empty_continuation_token_starts_at_the_beginning(s3, bucket):
    for key in ("a", "b", "c"):
        s3.put_object(Bucket=bucket, Key=key, Body=b"x")
    listed = s3.list_objects_v2(Bucket=bucket, ContinuationToken="")
    assert [o["Key"] for o in listed["Contents"]] == ["a", "b", "c"]
    assert listed["KeyCount"] == 3
    with pytest.raises(botocore.exceptions.ClientError) as caught:
        s3.list_objects_v2(Bucket=bucket, ContinuationToken="not-a-token")
    assert caught.value.response["Error"]["Code"] == "InvalidArgument"
