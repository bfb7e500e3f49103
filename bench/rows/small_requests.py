"""Row "small S3 requests": HEAD and GET of a 1 KiB object from 16 concurrent keep-alive clients, in
requests per second, sagebox serve against moto_server with the same client (bench/core/http_load.py)."""
import os

from bench.core import http_load, server_cpu, signed_request
from bench.core.result import Result
from bench.core.servers import moto_server, sagebox_serve

REPEATS = 3
SECONDS = 4.0


def _measure(server, repeats):
    s3 = server.client("s3")
    s3.create_bucket(Bucket="small")
    s3.put_object(Bucket="small", Key="one-kib", Body=os.urandom(1024))
    rates = {}
    for method in ("HEAD", "GET"):
        request = signed_request.s3_object(method, server.port, "small", "one-kib")
        http_load.requests_per_second(server.port, request, head_only=method == "HEAD", seconds=1.0)  # warm-up
        rates[method] = server_cpu.measured_rates(server, request, repeats, SECONDS, head_only=method == "HEAD")
    return rates


def run(ctx):
    """One result for HEAD, one for GET."""
    with sagebox_serve(ctx.sagebox) as sagebox:
        mine = _measure(sagebox, ctx.runs(REPEATS))
    with moto_server(ctx.venv_bin) as moto:
        theirs = _measure(moto, ctx.runs(REPEATS))
    results = []
    for method in ("HEAD", "GET"):
        r = Result(row="small S3 requests", figure=f"{method} of a 1 KiB object, 16 concurrent", unit="req/s",
                   samples=mine[method][0], baseline_label="moto_server, same client",
                   baseline_samples=theirs[method][0], goal="≥ 20× moto", met=None,
                   note=server_cpu.note(mine[method][1], theirs[method][1]),
                   extra={"server_cpu_us_per_request": {"sagebox": mine[method][1], "moto": theirs[method][1]}})
        r.met = r.ratio >= 20
        results.append(r)
    return results
