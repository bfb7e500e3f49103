"""Requests per second from C concurrent keep-alive clients: asyncio raw HTTP in a few processes.

One harness for every server, so a ratio compares servers and not clients. Each connection sends a
request, reads the whole response, checks its status, and sends the next; a server that closes the
connection (HTTP/1.0 style, as werkzeug does) is reconnected, which is part of its cost.
"""
import asyncio
import multiprocessing
import time


async def _read_response(reader, head_only):
    header = await reader.readuntil(b"\r\n\r\n")
    lines = header.decode("latin-1").split("\r\n")
    status = int(lines[0].split()[1])
    fields = {}
    for line in lines[1:]:
        if ":" in line:
            k, v = line.split(":", 1)
            fields[k.strip().lower()] = v.strip().lower()
    if not head_only:
        if "content-length" in fields:
            await reader.readexactly(int(fields["content-length"]))
        elif fields.get("transfer-encoding") == "chunked":
            while True:
                size = int((await reader.readuntil(b"\r\n")).split(b";")[0], 16)
                await reader.readexactly(size + 2)
                if size == 0:
                    break
        else:
            await reader.read()
            return status, True
    close = fields.get("connection") == "close" or lines[0].startswith("HTTP/1.0")
    return status, close


async def _connection(port, request, head_only, deadline):
    done, errors = 0, 0
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    while time.perf_counter() < deadline:
        writer.write(request)
        status, close = await _read_response(reader, head_only)
        if status == 200:
            done += 1
        else:
            errors += 1
        if close:
            writer.close()
            reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.close()
    return done, errors


async def _clients(port, request, head_only, connections, seconds):
    deadline = time.perf_counter() + seconds
    results = await asyncio.gather(*[_connection(port, request, head_only, deadline) for _ in range(connections)])
    return sum(r[0] for r in results), sum(r[1] for r in results)


def _process(args):
    return asyncio.run(_clients(*args))


def requests_per_second(port, request, head_only=False, clients=16, processes=2, seconds=4.0, stats=None):
    """Successful requests per second over `seconds`, `clients` connections spread over `processes`.

    Raises if any response was not 200: a fast error is not a fast answer. `stats`, a dict, gets the
    number of requests done ("requests").
    """
    per = [clients // processes + (1 if i < clients % processes else 0) for i in range(processes)]
    with multiprocessing.get_context("fork").Pool(processes) as pool:
        results = pool.map(_process, [(port, request, head_only, n, seconds) for n in per])
    done, errors = sum(r[0] for r in results), sum(r[1] for r in results)
    if errors:
        raise RuntimeError(f"{errors} responses were not 200 (port {port})")
    if stats is not None:
        stats["requests"] = stats.get("requests", 0) + done
    return done / seconds


def latencies(port, request, count):
    """Wall time in seconds of each of `count` sequential requests on one keep-alive connection."""
    async def measure():
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        times = []
        for _ in range(count):
            start = time.perf_counter()
            writer.write(request)
            status, close = await _read_response(reader, False)
            times.append(time.perf_counter() - start)
            if status != 200:
                raise RuntimeError(f"status {status}")
            if close:
                writer.close()
                reader, writer = await asyncio.open_connection("127.0.0.1", port)
        writer.close()
        return times
    return asyncio.run(measure())
