"""`kill -9` of the server at random moments while the same keys are overwritten and multipart uploads
complete: afterwards every key holds a version a client sent (the last acknowledged one, or one in
flight at the kill), whole, in its file and over HTTP; the database is intact; the uploads the dead
server was receiving leave no temporary file, while a live CLI's stays.

Each test runs its own server (the `own_server` fixture), since it kills it."""
import hashlib
import os
import random
import signal
import sqlite3
import subprocess
import threading
import time

import botocore.config
import botocore.exceptions

from conftest import sagebox_binary, unique

KILLS = 30
MIB = 1024 * 1024
# A request to a killed server fails at once instead of being retried against nobody.
NO_RETRIES = botocore.config.Config(retries={"total_max_attempts": 1}, connect_timeout=5, read_timeout=60)
CUT_OFF = (botocore.exceptions.BotoCoreError,)


def put_version(key, version):
    """(bytes, ETag) of `version` of a PutObject key: 1 KiB to 3 MiB, so kills land in bodies and between
    them; up to 64 KiB for `small-*` keys, so that many publishes are under way when a kill lands."""
    rng = random.Random(f"{key}/{version}")
    body = rng.randbytes(rng.randint(0, 64 * 1024) if key.startswith("small-") else rng.randint(1024, 3 * MIB))
    return body, hashlib.md5(body).hexdigest()


def multipart_parts(key, version):
    rng = random.Random(f"{key}/{version}")
    return [rng.randbytes(5 * MIB), rng.randbytes(rng.randint(1, MIB))]


def multipart_version(key, version):
    """(bytes, ETag) of `version` of a multipart key: S3's `<md5 of the parts' md5s>-2`."""
    parts = multipart_parts(key, version)
    etag = hashlib.md5(b"".join(hashlib.md5(part).digest() for part in parts)).hexdigest() + "-2"
    return b"".join(parts), etag


class KeyHistory:
    """What one key may hold: its last acknowledged version and every version sent after it. One writer
    thread per key, so at most one version is in flight when the server dies."""

    def __init__(self, key, make):
        self.key = key
        self.make = make
        self.possible = set()
        self.acknowledged = False
        self.next = 0

    def new_version(self):
        self.next += 1
        return self.next

    def sending(self, version):
        self.possible.add(version)

    def acknowledge(self, version):
        self.possible = {version}
        self.acknowledged = True


def keep_writing(history, errors, send):
    """Sends new versions of one key with `send(version)` until the server dies under a request."""
    while True:
        version = history.new_version()
        try:
            send(version)
        except CUT_OFF:
            return
        except botocore.exceptions.ClientError as error:
            errors.append(f"{history.key} version {version}: {error}")
            return
        history.acknowledge(version)


def overwrite(s3, bucket, history, errors):
    def put(version):
        history.sending(version)
        s3.put_object(Bucket=bucket, Key=history.key, Body=history.make(history.key, version)[0])
    keep_writing(history, errors, put)


def upload_in_parts(s3, bucket, history, errors):
    key = history.key

    def upload(version):
        upload = s3.create_multipart_upload(Bucket=bucket, Key=key)["UploadId"]
        etags = [s3.upload_part(Bucket=bucket, Key=key, UploadId=upload, PartNumber=number, Body=part)["ETag"]
                 for number, part in enumerate(multipart_parts(key, version), start=1)]
        history.sending(version)
        s3.complete_multipart_upload(Bucket=bucket, Key=key, UploadId=upload, MultipartUpload={
            "Parts": [{"PartNumber": number, "ETag": etag} for number, etag in enumerate(etags, start=1)]})
    keep_writing(history, errors, upload)


def temporary_files(root):
    return sorted(path.name for path in (root / "tmp").glob("*.part"))


def check_every_key(server, bucket, histories):
    """Every key's file and GetObject hold one version the key may hold, whole; the database is intact."""
    database = sqlite3.connect(server.root / "sagebox.sqlite")
    try:
        assert database.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        rows = {key: (path, size, etag) for key, path, size, etag in database.execute(
            "SELECT key, data_path, size, etag FROM s3_objects WHERE bucket = ?", (bucket,))}
    finally:
        database.close()
    s3 = server.client("s3", NO_RETRIES)
    for key, history in histories.items():
        if key not in rows:
            assert not history.acknowledged, f"{key}: acknowledged, then lost"
            continue
        path, size, etag = rows[key]
        # The file a person would open, before any GET could put anything right.
        on_disk = (server.root / "buckets" / bucket / path).read_bytes()
        versions = {version: history.make(key, version) for version in history.possible}
        matching = [version for version, (body, _) in versions.items() if body == on_disk]
        assert matching, f"{key}: its file holds none of versions {sorted(versions)} ({len(on_disk)} bytes)"
        assert (size, etag) == (len(on_disk), versions[matching[0]][1]), f"{key}: the row does not describe its file"
        got = s3.get_object(Bucket=bucket, Key=key)
        body = got["Body"].read()
        assert (got["ContentLength"], got["ETag"]) == (len(on_disk), f'"{etag}"') and body == on_disk, key


def test_kill_9_during_overwrites_and_multipart_uploads_leaves_every_key_whole(own_server):
    bucket = unique("crash")
    own_server.client("s3").create_bucket(Bucket=bucket)
    histories = {key: KeyHistory(key, put_version) for key in ("a", "b", "dir/c", "dir/d", "small-1", "small-2", "dir/small-3")}
    histories.update({key: KeyHistory(key, multipart_version) for key in ("big-1", "big-2")})
    seed = random.randrange(1 << 32)
    moments = random.Random(seed)
    errors = []
    left_by_the_dead = 0
    for kill in range(KILLS):
        s3 = own_server.client("s3", NO_RETRIES)
        writers = [threading.Thread(target=upload_in_parts if history.make is multipart_version else overwrite,
                                    args=(s3, bucket, history, errors)) for history in histories.values()]
        for writer in writers:
            writer.start()
        time.sleep(moments.uniform(0.05, 0.8))
        own_server.kill_hard()
        for writer in writers:
            writer.join(timeout=60)
        assert not errors, f"seed {seed}, kill {kill}: {errors}"
        left_by_the_dead += len(temporary_files(own_server.root))
        own_server.restart()
        assert temporary_files(own_server.root) == [], f"seed {seed}, kill {kill}: the dead server's uploads stay"
        check_every_key(own_server, bucket, histories)
    # The kills did land while bodies were being received (else the check of temporary files proves nothing).
    assert left_by_the_dead > 0


def test_a_restart_keeps_the_temporary_file_a_live_cli_is_writing(own_server, tmp_path):
    bucket = unique("live-writer")
    own_server.client("s3").create_bucket(Bucket=bucket)
    source = tmp_path / "large.bin"
    with open(source, "wb") as file:
        file.truncate(256 * MIB)
    cli = subprocess.Popen([sagebox_binary(), "--root", str(own_server.root), "s3", "cp", str(source), f"s3://{bucket}/large.bin"],
                           stdout=subprocess.DEVNULL)
    try:
        deadline = time.time() + 60
        while not (writing := [name for name in temporary_files(own_server.root) if f".{cli.pid}." in name]):
            assert cli.poll() is None and time.time() < deadline, "the CLI never wrote a temporary file"
            time.sleep(0.001)
        # Paused mid-copy: alive, its temporary file unfinished, while the server dies and restarts.
        os.kill(cli.pid, signal.SIGSTOP)
        own_server.kill_hard()
        own_server.restart()
        assert temporary_files(own_server.root) == writing
    finally:
        os.kill(cli.pid, signal.SIGCONT)
    assert cli.wait(timeout=120) == 0
    assert own_server.client("s3").head_object(Bucket=bucket, Key="large.bin")["ContentLength"] == 256 * MIB
    assert temporary_files(own_server.root) == []
