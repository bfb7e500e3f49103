"""Raw HTTP/1.1 request bytes, signed once with SigV4 the way boto3 signs them.

Both servers get the very same bytes, replayed: neither checks the signature's age, and moto routes a
request to its service by the signature's credential scope.
"""
from botocore.auth import S3SigV4Auth, SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials


def build(method, port, path, service, headers=None, body=b""):
    """The request as bytes, with Host, signature headers and Content-Length."""
    url = f"http://127.0.0.1:{port}{path}"
    request = AWSRequest(method=method, url=url, headers=dict(headers or {}), data=body)
    signer = S3SigV4Auth if service == "s3" else SigV4Auth
    signer(Credentials("bench", "bench"), service, "us-east-1").add_auth(request)
    lines = [f"{method} {path} HTTP/1.1", f"Host: 127.0.0.1:{port}"]
    lines += [f"{k}: {v}" for k, v in request.headers.items() if k.lower() != "host"]
    if body or method in ("POST", "PUT"):
        lines.append(f"Content-Length: {len(body)}")
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + body


def s3_object(method, port, bucket, key):
    """A HEAD or GET of one object, path-style."""
    return build(method, port, f"/{bucket}/{key}", "s3")


def sagemaker(port, target, payload):
    """A SageMaker JSON 1.1 call (X-Amz-Target: SageMaker.<target>)."""
    import json
    body = json.dumps(payload).encode()
    headers = {"X-Amz-Target": f"SageMaker.{target}", "Content-Type": "application/x-amz-json-1.1"}
    return build("POST", port, "/", "sagemaker", headers, body)
