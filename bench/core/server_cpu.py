"""Server CPU time per request: a figure the client's own speed cannot cap, beside requests per second."""
from bench.core import http_load


def measured_rates(server, raw, repeats, seconds, head_only=False):
    """(requests per second of each repeat, server CPU microseconds per request over all repeats)."""
    stats = {}
    before = server.cpu_seconds()
    rates = [http_load.requests_per_second(server.port, raw, head_only=head_only, seconds=seconds, stats=stats)
             for _ in range(repeats)]
    cpu = server.cpu_seconds() - before
    return rates, cpu / stats["requests"] * 1e6


def note(mine_us, theirs_us):
    """The note text comparing both servers' CPU per request."""
    return (f"server CPU per request: sagebox {mine_us:.0f} µs, moto {theirs_us:.0f} µs "
            f"({theirs_us / mine_us:.1f}× less CPU); client: 2 processes × 8 asyncio keep-alive connections "
            "replaying one SigV4-signed request, on the same 2 cores as the server")
