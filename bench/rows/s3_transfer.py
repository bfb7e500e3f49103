"""Row "S3 PUT and GET, 1 GiB object, loopback": the AWS CLI's `s3 cp` against `sagebox serve` and
against moto_server, and curl of the same file from sagebox and from a static (sendfile) server."""
from bench.core import hyperfine
from bench.core.datasets import make_file
from bench.core.result import Result
from bench.core.servers import moto_server, sagebox_serve, static_server

SIZE = 1 << 30
# moto answers each ranged GET by copying its whole in-memory object: 1 GiB down takes it about 90 s here,
# past the row's minute. Its object is 256 MiB instead; that favours moto (its cost grows with the size),
# so the ratio is, if anything, understated.
MOTO_SIZE = 256 << 20


def _cli(ctx, server, runs, source, target, prepare=None):
    aws = ctx.venv_bin / "aws"
    return hyperfine.time_command(f"{aws} s3 cp --only-show-errors {source} {target}", runs=runs, warmup=0,
                                  prepare=prepare, shell="none", env=server.cli_env())


def _transfers(ctx, server, runs, big):
    """PUT and GET seconds with the AWS CLI, then the GET URL for curl."""
    s3 = server.client("s3")
    s3.create_bucket(Bucket="transfer")
    got = ctx.work / "got.bin"
    put = _cli(ctx, server, runs, big, "s3://transfer/big.bin")
    get = _cli(ctx, server, runs, "s3://transfer/big.bin", got, prepare=f"rm -f {got}")
    got.unlink(missing_ok=True)
    return put, get


def _curl_put(server, runs, source):
    """Unsigned PUT of the whole file in one request: the server's write path without the CLI."""
    return hyperfine.time_command(f"curl -sf -o /dev/null -T {source} {server.endpoint}/transfer/curl.bin",
                                  runs=runs, warmup=0, shell="none")


def _rate(seconds, size=SIZE):
    return [size / 1e9 / s for s in seconds]


def run(ctx):
    """Four results: PUT and GET with the CLI and PUT with curl (vs moto), GET with curl (vs a static server)."""
    big = make_file(ctx.data / "big.bin", SIZE)
    moto_big = make_file(ctx.data / "moto-big.bin", MOTO_SIZE)
    with sagebox_serve(ctx.sagebox) as sagebox:
        put, get = _transfers(ctx, sagebox, ctx.runs(3), big)
        curl_put = _curl_put(sagebox, ctx.runs(3), big)
        curl = hyperfine.time_command(f"curl -sf -o /dev/null {sagebox.endpoint}/transfer/big.bin",
                                      runs=ctx.runs(5), warmup=1, shell="none")
        for key in ("big.bin", "curl.bin"):
            sagebox.client("s3").delete_object(Bucket="transfer", Key=key)
    with moto_server(ctx.venv_bin) as moto:
        moto_put, moto_get = _transfers(ctx, moto, 1, moto_big)
        moto_curl_put = _curl_put(moto, 1, moto_big)
    with static_server(big.parent) as static:
        static_curl = hyperfine.time_command(f"curl -sf -o /dev/null {static.endpoint}/{big.name}",
                                             runs=ctx.runs(5), warmup=1, shell="none")
    results = []
    for what, mine, theirs in (("PUT", put, moto_put), ("GET", get, moto_get)):
        r = Result(row="S3 PUT and GET, 1 GiB, loopback", figure=f"aws s3 cp {what} (CLI, multipart)", unit="GB/s",
                   samples=_rate(mine), baseline_label="same CLI against moto_server (256 MiB object)",
                   baseline_samples=_rate(theirs, MOTO_SIZE), goal="≥ 20× moto; ≥ 1 GB/s", met=None,
                   note="the AWS CLI (Python: checksums, aws-chunked bodies, 10 threads) shares the 2 cores; "
                        "where both servers give the same rate, the client is the bottleneck")
        r.met = r.ratio >= 20 and r.value >= 1
        results.append(r)
    r = Result(row="S3 PUT and GET, 1 GiB, loopback", figure="curl PUT (one request)", unit="GB/s",
               samples=_rate(curl_put), baseline_label="curl PUT to moto_server (256 MiB object)",
               baseline_samples=_rate(moto_curl_put, MOTO_SIZE), goal="≥ 20× moto; ≥ 1 GB/s", met=None,
               note="unsigned PUT of the whole file: the server's write path (MD5 for the ETag, the file, its row)")
    r.met = r.ratio >= 20 and r.value >= 1
    results.append(r)
    r = Result(row="S3 PUT and GET, 1 GiB, loopback", figure="curl GET", unit="GB/s", samples=_rate(curl),
               baseline_label="curl from a static sendfile server", baseline_samples=_rate(static_curl),
               goal="≥ 1 GB/s", met=None,
               note="unsigned GET to /dev/null: the server's own speed, without the CLI's Python in the way")
    r.met = r.value >= 1
    results.append(r)
    return results
