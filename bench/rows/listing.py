"""Row "listing at scale": one ListProcessingJobs page (MaxResults 100, StatusEquals) over HTTP with
100,000 jobs in the store, median of many sequential requests on one keep-alive connection."""
import time

from bench.core import bulk_jobs, http_load, signed_request
from bench.core.result import Result
from bench.core.sagebox import Sagebox
from bench.core.servers import sagebox_serve
from bench.core.stats import median, percentile

JOBS = 100_000
REQUESTS = 200


def _latencies_ms(port, payload, count):
    raw = signed_request.sagemaker(port, "ListProcessingJobs", payload)
    http_load.latencies(port, raw, 10)  # warm-up
    return [t * 1000 for t in http_load.latencies(port, raw, count)]


def _page_token(server, payload, pages):
    """The NextToken of page `pages` + 1, following the real tokens."""
    client = server.client("sagemaker")
    token = None
    for _ in range(pages):
        token = client.list_processing_jobs(**payload, **({"NextToken": token} if token else {}))["NextToken"]
    return token


def run(ctx):
    """One result (first page, StatusEquals Completed); other filters and a deep page in the note."""
    sagebox = Sagebox(ctx.sagebox.binary, ctx.work / "listing-root")
    started = time.perf_counter()
    jobs = ctx.runs(JOBS, quick=10_000)
    bulk_jobs.fill(sagebox, jobs)
    fill_seconds = time.perf_counter() - started
    payload = {"MaxResults": 100, "StatusEquals": "Completed"}
    with sagebox_serve(sagebox) as server:
        first = _latencies_ms(server.port, payload, ctx.runs(REQUESTS))
        others = {
            "no filter": _latencies_ms(server.port, {"MaxResults": 100}, ctx.runs(REQUESTS) // 2),
            "NameContains '99'": _latencies_ms(server.port, {"MaxResults": 100, "NameContains": "99"},
                                               ctx.runs(REQUESTS) // 2),
            "StatusEquals Failed": _latencies_ms(server.port, {"MaxResults": 100, "StatusEquals": "Failed"},
                                                 ctx.runs(REQUESTS) // 2),
            "page 50 (NextToken)": _latencies_ms(server.port, {**payload, "NextToken": _page_token(server, payload, 49)},
                                                 ctx.runs(REQUESTS) // 2),
        }
    note = (f"{jobs:,} jobs inserted in {fill_seconds:.1f} s (90% Completed). Other pages, median: "
            + "; ".join(f"{k} {median(v):.1f} ms" for k, v in others.items()))
    r = Result(row="listing at scale", figure=f"ListProcessingJobs over {jobs:,} jobs, MaxResults 100, StatusEquals Completed",
               unit="ms", samples=first, goal="≤ 5 ms", met=median(first) <= 5, note=note,
               extra={"p99_ms": percentile(first, 99), "other_pages_ms": {k: median(v) for k, v in others.items()}})
    return [r]
