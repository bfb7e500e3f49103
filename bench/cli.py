"""Runs the rows, prints the table, writes bench/results/ (see bench/README.md)."""
import argparse
import importlib
import pathlib
import shutil
import sys
import time
import traceback

from bench.core import machine, report
from bench.core.sagebox import Sagebox

ROWS = ["job_overhead", "training", "staging", "upload", "s3_transfer", "small_requests", "sagemaker_api", "listing",
        "continuous", "server_memory", "pipeline", "spark"]
REPO = pathlib.Path(__file__).resolve().parent.parent


class Context:
    """What every row gets: sagebox over a fresh root, a scratch folder, the bench venv, the repeat policy."""

    def __init__(self, binary, work, venv_bin, quick):
        self.work = work
        self.data = work / "data"
        self.data.mkdir(parents=True, exist_ok=True)
        self.sagebox = Sagebox(binary, work / "root")
        self.venv_bin = venv_bin
        self.quick = quick
        self.cache = {}

    def runs(self, n, quick=None):
        """`n` repeats, or fewer with --quick (a smoke run of the harness, not a measurement)."""
        if not self.quick:
            return n
        return quick if quick is not None else max(1, n // 3)


def _arguments(argv):
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--sagebox", required=True, help="the release sagebox binary (sagebox-launcher beside it)")
    parser.add_argument("--work", default=str(REPO / "bench" / ".work"), help="scratch folder, emptied first")
    parser.add_argument("--results", default=str(REPO / "bench" / "results"))
    parser.add_argument("--rows", default=",".join(ROWS), help="comma-separated subset of: " + ", ".join(ROWS))
    parser.add_argument("--quick", action="store_true", help="fewer repeats and jobs: checks the harness only")
    parser.add_argument("--keep", action="store_true", help="keep the scratch folder afterwards")
    return parser.parse_args(argv)


def main(argv=None):
    """Runs the chosen rows in order; a row that fails is reported and the others still run."""
    args = _arguments(argv)
    work = pathlib.Path(args.work).resolve()
    shutil.rmtree(work, ignore_errors=True)
    ctx = Context(pathlib.Path(args.sagebox).resolve(), work, pathlib.Path(sys.executable).parent, args.quick)
    started = time.strftime("%Y%m%d-%H%M%S")
    described = machine.describe(work, REPO)
    print(f"Machine: {machine.one_line(described)}", flush=True)
    results, failed = [], []
    for name in args.rows.split(","):
        begin = time.perf_counter()
        print(f"== {name} ...", end=" ", flush=True)
        try:
            rows = importlib.import_module(f"bench.rows.{name}").run(ctx)
            results += rows
            print(f"{time.perf_counter() - begin:.0f} s", flush=True)
        except Exception:
            failed.append(name)
            print("FAILED", flush=True)
            traceback.print_exc()
    if not args.keep:
        shutil.rmtree(work, ignore_errors=True)
    print()
    print(report.markdown(results, described))
    path = report.write_json(results, described, args.results, started)
    print(f"\nWritten: {path} (and latest.json, latest.md beside it)")
    if failed:
        print(f"Rows that could not run: {', '.join(failed)}", file=sys.stderr)
        return 1
    return 0
