"""Hostile and malformed requests over raw sockets (and boto3): each gets its error, never a crash or
a hang, and the server keeps serving others meanwhile. One server of its own, with a short idle
timeout, an allowed extra host name and an allowed web origin."""
import base64
import hashlib
import http.client
import json
import os
import socket
import subprocess
import time
import urllib.parse
import xml.etree.ElementTree as ElementTree

import boto3
import botocore.config
import botocore.exceptions
import pytest

from conftest import CLIENT_ENVIRONMENT, job_request, sagebox_binary, start_server, unique

IDLE_TIMEOUT = 3
# Far above IDLE_TIMEOUT: only a server that never closes the connection takes this long.
CLOSE_BOUND = 30
ALLOWED_ORIGIN = "http://allowed.example"
ALLOWED_HOST = "sagebox.test"


@pytest.fixture(scope="module")
def guarded(tmp_path_factory):
    root = tmp_path_factory.mktemp("hostile-root")
    running = start_server(root, root.parent / "hostile-server.log",
                           ["--idle-timeout", str(IDLE_TIMEOUT), "--allow-origin", ALLOWED_ORIGIN,
                            "--allow-host", ALLOWED_HOST])
    yield running
    running.stop()


@pytest.fixture(scope="module")
def client(guarded):
    return boto3.client("s3", endpoint_url=guarded.url, aws_access_key_id="test", aws_secret_access_key="test",
                        region_name="us-east-1", config=botocore.config.Config(retries={"max_attempts": 1}))


@pytest.fixture
def bucket(client):
    name = unique("hostile")
    client.create_bucket(Bucket=name)
    return name


def address(server):
    parsed = urllib.parse.urlparse(server.url)
    return parsed.hostname, parsed.port


def connect(server):
    sock = socket.create_connection(address(server), timeout=CLOSE_BOUND)
    return sock


def exchange(server, head, body=b"", half_close=False):
    """Sends `head` (a str without the blank line; Host and Content-Length added unless present) and
    `body`; returns (status, headers, body) of the answer."""
    lines = head.split("\n")
    host, port = address(server)
    if not any(line.lower().startswith("host:") for line in lines):
        lines.append(f"Host: {host}:{port}")
    if not any(line.lower().startswith(("content-length:", "transfer-encoding:")) for line in lines):
        lines.append(f"Content-Length: {len(body)}")
    sock = connect(server)
    try:
        sock.sendall(("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body)
        if half_close:
            sock.shutdown(socket.SHUT_WR)
        response = http.client.HTTPResponse(sock, method=lines[0].split(" ")[0])
        response.begin()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()
    finally:
        sock.close()


def s3_error(body):
    """The Code and Message of an S3 XML error document (which must parse as XML)."""
    root = ElementTree.fromstring(body)
    return root.findtext("Code"), root.findtext("Message")


def md5_header(body):
    return "Content-MD5: " + base64.b64encode(hashlib.md5(body).digest()).decode()


def closes_within(sock, seconds):
    """Whether the server closes `sock` (a read sees EOF or a reset) before `seconds` pass."""
    sock.settimeout(seconds)
    try:
        while sock.recv(65536):
            pass
        return True
    except ConnectionResetError:
        return True
    except socket.timeout:
        return False


def assert_serving(client):
    assert client.list_buckets()["ResponseMetadata"]["HTTPStatusCode"] == 200


NESTED_BOMB = b"<a>" * 50_000 + b"</a>" * 50_000


def test_an_xml_bomb_is_malformed_xml_for_every_document_operation(guarded, client, bucket):
    client.put_object(Bucket=bucket, Key="kept", Body=b"abc")
    upload = client.create_multipart_upload(Bucket=bucket, Key="big")["UploadId"]
    host, port = address(guarded)
    heads = [
        f"POST /{bucket}?delete HTTP/1.1\r\n{md5_header(NESTED_BOMB)}",
        f"POST /{bucket}/big?uploadId={upload} HTTP/1.1",
        f"PUT /{unique('bomb')} HTTP/1.1",
    ]
    bombs = []
    for head in heads:
        sock = connect(guarded)
        sock.sendall(f"{head}\r\nHost: {host}:{port}\r\nContent-Length: {len(NESTED_BOMB)}\r\n\r\n".encode()
                     + NESTED_BOMB[:len(NESTED_BOMB) // 2])
        bombs.append(sock)
    try:
        # Served while the three bombs are half-sent, and after each goes off.
        assert_serving(client)
        for head, sock in zip(heads, bombs):
            sock.sendall(NESTED_BOMB[len(NESTED_BOMB) // 2:])
            response = http.client.HTTPResponse(sock, method="POST")
            response.begin()
            assert (response.status, s3_error(response.read())[0]) == (400, "MalformedXML"), head
            assert_serving(client)
    finally:
        for sock in bombs:
            sock.close()
    assert guarded.process.poll() is None
    assert client.get_object(Bucket=bucket, Key="kept")["Body"].read() == b"abc"


def test_a_deeply_nested_json_body_is_a_serialization_error(guarded):
    head = "POST / HTTP/1.1\nX-Amz-Target: SageMaker.CreateProcessingJob\nContent-Type: application/x-amz-json-1.1"
    for bomb in (b"[" * 50_000 + b"]" * 50_000, b'{"a":' * 50_000 + b"1" + b"}" * 50_000):
        status, _, body = exchange(guarded, head, bomb)
        assert status == 400
        assert json.loads(body)["__type"] == "SerializationException"
    assert guarded.process.poll() is None


def test_deleteobjects_with_another_document_element_deletes_nothing(guarded, client, bucket):
    client.put_object(Bucket=bucket, Key="kept", Body=b"abc")
    document = b"<Foo><Object><Key>kept</Key></Object></Foo>"
    status, _, body = exchange(guarded, f"POST /{bucket}?delete HTTP/1.1\n{md5_header(document)}", document)
    assert (status, s3_error(body)[0]) == (400, "MalformedXML")
    assert client.get_object(Bucket=bucket, Key="kept")["Body"].read() == b"abc"


def test_deleteobjects_requires_an_integrity_header_as_s3_does(guarded, client, bucket):
    client.put_object(Bucket=bucket, Key="kept", Body=b"abc")
    document = b"<Delete><Object><Key>kept</Key></Object></Delete>"
    status, _, body = exchange(guarded, f"POST /{bucket}?delete HTTP/1.1", document)
    assert (status, s3_error(body)) == (400, ("InvalidRequest", "Missing required header for this request: Content-MD5"))
    status, _, body = exchange(guarded, f"POST /{bucket}?delete HTTP/1.1\n{md5_header(b'other')}", document)
    assert (status, s3_error(body)[0]) == (400, "BadDigest")
    status, _, body = exchange(guarded, f"POST /{bucket}?delete HTTP/1.1\nContent-MD5: not-base64", document)
    assert (status, s3_error(body)[0]) == (400, "InvalidDigest")
    assert client.get_object(Bucket=bucket, Key="kept")["Body"].read() == b"abc"
    status, _, body = exchange(guarded, f"POST /{bucket}?delete HTTP/1.1\n{md5_header(document)}", document)
    assert status == 200 and b"<Key>kept</Key>" in body


def test_boto3_and_the_aws_cli_still_delete_objects(guarded, client, bucket):
    for key in ("a", "b", "c"):
        client.put_object(Bucket=bucket, Key=key, Body=b"x")
    deleted = client.delete_objects(Bucket=bucket, Delete={"Objects": [{"Key": "a"}]})["Deleted"]
    assert [d["Key"] for d in deleted] == ["a"]
    aws = os.path.join(os.path.dirname(os.sys.executable), "aws")
    environment = {**os.environ, **CLIENT_ENVIRONMENT, "AWS_ENDPOINT_URL": guarded.url}
    subprocess.run([aws, "s3api", "delete-objects", "--bucket", bucket, "--delete", '{"Objects":[{"Key":"b"}]}'],
                   env=environment, check=True, capture_output=True, timeout=120)
    subprocess.run([aws, "s3", "rm", "--recursive", f"s3://{bucket}/"], env=environment, check=True,
                   capture_output=True, timeout=120)
    assert client.list_objects_v2(Bucket=bucket)["KeyCount"] == 0


def test_a_document_body_over_the_limit_is_refused_before_it_is_read(guarded, client, bucket):
    # Only the head is sent: the answer must not wait for the 100 MiB it announces.
    head = f"POST /{bucket}?delete HTTP/1.1\nContent-MD5: AAAAAAAAAAAAAAAAAAAAAA==\nContent-Length: {100 * 1024 * 1024}"
    status, _, body = exchange(guarded, head)
    assert (status, s3_error(body)) == (400, ("MaxMessageLengthExceeded", "Your request was too big."))
    assert_serving(client)


def test_a_body_shorter_than_its_content_length_is_incomplete_body(guarded, client, bucket):
    status, _, body = exchange(guarded, f"PUT /{bucket}/short HTTP/1.1\nContent-Length: 100", b"x" * 10,
                               half_close=True)
    assert (status, s3_error(body)[0]) == (400, "IncompleteBody")
    with pytest.raises(botocore.exceptions.ClientError):
        client.head_object(Bucket=bucket, Key="short")


def test_broken_chunked_framing_is_a_400(guarded, client, bucket):
    for target in (f"PUT /{bucket}/chunked HTTP/1.1", f"POST /{bucket}?delete HTTP/1.1\n{md5_header(b'')}"):
        status, _, _ = exchange(guarded, f"{target}\nTransfer-Encoding: chunked", b"zz\r\nabc\r\n0\r\n\r\n")
        assert status == 400, target
    assert_serving(client)


def test_half_sent_heads_and_idle_connections_are_closed_while_others_are_served(guarded, client):
    host, port = address(guarded)
    stalled = []
    for index in range(200):
        sock = connect(guarded)
        # Half a head on most, nothing at all on the rest.
        if index % 4:
            sock.sendall(f"GET / HTTP/1.1\r\nHost: {host}:{port}\r\nX-Partial: ".encode())
        stalled.append(sock)
    try:
        assert_serving(client)
        assert all(closes_within(sock, CLOSE_BOUND) for sock in stalled)
    finally:
        for sock in stalled:
            sock.close()
    assert_serving(client)


def test_a_stalled_upload_is_closed_and_leaves_no_file(guarded, client, bucket):
    sock = connect(guarded)
    host, port = address(guarded)
    sock.sendall(f"PUT /{bucket}/stalled HTTP/1.1\r\nHost: {host}:{port}\r\nContent-Length: {5 * 1024 ** 3}\r\n\r\n".encode()
                 + b"x" * 1024)
    try:
        assert_serving(client)
        assert closes_within(sock, CLOSE_BOUND)
    finally:
        sock.close()
    leftovers = lambda: list((guarded.root / "tmp").glob("http-put-*"))  # noqa: E731
    deadline = time.time() + CLOSE_BOUND
    while leftovers() and time.time() < deadline:
        time.sleep(0.2)
    assert leftovers() == []
    with pytest.raises(botocore.exceptions.ClientError):
        client.head_object(Bucket=bucket, Key="stalled")


def test_a_range_past_the_end_is_invalid_range(client, bucket):
    client.put_object(Bucket=bucket, Key="three", Body=b"abc")
    with pytest.raises(botocore.exceptions.ClientError) as caught:
        client.get_object(Bucket=bucket, Key="three", Range="bytes=99999999-")
    assert caught.value.response["Error"]["Code"] == "InvalidRange"
    assert caught.value.response["ResponseMetadata"]["HTTPStatusCode"] == 416
    assert caught.value.response["ResponseMetadata"]["HTTPHeaders"]["content-range"] == "bytes */3"
    assert client.get_object(Bucket=bucket, Key="three", Range="bytes=1-")["Body"].read() == b"bc"


def test_a_json_post_without_a_target_gets_a_json_error(guarded):
    status, headers, body = exchange(guarded, "POST / HTTP/1.1\nContent-Type: application/x-amz-json-1.1", b"{}")
    assert status == 400
    assert headers["content-type"] == "application/x-amz-json-1.1"
    assert json.loads(body)["__type"] == "UnknownOperationException"


def test_control_characters_and_huge_values_are_not_echoed_raw(guarded, bucket):
    status, _, body = exchange(guarded, f"PUT /{bucket}/copy HTTP/1.1\nx-amz-copy-source: {bucket}/a%00b")
    assert 400 <= status < 500
    assert b"\x00" not in body
    s3_error(body)  # parses as XML
    status, _, body = exchange(guarded, f"PUT /{bucket}/copy HTTP/1.1\nx-amz-copy-source: {bucket}/a%01b%7F")
    assert b"\x01" not in body and b"\x7f" not in body
    s3_error(body)
    huge = "a" * (1024 * 1024)
    request = json.dumps({"ProcessingJobName": huge}).encode()
    status, _, body = exchange(
        guarded, "POST / HTTP/1.1\nX-Amz-Target: SageMaker.DescribeProcessingJob\nContent-Type: application/x-amz-json-1.1",
        request)
    assert status == 400 and json.loads(body)["__type"] == "ValidationException"
    # Bounds far below the megabyte the request echoed before (each value is cut at 4,096 characters).
    assert len(body) < 64 * 1024
    status, _, body = exchange(guarded, f"PUT /{bucket}/{'k' * 60_000} HTTP/1.1\nx-amz-copy-source: {bucket}/{'s' * 60_000}")
    assert 400 <= status < 500
    assert len(body) < 16 * 1024
    status, _, body = exchange(guarded, "POST / HTTP/1.1\nContent-Type: application/x-www-form-urlencoded",
                               f"Action={huge}%00&Version=2011-06-15".encode())
    assert status == 400 and len(body) < 16 * 1024
    assert b"\x00" not in body
    ElementTree.fromstring(body)


def test_a_megabyte_name_in_the_url_gets_a_small_400(guarded, client):
    status, _, body = exchange(guarded, f"PUT /{'b' * 1024 * 1024} HTTP/1.1")
    assert status == 400 and len(body) < 16 * 1024
    assert_serving(client)


def test_a_nul_in_the_entrypoint_is_a_validation_error(guarded):
    sagemaker = boto3.client("sagemaker", endpoint_url=guarded.url, aws_access_key_id="test",
                             aws_secret_access_key="test", region_name="us-east-1")
    request = job_request(unique("nul"), "true")
    request["AppSpecification"]["ContainerEntrypoint"] = ["tr\u0000ue"]
    with pytest.raises(botocore.exceptions.ClientError) as caught:
        sagemaker.create_processing_job(**request)
    error = caught.value.response["Error"]
    assert error["Code"] == "ValidationException"
    assert "ContainerEntrypoint contains a NUL character" in error["Message"]


def test_a_version_id_in_the_copy_source_is_not_ignored(client, bucket):
    client.put_object(Bucket=bucket, Key="source", Body=b"abc")
    with pytest.raises(botocore.exceptions.ClientError) as caught:
        client.copy_object(Bucket=bucket, Key="copy", CopySource={"Bucket": bucket, "Key": "source", "VersionId": "3HL4kq"})
    error = caught.value.response["Error"]
    assert (error["Code"], error["Message"]) == ("InvalidArgument", "Invalid version id specified")
    # `null`, the version ListObjectVersions reports for every object, names the object itself.
    client.copy_object(Bucket=bucket, Key="copy", CopySource={"Bucket": bucket, "Key": "source", "VersionId": "null"})
    assert client.get_object(Bucket=bucket, Key="copy")["Body"].read() == b"abc"


def test_a_foreign_host_is_refused_in_each_protocol(guarded, bucket):
    status, _, body = exchange(guarded, f"GET /{bucket}?list-type=2 HTTP/1.1\nHost: attacker.example")
    assert (status, s3_error(body)[0]) == (403, "AccessDenied")
    assert "attacker.example" in s3_error(body)[1]
    status, _, body = exchange(guarded, "POST / HTTP/1.1\nHost: attacker.example:9000\n"
                               "X-Amz-Target: SageMaker.ListProcessingJobs\nContent-Type: application/x-amz-json-1.1", b"{}")
    assert (status, json.loads(body)["__type"]) == (403, "AccessDeniedException")
    status, _, body = exchange(guarded, "POST / HTTP/1.1\nHost: attacker.example\n"
                               "Content-Type: application/x-www-form-urlencoded", b"Action=GetCallerIdentity")
    assert status == 403 and b"AccessDenied" in body


def test_loopback_and_allowed_hosts_are_served(guarded, bucket):
    _, port = address(guarded)
    for host in (f"localhost:{port}", f"127.0.0.1:{port}", "127.1.2.3", f"[::1]:{port}", ALLOWED_HOST,
                 f"{ALLOWED_HOST}:{port}"):
        status, _, _ = exchange(guarded, f"GET /{bucket}?list-type=2 HTTP/1.1\nHost: {host}")
        assert status == 200, host
    # Virtual-host style names a bucket in a subdomain.
    status, _, body = exchange(guarded, f"GET /?list-type=2 HTTP/1.1\nHost: {bucket}.localhost:{port}")
    assert status == 200 and f"<Name>{bucket}</Name>".encode() in body


def test_a_web_page_cannot_delete_objects(guarded, client, bucket):
    client.put_object(Bucket=bucket, Key="kept", Body=b"abc")
    document = b"<Delete><Object><Key>kept</Key></Object></Delete>"
    # What fetch(..., {mode: "no-cors", method: "POST"}) sends: an Origin, no Content-MD5.
    status, _, body = exchange(guarded, f"POST /{bucket}?delete HTTP/1.1\nOrigin: http://evil.example\n"
                               "Content-Type: text/plain", document)
    assert (status, s3_error(body)[0]) == (403, "AccessDenied")
    # Even with the MD5 a page cannot send without a preflight, its Origin is refused.
    status, _, _ = exchange(guarded, f"POST /{bucket}?delete HTTP/1.1\nOrigin: null\n{md5_header(document)}", document)
    assert status == 403
    assert client.get_object(Bucket=bucket, Key="kept")["Body"].read() == b"abc"


def test_an_allowed_origin_gets_cors_answers(guarded, bucket):
    status, headers, _ = exchange(guarded, f"OPTIONS /{bucket}/x HTTP/1.1\nOrigin: {ALLOWED_ORIGIN}\n"
                                  "Access-Control-Request-Method: PUT\nAccess-Control-Request-Headers: content-md5")
    assert status == 200
    assert headers["access-control-allow-origin"] == ALLOWED_ORIGIN
    assert headers["access-control-allow-methods"] == "PUT"
    assert headers["access-control-allow-headers"] == "content-md5"
    status, headers, _ = exchange(guarded, f"PUT /{bucket}/x HTTP/1.1\nOrigin: {ALLOWED_ORIGIN}", b"page")
    assert status == 200
    assert headers["access-control-allow-origin"] == ALLOWED_ORIGIN


def test_serve_on_all_addresses_announces_them_and_warns(tmp_path):
    process = subprocess.Popen([sagebox_binary(), "serve", "--host", "0.0.0.0", "--port", "0", "--root", str(tmp_path)],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        line = process.stdout.readline()
        assert line.startswith("sagebox listening on http://0.0.0.0:")
    finally:
        process.terminate()
        _, errors = process.communicate(timeout=30)
    assert "warning: listening on 0.0.0.0, which other machines may reach" in errors


def test_s3_cp_dash_streams_standard_input_and_output(tmp_path):
    def sagebox(*args, **kwargs):
        return subprocess.run([sagebox_binary(), "--root", str(tmp_path / "root"), *args], capture_output=True,
                              cwd=tmp_path, check=True, timeout=60, **kwargs)
    sagebox("s3", "mb", "s3://pipes")
    sagebox("s3", "cp", "-", "s3://pipes/in.bin", input=b"\x00streamed\n")
    assert sagebox("s3", "cp", "s3://pipes/in.bin", "-").stdout == b"\x00streamed\n"
    assert not (tmp_path / "-").exists()
