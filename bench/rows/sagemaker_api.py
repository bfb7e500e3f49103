"""Row "SageMaker API": DescribeProcessingJob requests per second from 16 concurrent clients, sagebox
serve against moto_server, the same client for both."""
from bench.core import http_load, server_cpu, signed_request
from bench.core.result import Result
from bench.core.sagebox import job_request
from bench.core.servers import moto_server, sagebox_serve

REPEATS = 3
SECONDS = 4.0


def _measure(server, repeats):
    client = server.client("sagemaker")
    request = job_request("described", ["true"])
    del request["ProcessingInputs"], request["ProcessingOutputConfig"]
    request["AppSpecification"]["ImageUri"] = "123456789012.dkr.ecr.us-east-1.amazonaws.com/bench:latest"
    client.create_processing_job(**request)
    client.describe_processing_job(ProcessingJobName="described")
    raw = signed_request.sagemaker(server.port, "DescribeProcessingJob", {"ProcessingJobName": "described"})
    http_load.requests_per_second(server.port, raw, seconds=1.0)  # warm-up
    return server_cpu.measured_rates(server, raw, repeats, SECONDS)


def run(ctx):
    """One result."""
    with sagebox_serve(ctx.sagebox) as sagebox:
        mine = _measure(sagebox, ctx.runs(REPEATS))
    with moto_server(ctx.venv_bin) as moto:
        theirs = _measure(moto, ctx.runs(REPEATS))
    r = Result(row="SageMaker API", figure="DescribeProcessingJob, 16 concurrent", unit="req/s", samples=mine[0],
               baseline_label="moto_server, same client", baseline_samples=theirs[0], goal="≥ 20× moto", met=None,
               note=server_cpu.note(mine[1], theirs[1]),
               extra={"server_cpu_us_per_request": {"sagebox": mine[1], "moto": theirs[1]}})
    r.met = r.ratio >= 20
    return [r]
