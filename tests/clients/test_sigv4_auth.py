"""`sagebox serve --credentials FILE` (issue 12, point 5): every request carries a valid AWS Signature
Version 4 of a key of FILE. Real clients (boto3, the AWS CLI, the SageMaker SDK v2; the v3 in sdk3/) work
with the right key; a wrong secret, an unknown key, no signature, an expired presigned URL, a body that is
not the one signed, or a chunk whose signature is wrong each get AWS's own error; jobs get a working key.
"""
import datetime
import hashlib
import hmac
import http.client
import os
import shutil
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
import unittest.mock

import boto3
import botocore.auth
import botocore.config
import botocore.awsrequest
import botocore.credentials
import pytest
from botocore.exceptions import ClientError

from conftest import SIGNED_KEYS, job_request, sagemaker_sdk, unique, wait_for_job

pytestmark = pytest.mark.usefixtures("signed_server")

MISMATCH = "The request signature we calculated does not match the signature you provided. Check your key and signing method."
FIRST_KEY, SECOND_KEY = list(SIGNED_KEYS)


@pytest.fixture(scope="module")
def s3(signed_server):
    return boto3.client("s3")


@pytest.fixture(scope="module")
def sagemaker(signed_server):
    return boto3.client("sagemaker")


@pytest.fixture
def bucket(s3):
    name = unique("signed")
    s3.create_bucket(Bucket=name)
    return name


def client(service, key=SECOND_KEY, secret=None):
    return boto3.client(service, aws_access_key_id=key, aws_secret_access_key=secret or SIGNED_KEYS.get(key, "x"))


def error_of(call):
    with pytest.raises(ClientError) as raised:
        call()
    return raised.value.response


def test_boto3_s3_put_get_list_and_multipart(s3, bucket):
    s3.put_object(Bucket=bucket, Key="dir/a b+c=d~é.txt", Body=b"signed body")
    assert s3.get_object(Bucket=bucket, Key="dir/a b+c=d~é.txt")["Body"].read() == b"signed body"
    assert s3.get_object(Bucket=bucket, Key="dir/a b+c=d~é.txt", Range="bytes=0-5")["Body"].read() == b"signed"
    listed = s3.list_objects_v2(Bucket=bucket, Prefix="dir/", Delimiter="/", MaxKeys=5)
    assert [item["Key"] for item in listed["Contents"]] == ["dir/a b+c=d~é.txt"]
    upload = s3.create_multipart_upload(Bucket=bucket, Key="big.bin")["UploadId"]
    parts = [b"x" * (5 << 20), b"tail"]
    etags = [s3.upload_part(Bucket=bucket, Key="big.bin", UploadId=upload, PartNumber=number, Body=body)["ETag"]
             for number, body in enumerate(parts, 1)]
    s3.complete_multipart_upload(Bucket=bucket, Key="big.bin", UploadId=upload, MultipartUpload={
        "Parts": [{"PartNumber": number, "ETag": etag} for number, etag in enumerate(etags, 1)]})
    assert s3.get_object(Bucket=bucket, Key="big.bin")["Body"].read() == b"".join(parts)
    s3.delete_objects(Bucket=bucket, Delete={"Objects": [{"Key": "big.bin"}]})
    assert "Contents" not in s3.list_objects_v2(Bucket=bucket, Prefix="big")


def test_every_key_of_the_file_signs(bucket):
    first = client("s3", FIRST_KEY)
    first.put_object(Bucket=bucket, Key="k", Body=b"1")
    assert client("s3", SECOND_KEY).get_object(Bucket=bucket, Key="k")["Body"].read() == b"1"


def test_wrong_secret_is_signature_does_not_match(bucket):
    response = error_of(lambda: client("s3", SECOND_KEY, "not-the-secret").put_object(Bucket=bucket, Key="k", Body=b"x"))
    assert response["Error"]["Code"] == "SignatureDoesNotMatch"
    assert response["Error"]["Message"] == MISMATCH
    assert response["ResponseMetadata"]["HTTPStatusCode"] == 403
    assert "Contents" not in boto3.client("s3").list_objects_v2(Bucket=bucket)
    sagemaker = error_of(lambda: client("sagemaker", SECOND_KEY, "not-the-secret").list_processing_jobs())
    assert sagemaker["Error"]["Code"] == "InvalidSignatureException"
    assert sagemaker["Error"]["Message"].startswith(
        "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key")
    sts = error_of(lambda: client("sts", SECOND_KEY, "not-the-secret").get_caller_identity())
    assert (sts["Error"]["Code"], sts["ResponseMetadata"]["HTTPStatusCode"]) == ("SignatureDoesNotMatch", 403)


def test_unknown_key_is_invalid_access_key_id(bucket):
    response = error_of(lambda: client("s3", "AKIANOTINTHEFILE0000").get_object(Bucket=bucket, Key="k"))
    assert response["Error"]["Code"] == "InvalidAccessKeyId"
    assert response["Error"]["Message"] == "The AWS Access Key Id you provided does not exist in our records."
    assert response["ResponseMetadata"]["HTTPStatusCode"] == 403
    sagemaker = error_of(lambda: client("sagemaker", "AKIANOTINTHEFILE0000").list_processing_jobs())
    assert sagemaker["Error"] == {"Code": "UnrecognizedClientException",
                                  "Message": "The security token included in the request is invalid."}
    logs = error_of(lambda: client("logs", "AKIANOTINTHEFILE0000").describe_log_streams(
        logGroupName="/aws/sagemaker/ProcessingJobs"))
    assert logs["Error"]["Code"] == "UnrecognizedClientException"
    iam = error_of(lambda: client("iam", "AKIANOTINTHEFILE0000").get_role(RoleName="r"))
    assert (iam["Error"]["Code"], iam["ResponseMetadata"]["HTTPStatusCode"]) == ("InvalidClientTokenId", 403)


def raw_request(server, method, path, headers=None, body=None):
    """(status, body) of a request sent by http.client exactly as given."""
    host = urllib.parse.urlsplit(server.url).netloc
    connection = http.client.HTTPConnection(host, timeout=10)
    connection.request(method, path, body=body, headers=headers or {})
    response = connection.getresponse()
    result = response.status, response.read().decode()
    connection.close()
    return result


def test_unsigned_requests_are_refused(signed_server, bucket):
    status, body = raw_request(signed_server, "GET", f"/{bucket}/k")
    assert status == 403 and "<Code>AccessDenied</Code><Message>Access Denied</Message>" in body
    status, body = raw_request(signed_server, "POST", "/", {"X-Amz-Target": "SageMaker.ListProcessingJobs",
                                                             "Content-Type": "application/x-amz-json-1.1"}, b"{}")
    assert status == 403 and "MissingAuthenticationTokenException" in body
    # An old clock: S3 allows 15 minutes.
    old = sign("GET", signed_server.url + f"/{bucket}?list-type=2", b"", time.time() - 20 * 60)
    status, body = raw_request(signed_server, "GET", f"/{bucket}?list-type=2", old)
    assert status == 403 and "<Code>RequestTimeTooSkewed</Code>" in body
    assert f"<RequestTime>{old['X-Amz-Date']}</RequestTime>" in body and "<MaxAllowedSkewMilliseconds>900000<" in body
    # SageMaker allows 5.
    listing = botocore.awsrequest.AWSRequest(method="POST", url=signed_server.url + "/", data=b"{}", headers={
        "X-Amz-Target": "SageMaker.ListProcessingJobs", "Content-Type": "application/x-amz-json-1.1"})
    moment = datetime.datetime.fromtimestamp(time.time() - 6 * 60, datetime.UTC).replace(tzinfo=None)
    with unittest.mock.patch("botocore.auth.get_current_datetime", lambda: moment):
        botocore.auth.SigV4Auth(botocore.credentials.Credentials(SECOND_KEY, SIGNED_KEYS[SECOND_KEY]), "sagemaker",
                                "us-east-1").add_auth(listing)
    status, body = raw_request(signed_server, "POST", "/", dict(listing.headers.items()), b"{}")
    assert status == 403 and "InvalidSignatureException" in body
    assert f"Signature expired: {moment.strftime('%Y%m%dT%H%M%SZ')} is now earlier than " in body


@pytest.mark.parametrize("signature_version", ["s3v4", None])
def test_presigned_get_until_it_expires(bucket, signature_version):
    """boto3's presigned URLs: SigV4 (X-Amz-*) with `signature_version='s3v4'`, and the SigV2 query
    (AWSAccessKeyId, Expires, Signature) that botocore gives a custom endpoint by default."""
    s3 = boto3.client("s3", config=botocore.config.Config(signature_version=signature_version))
    s3.put_object(Bucket=bucket, Key="shared/report.csv", Body=b"a,b\n1,2\n")
    params = {"Bucket": bucket, "Key": "shared/report.csv"}
    lasting = s3.generate_presigned_url("get_object", Params=params, ExpiresIn=600)
    short = s3.generate_presigned_url("get_object", Params=params, ExpiresIn=2)
    assert ("X-Amz-Signature=" in short) == (signature_version == "s3v4")
    assert urllib.request.urlopen(short).read() == b"a,b\n1,2\n"
    assert urllib.request.urlopen(lasting).read() == b"a,b\n1,2\n"
    with pytest.raises(urllib.error.HTTPError) as tampered:
        urllib.request.urlopen(lasting.replace("report.csv", "other.csv"))
    document = tampered.value.read().decode()
    assert tampered.value.code == 403 and "<Code>SignatureDoesNotMatch</Code>" in document
    # What S3 adds for a client to debug its signing with: the server's string to sign, and for SigV4 its
    # canonical request, with the signature provided.
    signature = urllib.parse.parse_qs(urllib.parse.urlsplit(lasting).query)["X-Amz-Signature" if signature_version else "Signature"][0]
    assert f"<SignatureProvided>{signature}</SignatureProvided>" in document
    assert f"<AWSAccessKeyId>{SECOND_KEY}</AWSAccessKeyId>" in document
    if signature_version:
        assert "<StringToSign>AWS4-HMAC-SHA256\n" in document
        assert f"<CanonicalRequest>GET\n/{bucket}/shared/other.csv\n" in document
    else:
        assert f"<StringToSign>GET\n\n\n" in document and f"\n/{bucket}/shared/other.csv</StringToSign>" in document
    time.sleep(3.2)
    with pytest.raises(urllib.error.HTTPError) as expired:
        urllib.request.urlopen(short)
    assert expired.value.code == 403
    document = expired.value.read().decode()
    assert "<Code>AccessDenied</Code><Message>Request has expired</Message>" in document
    assert "<Expires>" in document and "<ServerTime>" in document
    assert urllib.request.urlopen(lasting).read() == b"a,b\n1,2\n"
    put = s3.generate_presigned_url("put_object", Params={"Bucket": bucket, "Key": "uploaded"}, ExpiresIn=60)
    # Sent without a Content-Type, which SigV2 would sign (urllib adds a form type to a body).
    urllib.request.urlopen(urllib.request.Request(put, data=b"via presigned PUT", method="PUT",
                                                  headers={"Content-Type": ""}))
    assert s3.get_object(Bucket=bucket, Key="uploaded")["Body"].read() == b"via presigned PUT"


def sign(method, url, body, when=None, signer_class=botocore.auth.S3SigV4Auth):
    """The headers botocore's S3 signer gives `method url` with `body`, at `when` (a Unix time; now if None)."""
    request = botocore.awsrequest.AWSRequest(method=method, url=url, data=body)
    signer = signer_class(botocore.credentials.Credentials(SECOND_KEY, SIGNED_KEYS[SECOND_KEY]), "s3", "us-east-1")
    moment = datetime.datetime.fromtimestamp(time.time() if when is None else when, datetime.UTC)
    with unittest.mock.patch("botocore.auth.get_current_datetime", lambda: moment.replace(tzinfo=None)):
        signer.add_auth(request)
    return dict(request.headers.items())


def test_body_must_be_the_one_signed(signed_server, bucket):
    headers = sign("PUT", f"{signed_server.url}/{bucket}/swapped", b"the signed body")
    status, body = raw_request(signed_server, "PUT", f"/{bucket}/swapped", headers, b"the swapped body")
    assert status == 400 and "<Code>XAmzContentSHA256Mismatch</Code>" in body
    status, _ = raw_request(signed_server, "PUT", f"/{bucket}/swapped", headers, b"the signed body")
    assert status == 200
    assert boto3.client("s3").get_object(Bucket=bucket, Key="swapped")["Body"].read() == b"the signed body"


def hmac_sha256(key, text):
    return hmac.new(key, text.encode(), hashlib.sha256)


def framed(chunks, signatures, trailer=None):
    """An aws-chunked body: each chunk (and the empty last one) with its chunk-signature, then `trailer`'s
    lines, if any, with their signature."""
    body = b"".join(f"{len(chunk):x};chunk-signature={signature}\r\n".encode() + chunk + b"\r\n"
                    for chunk, signature in zip([*chunks, b""], signatures))
    if trailer is not None:
        lines, signature = trailer
        body = body[:-2] + "".join(f"{line}\r\n" for line in [*lines, f"x-amz-trailer-signature:{signature}"]).encode() + b"\r\n"
    return body


def chunked_upload(server, bucket, key, chunks, corrupt=None, trailer_lines=None):
    """PUTs `chunks` as a STREAMING-AWS4-HMAC-SHA256-PAYLOAD body (-TRAILER with `trailer_lines`), signing each
    chunk and the trailer in the chain (an own implementation of S3's chunk signing); the signature at index
    `corrupt` (len(chunks) + 1: the trailer's) is replaced by a wrong one."""
    streaming = "STREAMING-AWS4-HMAC-SHA256-PAYLOAD" + ("-TRAILER" if trailer_lines else "")
    placeholder = "0" * 64
    trailer = (trailer_lines, placeholder) if trailer_lines else None
    body_length = len(framed(chunks, [placeholder] * (len(chunks) + 1), trailer))
    extra = {"Content-Encoding": "aws-chunked", "x-amz-decoded-content-length": str(sum(map(len, chunks))),
             "Content-Length": str(body_length)}
    if trailer_lines:
        extra["x-amz-trailer"] = ",".join(line.split(":")[0] for line in trailer_lines)

    class StreamingSigner(botocore.auth.S3SigV4Auth):
        """botocore's signer, told that the body is signed chunk by chunk (and with the framing's headers)."""
        def payload(self, request):
            return streaming

        def _modify_request_before_signing(self, request):
            for name, value in extra.items():
                request.headers[name] = value
            super()._modify_request_before_signing(request)

    headers = sign("PUT", f"{server.url}/{bucket}/{key}", b"", signer_class=StreamingSigner)
    stamp = headers["X-Amz-Date"]
    previous = headers["Authorization"].rsplit("Signature=", 1)[1]
    scope = f"{stamp[:8]}/us-east-1/s3/aws4_request"
    signing_key = f"AWS4{SIGNED_KEYS[SECOND_KEY]}".encode()
    for part in (stamp[:8], "us-east-1", "s3", "aws4_request"):
        signing_key = hmac_sha256(signing_key, part).digest()
    signatures = []
    for chunk in [*chunks, b""]:
        to_sign = "\n".join(["AWS4-HMAC-SHA256-PAYLOAD", stamp, scope, previous, hashlib.sha256(b"").hexdigest(),
                             hashlib.sha256(chunk).hexdigest()])
        previous = hmac_sha256(signing_key, to_sign).hexdigest()
        signatures.append(previous)
    if trailer_lines:
        canonical = "".join(f"{line}\n" for line in trailer_lines).encode()
        to_sign = "\n".join(["AWS4-HMAC-SHA256-TRAILER", stamp, scope, previous, hashlib.sha256(canonical).hexdigest()])
        trailer = (trailer_lines, hmac_sha256(signing_key, to_sign).hexdigest())
    if corrupt is not None and corrupt < len(signatures):
        signatures[corrupt] = placeholder
    elif corrupt is not None:
        trailer = (trailer_lines, placeholder)
    body = framed(chunks, signatures, trailer)
    assert len(body) == body_length
    return raw_request(server, "PUT", f"/{bucket}/{key}", headers, body)


@pytest.mark.parametrize("trailer_lines", [None, ["x-amz-checksum-crc32:AAAAAA=="]])
def test_signed_chunks(signed_server, bucket, trailer_lines):
    chunks = [b"a" * 70000, b"b" * 1000]
    assert chunked_upload(signed_server, bucket, "chunked", chunks, trailer_lines=trailer_lines)[0] == 200
    assert boto3.client("s3").get_object(Bucket=bucket, Key="chunked")["Body"].read() == b"".join(chunks)
    # Each chunk's signature (the first, the second, the empty last one's), and the trailer's.
    for corrupt in range(0, 3 if trailer_lines is None else 4):
        status, body = chunked_upload(signed_server, bucket, "refused", chunks, corrupt=corrupt, trailer_lines=trailer_lines)
        assert status == 403 and "<Code>SignatureDoesNotMatch</Code>" in body, corrupt
    assert "Contents" not in boto3.client("s3").list_objects_v2(Bucket=bucket, Prefix="refused")


def aws(*args, check=True, **overrides):
    here = os.path.join(os.path.dirname(sys.executable), "aws")
    command = [here if os.path.exists(here) else shutil.which("aws"), *args]
    result = subprocess.run(command, capture_output=True, text=True, env={**os.environ, **overrides}, timeout=120)
    if check:
        assert result.returncode == 0, result.stderr
    return result


def test_aws_cli(bucket, tmp_path):
    source = tmp_path / "data.csv"
    source.write_text("x,y\n1,2\n")
    aws("s3", "cp", str(source), f"s3://{bucket}/cli/data.csv")
    # Past the CLI's 8 MiB threshold: a multipart upload.
    large = tmp_path / "large.bin"
    large.write_bytes(os.urandom(9 << 20))
    aws("s3", "cp", str(large), f"s3://{bucket}/cli/large.bin")
    assert boto3.client("s3").get_object(Bucket=bucket, Key="cli/large.bin")["Body"].read() == large.read_bytes()
    aws("s3", "cp", f"s3://{bucket}/cli/data.csv", str(tmp_path / "back.csv"))
    assert (tmp_path / "back.csv").read_text() == "x,y\n1,2\n"
    assert "data.csv" in aws("s3", "ls", f"s3://{bucket}/cli/").stdout
    assert "ProcessingJobSummaries" in aws("sagemaker", "list-processing-jobs").stdout
    refused = aws("sagemaker", "list-processing-jobs", check=False, AWS_SECRET_ACCESS_KEY="wrong")
    assert refused.returncode != 0 and "InvalidSignatureException" in refused.stderr


def test_job_gets_a_working_key(s3, sagemaker, bucket):
    """The job signs with the server's first key: `aws s3 ls` and boto3 inside it reach the endpoint."""
    s3.put_object(Bucket=bucket, Key="in/seen.txt", Body=b"x")
    name = unique("signed-job")
    script = ("aws s3 ls s3://$B/in/ > /opt/ml/processing/out/listing.txt && echo $AWS_ACCESS_KEY_ID >> /opt/ml/processing/out/listing.txt"
              " && python3 -c \"import boto3; boto3.client('s3').put_object(Bucket='$B', Key='from-job', Body=b'ok')\"")
    request = job_request(name, script, outputs=[{"OutputName": "out", "S3Output": {
        "S3Uri": f"s3://{bucket}/out", "LocalPath": "/opt/ml/processing/out", "S3UploadMode": "EndOfJob"}}])
    request["Environment"] = {"B": bucket}
    sagemaker.create_processing_job(**request)
    job = wait_for_job(sagemaker, name)
    assert job["ProcessingJobStatus"] == "Completed", job.get("FailureReason")
    listing = s3.get_object(Bucket=bucket, Key="out/listing.txt")["Body"].read().decode()
    assert "seen.txt" in listing and listing.strip().endswith(FIRST_KEY)
    assert s3.get_object(Bucket=bucket, Key="from-job")["Body"].read() == b"ok"


def test_sagemaker_sdk_v2_upload_and_processing_job(bucket, tmp_path):
    with sagemaker_sdk(tmp_path, bucket) as sdk:
        session = sdk.Session(boto_session=boto3.Session(region_name="us-east-1"), default_bucket=bucket)
        script = tmp_path / "count.py"
        script.write_text("import pathlib\npathlib.Path('/opt/ml/processing/out/n.txt').write_text("
                          "str(len(open('/opt/ml/processing/in/data.txt').read().split())))\n")
        data = tmp_path / "data.txt"
        data.write_text("one two three\n")
        uploaded = session.upload_data(str(data), bucket=bucket, key_prefix="sdk/in")
        assert uploaded == f"s3://{bucket}/sdk/in/data.txt"
        processor = sdk.processing.ScriptProcessor(
            image_uri="sagebox/python:3", command=["python3"], role="arn:aws:iam::000000000000:role/SageMakerRole",
            instance_count=1, instance_type="ml.m5.xlarge", base_job_name="signed-sdk", sagemaker_session=session)
        processor.run(code=str(script),
                      inputs=[sdk.processing.ProcessingInput(source=uploaded, destination="/opt/ml/processing/in")],
                      outputs=[sdk.processing.ProcessingOutput(output_name="out", source="/opt/ml/processing/out",
                                                               destination=f"s3://{bucket}/sdk/out")],
                      wait=True, logs=False)
        assert processor.latest_job.describe()["ProcessingJobStatus"] == "Completed"
    assert boto3.client("s3").get_object(Bucket=bucket, Key="sdk/out/n.txt")["Body"].read() == b"3"


def test_unusable_credentials_file_stops_serve(tmp_path):
    from conftest import sagebox_binary
    incomplete = tmp_path / "credentials"
    incomplete.write_text("[ci]\naws_access_key_id = AKIAONLYANID\n")
    for path, expected in [(incomplete, "profile [ci] needs both aws_access_key_id and aws_secret_access_key"),
                           (tmp_path / "missing", "cannot read")]:
        result = subprocess.run([sagebox_binary(), "serve", "--port", "0", "--root", str(tmp_path / "root"),
                                 "--credentials", str(path)], capture_output=True, text=True, timeout=30)
        assert result.returncode != 0 and result.stdout == ""
        assert expected in result.stderr and "--credentials" in result.stderr
