#!/usr/bin/env python3
"""Maps your own Spark image URI to sagebox's Spark runtime, as seed 004's ScriptProcessor needs it:
an entry of <root>/images.json, first, whose `mounts` show runtimes/spark/bin at /opt/program (read-only,
as `docker -v`), so `command=["/opt/program/submit"]` runs our submit.

  add-image-entry.py ROOT IMAGE_URI [--sagebox BIN]

It copies the default table's `*sagemaker-spark-processing*` entry (run `make spark-runtime` first); the
table is written by `sagebox --root ROOT images` when the root has none yet. Standard library only."""
import argparse
import json
import os
import pathlib
import subprocess
import tempfile

SPARK_ENTRY = "*sagemaker-spark-processing*"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("root")
    parser.add_argument("image_uri")
    parser.add_argument("--sagebox", default="sagebox", help="the sagebox binary (to write a root's default table)")
    args = parser.parse_args()
    table_path = pathlib.Path(args.root) / "images.json"
    if not table_path.exists():
        subprocess.run([args.sagebox, "--root", args.root, "images"], check=True, stdout=subprocess.DEVNULL)
    table = json.loads(table_path.read_text())
    spark = next((e for e in table["images"] if e["match"] == SPARK_ENTRY), None)
    if spark is None:
        raise SystemExit(f"{table_path} has no {SPARK_ENTRY} entry: run `make spark-runtime`, then remove the file "
                         "so sagebox writes the current default table")
    runtime = spark["environment"]["SAGEBOX_SPARK_RUNTIME"]
    entry = dict(spark, match=args.image_uri, entrypoint=[], mounts=spark["mounts"] + [f"{runtime}/bin:/opt/program"])
    table["images"] = [entry] + [e for e in table["images"] if e["match"] != args.image_uri]
    # Atomically: a running server reads the table at each job.
    with tempfile.NamedTemporaryFile("w", dir=table_path.parent, delete=False) as f:
        json.dump(table, f, indent=2)
    os.replace(f.name, table_path)
    print(f"{args.image_uri} -> {runtime}/bin at /opt/program")


if __name__ == "__main__":
    main()
