"""Multipart upload through boto3's low-level calls, s3transfer and the AWS CLI."""
import hashlib
import io
import json
import os

import boto3.s3.transfer
import botocore.exceptions
import pytest

from test_aws_cli import aws

MIB = 1024 * 1024


def test_upload_file_in_parts(s3, bucket, tmp_path):
    source = tmp_path / "big.bin"
    data = os.urandom(23 * MIB)
    source.write_bytes(data)
    config = boto3.s3.transfer.TransferConfig(multipart_threshold=5 * MIB, multipart_chunksize=5 * MIB, max_concurrency=4)
    s3.upload_file(str(source), bucket, "big/parts.bin", Config=config, ExtraArgs={"ContentType": "application/x-parts"})
    head = s3.head_object(Bucket=bucket, Key="big/parts.bin")
    assert head["ContentLength"] == len(data)
    assert head["ContentType"] == "application/x-parts"
    listed = s3.list_objects_v2(Bucket=bucket, Prefix="big/")["Contents"][0]
    assert listed["ETag"] == head["ETag"]
    back = tmp_path / "back.bin"
    s3.download_file(bucket, "big/parts.bin", str(back))
    assert hashlib.sha256(back.read_bytes()).digest() == hashlib.sha256(data).digest()
    assert s3.list_multipart_uploads(Bucket=bucket).get("Uploads", []) == []


def test_low_level_multipart_calls(s3, bucket):
    upload = s3.create_multipart_upload(Bucket=bucket, Key="low", Metadata={"kind": "parts"})["UploadId"]
    first = os.urandom(5 * MIB)
    e1 = s3.upload_part(Bucket=bucket, Key="low", UploadId=upload, PartNumber=1, Body=first)["ETag"]
    e2 = s3.upload_part(Bucket=bucket, Key="low", UploadId=upload, PartNumber=2, Body=b"tail")["ETag"]
    assert e1 == '"%s"' % hashlib.md5(first).hexdigest()
    parts = s3.list_parts(Bucket=bucket, Key="low", UploadId=upload)["Parts"]
    assert [(p["PartNumber"], p["ETag"], p["Size"]) for p in parts] == [(1, e1, 5 * MIB), (2, e2, 4)]
    assert [u["UploadId"] for u in s3.list_multipart_uploads(Bucket=bucket)["Uploads"]] == [upload]
    with pytest.raises(botocore.exceptions.ClientError) as caught:
        s3.complete_multipart_upload(Bucket=bucket, Key="low", UploadId=upload,
                                     MultipartUpload={"Parts": [{"PartNumber": 1, "ETag": e2}]})
    assert caught.value.response["Error"]["Code"] == "InvalidPart"
    done = s3.complete_multipart_upload(Bucket=bucket, Key="low", UploadId=upload,
                                        MultipartUpload={"Parts": [{"PartNumber": 1, "ETag": e1}, {"PartNumber": 2, "ETag": e2}]})
    got = s3.get_object(Bucket=bucket, Key="low")
    assert got["Body"].read() == first + b"tail"
    assert got["ETag"] == done["ETag"]
    assert got["Metadata"] == {"kind": "parts"}
    with pytest.raises(botocore.exceptions.ClientError) as caught:
        s3.list_parts(Bucket=bucket, Key="low", UploadId=upload)
    assert caught.value.response["Error"]["Code"] == "NoSuchUpload"


def test_small_parts_and_abort(s3, bucket):
    upload = s3.create_multipart_upload(Bucket=bucket, Key="small")["UploadId"]
    e1 = s3.upload_part(Bucket=bucket, Key="small", UploadId=upload, PartNumber=1, Body=b"a")["ETag"]
    e2 = s3.upload_part(Bucket=bucket, Key="small", UploadId=upload, PartNumber=2, Body=b"b")["ETag"]
    with pytest.raises(botocore.exceptions.ClientError) as caught:
        s3.complete_multipart_upload(Bucket=bucket, Key="small", UploadId=upload,
                                     MultipartUpload={"Parts": [{"PartNumber": 1, "ETag": e1}, {"PartNumber": 2, "ETag": e2}]})
    assert caught.value.response["Error"]["Code"] == "EntityTooSmall"
    s3.abort_multipart_upload(Bucket=bucket, Key="small", UploadId=upload)
    with pytest.raises(botocore.exceptions.ClientError) as caught:
        s3.abort_multipart_upload(Bucket=bucket, Key="small", UploadId=upload)
    assert caught.value.response["Error"]["Code"] == "NoSuchUpload"
    with pytest.raises(s3.exceptions.NoSuchKey):
        s3.get_object(Bucket=bucket, Key="small")


def test_aws_cli_copies_a_large_file_in_parts(server, bucket, tmp_path):
    source = tmp_path / "cli-big.bin"
    data = os.urandom(20 * MIB)  # above the CLI's 8 MiB multipart threshold
    source.write_bytes(data)
    aws("s3", "cp", str(source), f"s3://{bucket}/cli/big.bin")
    back = tmp_path / "cli-back.bin"
    aws("s3", "cp", f"s3://{bucket}/cli/big.bin", str(back))
    assert back.read_bytes() == data
    assert "UploadPart" in server.log()


def test_upload_part_copy(s3, bucket):
    source = os.urandom(6 * MIB)
    s3.put_object(Bucket=bucket, Key="copy-src", Body=source)
    upload = s3.create_multipart_upload(Bucket=bucket, Key="copy-dst")["UploadId"]
    first = s3.upload_part_copy(Bucket=bucket, Key="copy-dst", UploadId=upload, PartNumber=1,
                                CopySource={"Bucket": bucket, "Key": "copy-src"}, CopySourceRange=f"bytes=0-{5 * MIB - 1}")
    second = s3.upload_part_copy(Bucket=bucket, Key="copy-dst", UploadId=upload, PartNumber=2,
                                 CopySource=f"{bucket}/copy-src", CopySourceRange=f"bytes={5 * MIB}-{6 * MIB - 1}")
    assert first["CopyPartResult"]["ETag"] == '"%s"' % hashlib.md5(source[:5 * MIB]).hexdigest()
    s3.complete_multipart_upload(Bucket=bucket, Key="copy-dst", UploadId=upload, MultipartUpload={"Parts": [
        {"PartNumber": 1, "ETag": first["CopyPartResult"]["ETag"]},
        {"PartNumber": 2, "ETag": second["CopyPartResult"]["ETag"]}]})
    assert s3.get_object(Bucket=bucket, Key="copy-dst")["Body"].read() == source


def test_aws_cli_copies_a_large_object_between_buckets(server, s3, bucket):
    data = os.urandom(17 * MIB)
    s3.put_object(Bucket=bucket, Key="large", Body=data)
    target = bucket + "-copy"
    s3.create_bucket(Bucket=target)
    aws("s3", "cp", f"s3://{bucket}/large", f"s3://{target}/large")
    assert s3.get_object(Bucket=target, Key="large")["Body"].read() == data
    assert "UploadPartCopy" in server.log()


def multipart_etag(data, chunk_size):
    """S3's ETag of `data` uploaded in parts of `chunk_size`: the MD5 of the parts' binary MD5s, then -N."""
    chunks = [data[start:start + chunk_size] for start in range(0, len(data), chunk_size)]
    joined = b"".join(hashlib.md5(chunk).digest() for chunk in chunks)
    return '"%s-%d"' % (hashlib.md5(joined).hexdigest(), len(chunks))


def every_etag(s3, bucket, key):
    """The object's ETag as HeadObject, GetObject, ListObjects and ListObjectsV2 report it."""
    listed_v1 = [o["ETag"] for o in s3.list_objects(Bucket=bucket, Prefix=key)["Contents"] if o["Key"] == key]
    listed_v2 = [o["ETag"] for o in s3.list_objects_v2(Bucket=bucket, Prefix=key)["Contents"] if o["Key"] == key]
    return {"head": s3.head_object(Bucket=bucket, Key=key)["ETag"], "get": s3.get_object(Bucket=bucket, Key=key)["ETag"],
            "list": listed_v1[0], "list_v2": listed_v2[0]}


def test_upload_file_gives_the_multipart_etag(s3, bucket, tmp_path):
    source = tmp_path / "twelve.bin"
    data = os.urandom(12 * MIB)
    source.write_bytes(data)
    config = boto3.s3.transfer.TransferConfig(multipart_threshold=5 * MIB, multipart_chunksize=5 * MIB)
    s3.upload_file(str(source), bucket, "etag/twelve.bin", Config=config)
    expected = multipart_etag(data, 5 * MIB)
    assert expected.endswith('-3"') and expected != '"%s"' % hashlib.md5(data).hexdigest()
    assert every_etag(s3, bucket, "etag/twelve.bin") == {"head": expected, "get": expected, "list": expected, "list_v2": expected}
    assert s3.get_object(Bucket=bucket, Key="etag/twelve.bin")["Body"].read() == data


def test_complete_returns_the_multipart_etag(s3, bucket):
    parts = [os.urandom(5 * MIB), os.urandom(5 * MIB), b"last part"]
    upload = s3.create_multipart_upload(Bucket=bucket, Key="etag/low")["UploadId"]
    etags = [s3.upload_part(Bucket=bucket, Key="etag/low", UploadId=upload, PartNumber=n, Body=body)["ETag"]
             for n, body in enumerate(parts, start=1)]
    done = s3.complete_multipart_upload(Bucket=bucket, Key="etag/low", UploadId=upload, MultipartUpload={
        "Parts": [{"PartNumber": n, "ETag": etag} for n, etag in enumerate(etags, start=1)]})
    joined = b"".join(hashlib.md5(body).digest() for body in parts)
    assert done["ETag"] == '"%s-3"' % hashlib.md5(joined).hexdigest()
    assert set(every_etag(s3, bucket, "etag/low").values()) == {done["ETag"]}


def test_copy_of_a_multipart_object_has_a_plain_md5(s3, bucket):
    data = os.urandom(11 * MIB)
    config = boto3.s3.transfer.TransferConfig(multipart_threshold=5 * MIB, multipart_chunksize=5 * MIB)
    s3.upload_fileobj(io.BytesIO(data), bucket, "etag/source", Config=config)
    assert s3.head_object(Bucket=bucket, Key="etag/source")["ETag"] == multipart_etag(data, 5 * MIB)
    copied = s3.copy_object(Bucket=bucket, Key="etag/copy", CopySource={"Bucket": bucket, "Key": "etag/source"})
    plain = '"%s"' % hashlib.md5(data).hexdigest()
    assert copied["CopyObjectResult"]["ETag"] == plain
    assert set(every_etag(s3, bucket, "etag/copy").values()) == {plain}
    assert s3.head_object(Bucket=bucket, Key="etag/source")["ETag"] == multipart_etag(data, 5 * MIB)


def test_aws_cli_upload_gives_the_multipart_etag(server, s3, bucket, tmp_path):
    source = tmp_path / "cli-etag.bin"
    data = os.urandom(20 * MIB)  # the CLI's defaults: 8 MiB threshold and 8 MiB parts, so 3 parts
    source.write_bytes(data)
    aws("s3", "cp", str(source), f"s3://{bucket}/cli/etag.bin")
    expected = multipart_etag(data, 8 * MIB)
    assert expected.endswith('-3"')
    assert set(every_etag(s3, bucket, "cli/etag.bin").values()) == {expected}
    head = aws("s3api", "head-object", "--bucket", bucket, "--key", "cli/etag.bin")
    assert json.loads(head.stdout)["ETag"] == expected


def upload_in_parts(s3, bucket, key, parts):
    """Uploads `parts` (bytes, in order) as one multipart upload and completes it; returns Complete's ETag."""
    upload = s3.create_multipart_upload(Bucket=bucket, Key=key)["UploadId"]
    etags = [s3.upload_part(Bucket=bucket, Key=key, UploadId=upload, PartNumber=n, Body=body)["ETag"]
             for n, body in enumerate(parts, start=1)]
    return s3.complete_multipart_upload(Bucket=bucket, Key=key, UploadId=upload, MultipartUpload={
        "Parts": [{"PartNumber": n, "ETag": etag} for n, etag in enumerate(etags, start=1)]})["ETag"]


def client_error(call, **arguments):
    """The ClientError `call(**arguments)` raises, as (code, HTTP status)."""
    with pytest.raises(botocore.exceptions.ClientError) as caught:
        call(**arguments)
    return caught.value.response["Error"]["Code"], caught.value.response["ResponseMetadata"]["HTTPStatusCode"]


def test_part_number_reads_one_part_of_a_multipart_object(s3, bucket):
    parts = [os.urandom(5 * MIB), os.urandom(5 * MIB), os.urandom(2 * MIB)]
    etag = upload_in_parts(s3, bucket, "parts/three", parts)
    total = sum(len(p) for p in parts)
    start = 0
    for number, body in enumerate(parts, start=1):
        end = start + len(body) - 1
        got = s3.get_object(Bucket=bucket, Key="parts/three", PartNumber=number)
        assert got["ResponseMetadata"]["HTTPStatusCode"] == 206
        assert got["Body"].read() == body
        assert (got["ContentLength"], got["ContentRange"]) == (len(body), f"bytes {start}-{end}/{total}")
        assert (got["PartsCount"], got["ETag"]) == (3, etag)
        head = s3.head_object(Bucket=bucket, Key="parts/three", PartNumber=number)
        assert head["ResponseMetadata"]["HTTPStatusCode"] == 206
        assert (head["ContentLength"], head["ContentRange"]) == (len(body), f"bytes {start}-{end}/{total}")
        assert (head["PartsCount"], head["ETag"]) == (3, etag)
        start = end + 1
    # Without partNumber: the whole object, and no parts count (as S3).
    whole = s3.get_object(Bucket=bucket, Key="parts/three")
    assert whole["ContentLength"] == total and "PartsCount" not in whole
    assert "PartsCount" not in s3.head_object(Bucket=bucket, Key="parts/three")


def test_part_number_errors(s3, bucket):
    upload_in_parts(s3, bucket, "parts/errors", [os.urandom(5 * MIB), b"tail"])
    assert client_error(s3.get_object, Bucket=bucket, Key="parts/errors", PartNumber=3) == ("InvalidPartNumber", 416)
    assert client_error(s3.head_object, Bucket=bucket, Key="parts/errors", PartNumber=3)[1] == 416
    assert client_error(s3.get_object, Bucket=bucket, Key="parts/errors", PartNumber=1,
                        Range="bytes=0-9") == ("InvalidRequest", 400)
    assert client_error(s3.get_object, Bucket=bucket, Key="parts/errors", PartNumber=10001) == ("InvalidArgument", 400)


def test_part_number_of_a_plain_object_is_the_whole_object(s3, bucket):
    s3.put_object(Bucket=bucket, Key="parts/plain", Body=b"0123456789")
    got = s3.get_object(Bucket=bucket, Key="parts/plain", PartNumber=1)
    assert got["ResponseMetadata"]["HTTPStatusCode"] == 206
    assert (got["Body"].read(), got["ContentRange"]) == (b"0123456789", "bytes 0-9/10")
    assert "PartsCount" not in got
    head = s3.head_object(Bucket=bucket, Key="parts/plain", PartNumber=1)
    assert (head["ContentLength"], head["ContentRange"]) == (10, "bytes 0-9/10") and "PartsCount" not in head
    assert client_error(s3.get_object, Bucket=bucket, Key="parts/plain", PartNumber=2) == ("InvalidPartNumber", 416)


def test_overwriting_a_multipart_object_forgets_its_parts(s3, bucket):
    upload_in_parts(s3, bucket, "parts/overwritten", [os.urandom(5 * MIB), b"tail"])
    assert s3.head_object(Bucket=bucket, Key="parts/overwritten", PartNumber=2)["PartsCount"] == 2
    s3.copy_object(Bucket=bucket, Key="parts/copy", CopySource={"Bucket": bucket, "Key": "parts/overwritten"})
    s3.put_object(Bucket=bucket, Key="parts/overwritten", Body=b"plain now")
    for key, size in [("parts/overwritten", 9), ("parts/copy", 5 * MIB + 4)]:
        head = s3.head_object(Bucket=bucket, Key=key, PartNumber=1)
        assert (head["ContentLength"], "PartsCount" in head) == (size, False)
        assert client_error(s3.get_object, Bucket=bucket, Key=key, PartNumber=2) == ("InvalidPartNumber", 416)
