#!/usr/bin/env python3
"""The reducer of the sharded sample: combine the per-host statistics into totals.

Run on your own machine after downloading the job's stats prefix:
  python3 reduce_stats.py /tmp/stats        # a folder of algo-*.json files
Prints the totals as JSON. Exits 1 when a file was seen by two hosts (a sharding error).
Standard library only.
"""

import argparse
import glob
import json
import os
import sys
from decimal import Decimal


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("stats", help="folder holding the per-host JSON files")
    args = parser.parse_args()

    paths = sorted(glob.glob(os.path.join(args.stats, "*.json")))
    if not paths:
        sys.exit(f"no JSON files under {args.stats}")
    hosts, files, rows, units_sum, amount_sum = {}, [], 0, 0, Decimal(0)
    for path in paths:
        with open(path, encoding="utf-8") as f:
            shard = json.load(f)
        hosts[shard["host"]] = len(shard["files"])
        files += shard["files"]
        rows += shard["rows"]
        units_sum += shard["units_sum"]
        amount_sum += Decimal(shard["amount_sum"])

    totals = {
        "hosts": hosts,  # host -> number of files it saw
        "files": sorted(files),
        "rows": rows,
        "units_sum": units_sum,
        "amount_sum": f"{amount_sum:.2f}",
        "amount_mean": round(float(amount_sum / rows), 4) if rows else None,
    }
    print(json.dumps(totals, indent=2))
    seen_twice = sorted({name for name in files if files.count(name) > 1})
    if seen_twice:
        sys.exit(f"files seen by more than one host: {seen_twice}")


if __name__ == "__main__":
    main()
