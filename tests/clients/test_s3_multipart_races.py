"""Multipart uploads under concurrency, through boto3 against `sagebox serve`: re-sends of one part racing
each other and the other parts, and UploadPartCopy racing overwrites of its source. S3's rules: the last
acknowledged upload of a part number is the part, Complete succeeds when the listed ETags match, and a
copied part is a range of one whole version of the source."""
import concurrent.futures
import hashlib
import random
import threading
import time

import botocore.config
import boto3

from conftest import unique

MIB = 1024 * 1024


def md5(data):
    return hashlib.md5(data).hexdigest()


def wide_client():
    """A client whose connection pool holds every thread's connection."""
    return boto3.client("s3", config=botocore.config.Config(max_pool_connections=64, retries={"max_attempts": 1}))


def test_resending_part_one_while_the_other_parts_are_in_flight(server, bucket):
    s3 = wide_client()
    key = unique("resent")
    upload = s3.create_multipart_upload(Bucket=bucket, Key=key)["UploadId"]
    rng = random.Random(1)
    bodies = {number: rng.randbytes(5 * MIB) for number in range(1, 7)}
    bodies[7] = b"the last part"

    def send(number, body):
        return s3.upload_part(Bucket=bucket, Key=key, UploadId=upload, PartNumber=number, Body=body)["ETag"]

    with concurrent.futures.ThreadPoolExecutor(16) as pool:
        first = pool.submit(send, 1, bodies[1])
        others = {number: pool.submit(send, number, bodies[number]) for number in range(2, 8)}
        resends = [pool.submit(send, 1, rng.randbytes(5 * MIB)) for _ in range(6)]
        etags = {number: future.result() for number, future in others.items()}
        first.result()
        for resend in resends:
            resend.result()
    # Every upload of part 1 above is acknowledged: the one sent now is the last, and it is the part.
    bodies[1] = rng.randbytes(5 * MIB)
    etags[1] = send(1, bodies[1])
    assert etags[1] == '"%s"' % md5(bodies[1])
    listed = s3.list_parts(Bucket=bucket, Key=key, UploadId=upload)["Parts"]
    assert [(part["PartNumber"], part["ETag"]) for part in listed] == sorted(etags.items())

    s3.complete_multipart_upload(Bucket=bucket, Key=key, UploadId=upload, MultipartUpload={
        "Parts": [{"PartNumber": number, "ETag": etag} for number, etag in sorted(etags.items())]})
    assert s3.get_object(Bucket=bucket, Key=key)["Body"].read() == b"".join(bodies[n] for n in sorted(bodies))


def test_racing_resends_of_a_part_leave_one_whole_resend_with_its_own_etag(server, bucket):
    """32 re-sends of part 1 at once, 50 times: the part ListParts reports is one of them, with that one's
    ETag, and Complete with that ETag joins exactly its bytes (never one re-send's bytes under another's
    ETag)."""
    s3 = wide_client()
    mismatches = []
    for round in range(50):
        key = unique("contested-part")
        upload = s3.create_multipart_upload(Bucket=bucket, Key=key)["UploadId"]
        sent = {}

        def send(number):
            body = random.Random(f"{round}/{number}").randbytes(64 * 1024 + number)
            sent[md5(body)] = body
            return s3.upload_part(Bucket=bucket, Key=key, UploadId=upload, PartNumber=1, Body=body)["ETag"]

        with concurrent.futures.ThreadPoolExecutor(32) as pool:
            acknowledged = set(pool.map(send, range(32)))
        listed = s3.list_parts(Bucket=bucket, Key=key, UploadId=upload)["Parts"]
        assert len(listed) == 1 and listed[0]["ETag"] in acknowledged
        etag = listed[0]["ETag"]
        s3.complete_multipart_upload(Bucket=bucket, Key=key, UploadId=upload,
                                     MultipartUpload={"Parts": [{"PartNumber": 1, "ETag": etag}]})
        joined = s3.get_object(Bucket=bucket, Key=key)["Body"].read()
        if joined != sent[etag.strip('"')]:
            mismatches.append(f"round {round}: ETag {etag} but the bytes' MD5 is {md5(joined)}")
    assert mismatches == []


def test_upload_part_copy_racing_overwrites_copies_one_whole_version(server, bucket):
    """Writers overwrite the source with versions of 48 to 256 KiB while copiers copy it (whole, and bytes
    1000-40999) into parts: each part's ETag and bytes are those of one version, or of that range of one."""
    s3 = wide_client()
    source = unique("copied-source")
    versions, slices = set(), set()
    lock = threading.Lock()

    def version(seed):
        rng = random.Random(seed)
        body = rng.randbytes(rng.randint(48 * 1024, 256 * 1024))
        with lock:
            versions.add(md5(body))
            slices.add(md5(body[1000:41000]))
        return body

    s3.put_object(Bucket=bucket, Key=source, Body=version("first"))
    stop = threading.Event()
    failures, copies = [], []

    def writer(name):
        number = 0
        while not stop.is_set():
            number += 1
            s3.put_object(Bucket=bucket, Key=source, Body=version(f"{name}/{number}"))

    def copier(ranged):
        key = unique("copy-target")
        upload = s3.create_multipart_upload(Bucket=bucket, Key=key)["UploadId"]
        extra = {"CopySourceRange": "bytes=1000-40999"} if ranged else {}
        etag = None
        while not stop.is_set():
            etag = s3.upload_part_copy(Bucket=bucket, Key=key, UploadId=upload, PartNumber=1,
                                       CopySource={"Bucket": bucket, "Key": source}, **extra)["CopyPartResult"]["ETag"]
            with lock:
                copies.append(etag)
                if etag.strip('"') not in (slices if ranged else versions):
                    failures.append(f"{'ranged' if ranged else 'whole'} copy with ETag {etag}, which is no version's")
        s3.complete_multipart_upload(Bucket=bucket, Key=key, UploadId=upload,
                                     MultipartUpload={"Parts": [{"PartNumber": 1, "ETag": etag}]})
        joined = s3.get_object(Bucket=bucket, Key=key)["Body"].read()
        if md5(joined) != etag.strip('"') or (ranged and len(joined) != 40000):
            failures.append(f"the part of ETag {etag} holds {len(joined)} bytes of MD5 {md5(joined)}")

    threads = ([threading.Thread(target=writer, args=(f"writer-{n}",)) for n in range(8)]
               + [threading.Thread(target=copier, args=(n % 2 == 1,)) for n in range(8)])
    for thread in threads:
        thread.start()
    time.sleep(10)
    stop.set()
    for thread in threads:
        thread.join(timeout=120)
    assert failures == [], f"{len(failures)} failures of {len(copies)} copies, first: {failures[:5]}"
    assert len(copies) > 100
