"""A user's processing script, as the sample project tests it: sums the `amount` column of every CSV in
/opt/ml/processing/input/data into /opt/ml/processing/output/summary.json. A row whose amount is not a
number fails the job with an ExitMessage naming it. --hold-seconds keeps it running (to be stopped)."""
import argparse
import csv
import json
import pathlib
import sys
import time

INPUT = pathlib.Path("/opt/ml/processing/input/data")
OUTPUT = pathlib.Path("/opt/ml/processing/output")
MESSAGE = pathlib.Path("/opt/ml/output/message")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--hold-seconds", type=float, default=0)
    args = parser.parse_args()
    total, rows = 0.0, 0
    for path in sorted(INPUT.glob("*.csv")):
        with path.open(newline="") as file:
            for line, row in enumerate(csv.DictReader(file), start=2):
                try:
                    total += float(row["amount"])
                except (TypeError, ValueError):
                    MESSAGE.parent.mkdir(parents=True, exist_ok=True)
                    MESSAGE.write_text(f"{path.name}:{line}: amount {row['amount']!r} is not a number")
                    print(f"bad row {path.name}:{line}", flush=True)
                    sys.exit(2)
                rows += 1
    print(f"summed {rows} rows", flush=True)
    deadline = time.monotonic() + args.hold_seconds
    while time.monotonic() < deadline:
        print("holding", flush=True)
        time.sleep(0.5)
    OUTPUT.mkdir(parents=True, exist_ok=True)
    (OUTPUT / "summary.json").write_text(json.dumps({"rows": rows, "total": total}))


if __name__ == "__main__":
    main()
