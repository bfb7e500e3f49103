"""S3 behaviour real clients rely on (issue 12), found by a public S3 conformance suite: boto3 against
a real `sagebox serve`."""
import urllib.error
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


# 2. Keys are percent-encoded only when encoding-type=url is asked.

def test_keys_are_raw_in_the_xml_unless_url_encoding_is_asked(s3, server, bucket):
    keys = ["\n", "a\rb", "tab\there", "x&y<z>"]
    for key in keys:
        s3.put_object(Bucket=bucket, Key=key, Body=b"x")
    plain = plain_listing_client()
    v2 = plain.list_objects_v2(Bucket=bucket)
    assert "EncodingType" not in v2
    assert sorted(o["Key"] for o in v2["Contents"]) == sorted(keys)
    v1 = plain.list_objects(Bucket=bucket)
    assert sorted(o["Key"] for o in v1["Contents"]) == sorted(keys)
    document = raw_get(server, f"/{bucket}?list-type=2")
    assert b"<Key>\n</Key>" in document
    # A raw CR would reach the parser as LF (XML's end-of-line handling): it goes as a reference.
    assert b"<Key>a&#13;b</Key>" in document
    assert b"<Key>x&amp;y&lt;z&gt;</Key>" in document
    assert b"%0A" not in document
    encoded = raw_get(server, f"/{bucket}?list-type=2&encoding-type=url")
    assert b"<Key>%0A</Key>" in encoded and b"<EncodingType>url</EncodingType>" in encoded
    # botocore's own encoding-type=url, decoded by botocore, still gives the keys back.
    assert sorted(o["Key"] for o in s3.list_objects_v2(Bucket=bucket)["Contents"]) == sorted(keys)


def test_prefix_and_delimiter_are_raw_unless_url_encoding_is_asked(s3, bucket):
    s3.put_object(Bucket=bucket, Key="p\rq/\nx", Body=b"x")
    plain = plain_listing_client()
    listed = plain.list_objects_v2(Bucket=bucket, Prefix="p\rq/", Delimiter="\n")
    assert listed["Prefix"] == "p\rq/"
    assert listed["Delimiter"] == "\n"
    assert [p["Prefix"] for p in listed["CommonPrefixes"]] == ["p\rq/\n"]


# 3. partNumber past the last part: S3's 416 InvalidPartNumber, with the part asked for and the count.

def part_number_error(call):
    with pytest.raises(botocore.exceptions.ClientError) as caught:
        call()
    return caught.value.response


def test_part_number_past_the_last_part(s3, server, bucket):
    s3.put_object(Bucket=bucket, Key="single", Body=b"abc")
    upload = s3.create_multipart_upload(Bucket=bucket, Key="multi")["UploadId"]
    etags = [s3.upload_part(Bucket=bucket, Key="multi", UploadId=upload, PartNumber=n,
                            Body=bytes([n]) * (5 * 1024 * 1024 if n == 1 else 7))["ETag"] for n in (1, 2)]
    s3.complete_multipart_upload(Bucket=bucket, Key="multi", UploadId=upload, MultipartUpload={
        "Parts": [{"PartNumber": n, "ETag": etag} for n, etag in zip((1, 2), etags)]})
    for key, asked, count in (("single", 2, 1), ("multi", 3, 2)):
        answer = part_number_error(lambda: s3.get_object(Bucket=bucket, Key=key, PartNumber=asked))
        assert answer["ResponseMetadata"]["HTTPStatusCode"] == 416
        assert answer["Error"]["Code"] == "InvalidPartNumber"
        assert answer["Error"]["Message"] == "The requested partnumber is not satisfiable"
        assert answer["Error"]["PartNumberRequested"] == str(asked)
        assert answer["Error"]["ActualPartCount"] == str(count)
        head = part_number_error(lambda: s3.head_object(Bucket=bucket, Key=key, PartNumber=asked))
        assert head["ResponseMetadata"]["HTTPStatusCode"] == 416
    assert s3.get_object(Bucket=bucket, Key="multi", PartNumber=2)["Body"].read() == bytes([2]) * 7
    outside = part_number_error(lambda: s3.get_object(Bucket=bucket, Key="single", PartNumber=10001))
    assert (outside["ResponseMetadata"]["HTTPStatusCode"], outside["Error"]["Code"]) == (400, "InvalidArgument")


# 4. Non-ASCII user metadata, as S3 answers it: stored as Unicode, sent back RFC 2047-encoded.

def send_raw_metadata(client, operation, value):
    """botocore refuses non-ASCII Metadata itself; the header set directly goes out as UTF-8 bytes."""
    def set_header(params, **_):
        params["headers"]["x-amz-meta-meta1"] = value
    client.meta.events.register(f"before-call.s3.{operation}", set_header)
    return set_header


def test_non_ascii_metadata_is_kept_and_sent_back_rfc_2047_encoded(bucket):
    import email.header
    client = boto3.client("s3")
    send_raw_metadata(client, "PutObject", "Hello World\u00e9 \u4e2d")
    client.put_object(Bucket=bucket, Key="foo", Body=b"bar")
    got = client.get_object(Bucket=bucket, Key="foo")["Metadata"]["meta1"]
    assert got == "=?UTF-8?B?SGVsbG8gV29ybGTDqSDkuK0=?="
    decoded = "".join(part.decode(charset) for part, charset in email.header.decode_header(got))
    assert decoded == "Hello World\u00e9 \u4e2d"
    assert client.head_object(Bucket=bucket, Key="foo")["Metadata"]["meta1"] == got


def test_rfc_2047_metadata_is_decoded_before_storing(s3, bucket):
    # Q-encoded on the way in, stored as Unicode, so sent back in S3's B form; ASCII stays as sent.
    s3.put_object(Bucket=bucket, Key="q", Body=b"x", Metadata={"meta1": "=?UTF-8?Q?caf=C3=A9?=", "plain": "a=?b"})
    got = s3.head_object(Bucket=bucket, Key="q")["Metadata"]
    assert got == {"meta1": "=?UTF-8?B?Y2Fmw6k=?=", "plain": "a=?b"}


# 5. Minimal ACLs: the owner's FULL_CONTROL, which is all sagebox keeps.

def owner_grant(owner):
    return {"Grantee": {"ID": owner["ID"], "DisplayName": owner["DisplayName"], "Type": "CanonicalUser"},
            "Permission": "FULL_CONTROL"}


def test_get_acls_answer_the_owner_with_full_control(s3, bucket):
    owner = s3.list_buckets()["Owner"]
    assert owner == {"ID": "000000000000", "DisplayName": "sagebox"}
    s3.put_object(Bucket=bucket, Key="k", Body=b"x", ACL="private")
    for acl in (s3.get_object_acl(Bucket=bucket, Key="k"), s3.get_bucket_acl(Bucket=bucket)):
        assert acl["Owner"] == owner
        assert acl["Grants"] == [owner_grant(owner)]
    with pytest.raises(botocore.exceptions.ClientError) as caught:
        s3.get_object_acl(Bucket=bucket, Key="missing")
    assert caught.value.response["Error"]["Code"] == "NoSuchKey"


def test_put_acls_accept_private_and_its_equivalent_grant(s3, bucket):
    owner = s3.list_buckets()["Owner"]
    s3.create_bucket(Bucket=bucket + "-acl", ACL="private")
    s3.put_object(Bucket=bucket, Key="k", Body=b"x")
    policy = {"Owner": owner, "Grants": [owner_grant(owner)]}
    s3.put_object_acl(Bucket=bucket, Key="k", ACL="private")
    s3.put_object_acl(Bucket=bucket, Key="k", AccessControlPolicy=policy)
    s3.put_object_acl(Bucket=bucket, Key="k", GrantFullControl=f'id="{owner["ID"]}"')
    s3.put_bucket_acl(Bucket=bucket, ACL="private")
    s3.put_bucket_acl(Bucket=bucket, AccessControlPolicy=policy)
    s3.put_bucket_acl(Bucket=bucket, GrantFullControl=f"id={owner['ID']}")
    assert s3.get_object_acl(Bucket=bucket, Key="k")["Grants"] == [owner_grant(owner)]


def test_put_acls_refuse_what_sagebox_does_not_keep(s3, bucket):
    owner = s3.list_buckets()["Owner"]
    s3.put_object(Bucket=bucket, Key="k", Body=b"x")
    everyone = {"Grantee": {"Type": "Group", "URI": "http://acs.amazonaws.com/groups/global/AllUsers"},
                "Permission": "READ"}
    refused = [
        (lambda: s3.put_object_acl(Bucket=bucket, Key="k", ACL="public-read"), "public-read"),
        (lambda: s3.put_bucket_acl(Bucket=bucket, ACL="authenticated-read"), "authenticated-read"),
        (lambda: s3.put_object_acl(Bucket=bucket, Key="k", GrantRead='uri="http://acs.amazonaws.com/groups/global/AllUsers"'),
         "x-amz-grant-read"),
        (lambda: s3.put_bucket_acl(Bucket=bucket, GrantFullControl='id="someone-else"'), "someone-else"),
        (lambda: s3.put_object_acl(Bucket=bucket, Key="k", AccessControlPolicy={
            "Owner": owner, "Grants": [owner_grant(owner), everyone]}), "READ"),
    ]
    for call, named in refused:
        with pytest.raises(botocore.exceptions.ClientError) as caught:
            call()
        answer = caught.value.response
        assert (answer["ResponseMetadata"]["HTTPStatusCode"], answer["Error"]["Code"]) == (501, "NotImplemented")
        assert named in answer["Error"]["Message"] and "FULL_CONTROL" in answer["Error"]["Message"]
    assert s3.get_object_acl(Bucket=bucket, Key="k")["Grants"] == [owner_grant(owner)]


def test_put_acl_without_any_acl_misses_a_header(server, bucket):
    request = urllib.request.Request(f"{server.url}/{bucket}?acl", method="PUT")
    with pytest.raises(urllib.error.HTTPError) as caught:
        urllib.request.urlopen(request)
    assert caught.value.code == 400 and b"<Code>MissingSecurityHeader</Code>" in caught.value.read()


# 6. Cache-Control and the other standard headers are kept with the object.

STANDARD = {"CacheControl": "max-age=3600, public", "ContentDisposition": 'attachment; filename="r.csv"',
            "ContentEncoding": "gzip", "ContentLanguage": "de-CH", "ContentType": "text/csv"}
EXPIRES = "Wed, 21 Oct 2015 07:28:00 GMT"


def standard_headers(answer):
    return {name: answer.get(name) for name in STANDARD}


def expires_of(answer):
    return answer["ResponseMetadata"]["HTTPHeaders"].get("expires")


def test_standard_headers_of_put_object(s3, bucket):
    s3.put_object(Bucket=bucket, Key="k", Body=b"x", Expires=EXPIRES, Metadata={"m": "1"}, **STANDARD)
    for answer in (s3.get_object(Bucket=bucket, Key="k"), s3.head_object(Bucket=bucket, Key="k")):
        assert standard_headers(answer) == STANDARD
        assert expires_of(answer) == EXPIRES
        assert answer["Metadata"] == {"m": "1"}
    s3.put_object(Bucket=bucket, Key="k", Body=b"y")
    again = s3.head_object(Bucket=bucket, Key="k")
    assert "CacheControl" not in again and expires_of(again) is None


def test_standard_headers_survive_aws_chunked_uploads(s3, bucket, tmp_path):
    import io
    s3.upload_fileobj(io.BytesIO(b"z" * 1000), bucket, "chunked", ExtraArgs={"ContentEncoding": "gzip",
                                                                              "CacheControl": "no-cache"})
    head = s3.head_object(Bucket=bucket, Key="chunked")
    assert (head["ContentEncoding"], head["CacheControl"], head["ContentLength"]) == ("gzip", "no-cache", 1000)


def test_standard_headers_of_multipart_uploads(s3, bucket):
    upload = s3.create_multipart_upload(Bucket=bucket, Key="mp", Expires=EXPIRES, **STANDARD)["UploadId"]
    etag = s3.upload_part(Bucket=bucket, Key="mp", UploadId=upload, PartNumber=1, Body=b"p")["ETag"]
    s3.complete_multipart_upload(Bucket=bucket, Key="mp", UploadId=upload,
                                 MultipartUpload={"Parts": [{"PartNumber": 1, "ETag": etag}]})
    head = s3.head_object(Bucket=bucket, Key="mp")
    assert standard_headers(head) == STANDARD and expires_of(head) == EXPIRES and head["Metadata"] == {}


def test_copy_keeps_standard_headers_unless_replaced(s3, bucket):
    s3.put_object(Bucket=bucket, Key="src", Body=b"x", Expires=EXPIRES, **STANDARD)
    s3.copy_object(Bucket=bucket, Key="kept", CopySource={"Bucket": bucket, "Key": "src"})
    kept = s3.head_object(Bucket=bucket, Key="kept")
    assert standard_headers(kept) == STANDARD and expires_of(kept) == EXPIRES
    s3.copy_object(Bucket=bucket, Key="replaced", CopySource={"Bucket": bucket, "Key": "src"},
                   MetadataDirective="REPLACE", CacheControl="no-store", Metadata={"n": "2"})
    replaced = s3.head_object(Bucket=bucket, Key="replaced")
    assert replaced["CacheControl"] == "no-store" and replaced["Metadata"] == {"n": "2"}
    assert "ContentDisposition" not in replaced and "ContentLanguage" not in replaced
    assert expires_of(replaced) is None


# 7. CompleteMultipartUpload again on a completed upload answers success, as S3 does: an SDK that timed out
# waiting for the first answer retries, and must not see NoSuchUpload for an object that exists.

def test_a_repeated_complete_succeeds_and_the_upload_is_over_for_everything_else(s3, bucket):
    upload = s3.create_multipart_upload(Bucket=bucket, Key="big")["UploadId"]
    part = s3.upload_part(Bucket=bucket, Key="big", UploadId=upload, PartNumber=1, Body=b"only part")
    parts = {"Parts": [{"PartNumber": 1, "ETag": part["ETag"]}]}
    first = s3.complete_multipart_upload(Bucket=bucket, Key="big", UploadId=upload, MultipartUpload=parts)
    again = s3.complete_multipart_upload(Bucket=bucket, Key="big", UploadId=upload, MultipartUpload=parts)
    assert again["ETag"] == first["ETag"] and first["ETag"].endswith('-1"')
    assert s3.get_object(Bucket=bucket, Key="big")["Body"].read() == b"only part"
    assert "Uploads" not in s3.list_multipart_uploads(Bucket=bucket)
    for call in (lambda: s3.upload_part(Bucket=bucket, Key="big", UploadId=upload, PartNumber=2, Body=b"x"),
                 lambda: s3.list_parts(Bucket=bucket, Key="big", UploadId=upload),
                 lambda: s3.abort_multipart_upload(Bucket=bucket, Key="big", UploadId=upload)):
        with pytest.raises(botocore.exceptions.ClientError) as caught:
            call()
        assert caught.value.response["Error"]["Code"] == "NoSuchUpload"
    with pytest.raises(botocore.exceptions.ClientError) as caught:
        s3.complete_multipart_upload(Bucket=bucket, Key="other", UploadId=upload, MultipartUpload=parts)
    assert caught.value.response["Error"]["Code"] == "NoSuchUpload"
