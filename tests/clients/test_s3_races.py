"""32 writers (PUT and COPY), 16 readers (GET, ranged GET) and 4 deleters on one key for 15 s: every GET
answers one whole version with that version's own Content-Length and ETag, or 404; nothing answers 500.

Raw HTTP, so that a body shorter than its Content-Length shows as such instead of as a client error."""
import hashlib
import http.client
import random
import re
import threading
import time
import urllib.parse

from conftest import unique

DURATION = 15
WRITERS, COPIERS, READERS, DELETERS = 28, 4, 16, 4


def version_body(seed):
    """The bytes of one version: up to 256 KiB, so that versions differ in size as well as content."""
    rng = random.Random(seed)
    return rng.randbytes(rng.randint(0, 256 * 1024))


class Race:
    def __init__(self, url, bucket, key):
        address = urllib.parse.urlsplit(url)
        self.host, self.port = address.hostname, address.port
        self.path = f"/{bucket}/{key}"
        self.bucket = bucket
        self.stop = threading.Event()
        self.lock = threading.Lock()
        self.versions = {}  # ETag -> seed of every version written (registered before it is sent)
        self.failures = []
        self.counts = {}

    def register(self, seed):
        body = version_body(seed)
        with self.lock:
            self.versions[hashlib.md5(body).hexdigest()] = seed
        return body

    def count(self, what):
        with self.lock:
            self.counts[what] = self.counts.get(what, 0) + 1

    def fail(self, what):
        with self.lock:
            self.failures.append(what)

    def request(self, connection, method, path, body=None, headers=None):
        """One request on a kept-alive connection; returns (status, headers, body) or None if the body was cut short."""
        connection.request(method, path, body=body, headers=headers or {})
        response = connection.getresponse()
        try:
            data = response.read()
        except http.client.IncompleteRead as short:
            self.fail(f"{method} {path}: body cut at {len(short.partial)} of {response.getheader('Content-Length')} bytes")
            return None
        if response.status >= 500:
            self.fail(f"{method} {path}: {response.status} {data[:300]!r}")
        return response.status, response, data

    def loop(self, body):
        connection = http.client.HTTPConnection(self.host, self.port, timeout=60)
        try:
            number = 0
            while not self.stop.is_set():
                number += 1
                body(connection, number)
        finally:
            connection.close()

    def writer(self, name):
        def put(connection, number):
            data = self.register(f"{name}/{number}")
            if self.request(connection, "PUT", self.path, body=data)[0] == 200:
                self.count("PUT")
        self.loop(put)

    def copier(self, source):
        def copy(connection, number):
            answer = self.request(connection, "PUT", self.path, headers={"x-amz-copy-source": f"/{self.bucket}/{source}"})
            if answer and answer[0] == 200:
                self.count("COPY")
        self.loop(copy)

    def deleter(self):
        def delete(connection, number):
            if self.request(connection, "DELETE", self.path)[0] == 204:
                self.count("DELETE")
        self.loop(delete)

    def reader(self, ranged):
        def get(connection, number):
            wanted = (number * 7919) % 200_000
            headers = {"Range": f"bytes={wanted}-{wanted + 65535}"} if ranged else {}
            answer = self.request(connection, "GET", self.path, headers=headers)
            if answer:
                self.check(*answer, wanted=wanted if ranged else None)
        self.loop(get)

    def check(self, status, response, data, wanted):
        if status in (404, 416):
            self.count(str(status))
            return
        etag = (response.getheader("ETag") or "").strip('"')
        with self.lock:
            seed = self.versions.get(etag)
        if seed is None:
            self.fail(f"GET answered ETag {etag!r}, which no writer wrote")
            return
        whole = version_body(seed)
        if len(data) != int(response.getheader("Content-Length")):
            self.fail(f"GET {status}: {len(data)} bytes under Content-Length {response.getheader('Content-Length')}")
        elif status == 200 and data != whole:
            self.fail(f"GET 200: {len(data)} bytes that are not version {seed!r} ({len(whole)} bytes) of its ETag")
        elif status == 206:
            first, last, size = map(int, re.fullmatch(r"bytes (\d+)-(\d+)/(\d+)", response.getheader("Content-Range")).groups())
            if (first, size) != (wanted, len(whole)) or data != whole[first:last + 1]:
                self.fail(f"GET 206 {response.getheader('Content-Range')}: not bytes of version {seed!r} ({len(whole)} bytes)")
        self.count(f"GET {status}")


def test_concurrent_put_copy_get_and_delete_of_one_key_never_tear(server, s3, bucket):
    race = Race(server.url, bucket, unique("contested"))
    sources = []
    for number in range(COPIERS):
        source = f"source-{number}"
        s3.put_object(Bucket=bucket, Key=source, Body=race.register(source))
        sources.append(source)
    threads = ([threading.Thread(target=race.writer, args=(f"writer-{n}",)) for n in range(WRITERS)]
               + [threading.Thread(target=race.copier, args=(source,)) for source in sources]
               + [threading.Thread(target=race.reader, args=(n % 2 == 1,)) for n in range(READERS)]
               + [threading.Thread(target=race.deleter) for _ in range(DELETERS)])
    for thread in threads:
        thread.start()
    time.sleep(DURATION)
    race.stop.set()
    for thread in threads:
        thread.join(timeout=120)
    assert race.failures == [], f"{len(race.failures)} failures, first: {race.failures[:5]}; counts {race.counts}"
    # Every kind of request ran, and reads met whole versions as well as deletes.
    for what in ("PUT", "COPY", "DELETE", "GET 200", "GET 206", "404"):
        assert race.counts.get(what, 0) > 0, f"no {what}: {race.counts}"
