"""SageMaker Processing script: statistics of this instance's shard of the sales data.

With S3DataDistributionType ShardedByS3Key each instance receives only some of the input's
objects, so each computes statistics of its own shard. All instances upload to the same S3
prefix, so each writes a file named after its host (as AWS advises); reduce_stats.py combines them.

Written for the container paths, as on SageMaker:
  host    /opt/ml/config/resourceconfig.json  (current_host, hosts)
  input   /opt/ml/processing/input/data/**/*.csv   (this host's shard; may be empty)
  output  /opt/ml/processing/output/stats/<current_host>.json
"""

import csv
import glob
import json
import os
from decimal import Decimal

RESOURCE_CONFIG = "/opt/ml/config/resourceconfig.json"
INPUT_DIR = "/opt/ml/processing/input/data"
OUTPUT_DIR = "/opt/ml/processing/output/stats"


def main():
    with open(RESOURCE_CONFIG, encoding="utf-8") as f:
        resources = json.load(f)
    host, hosts = resources["current_host"], resources["hosts"]
    print(f"{host}: one of {len(hosts)} hosts {hosts}", flush=True)

    paths = sorted(glob.glob(os.path.join(INPUT_DIR, "**", "*.csv"), recursive=True))
    files, rows, units_sum, amount_sum = [], 0, 0, Decimal(0)  # Decimal: sums exact to the cent
    for path in paths:
        name = os.path.relpath(path, INPUT_DIR)
        with open(path, newline="", encoding="utf-8") as f:
            file_rows = 0
            for record in csv.DictReader(f):
                file_rows += 1
                units_sum += int(record["units"])
                amount_sum += Decimal(record["amount"])
        print(f"{host}: {name}: {file_rows} rows", flush=True)
        files.append(name)
        rows += file_rows

    stats = {
        "host": host,
        "files": files,
        "rows": rows,
        "units_sum": units_sum,
        "amount_sum": f"{amount_sum:.2f}",  # a string, so no float rounding on the way
        "amount_mean": round(float(amount_sum / rows), 4) if rows else None,
    }
    os.makedirs(OUTPUT_DIR, exist_ok=True)
    out = os.path.join(OUTPUT_DIR, f"{host}.json")
    with open(out, "w", encoding="utf-8") as f:
        json.dump(stats, f, indent=2)
    print(f"{host}: {len(files)} files, {rows} rows, amount {stats['amount_sum']} -> {out}", flush=True)


if __name__ == "__main__":
    main()
