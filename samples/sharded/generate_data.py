#!/usr/bin/env python3
"""Write N CSV part files of synthetic sales rows, the input of the sharded sample.

Standard library only, so it runs with a bare python3 before any virtual environment exists.
Prints the totals of what it wrote as JSON on stdout, so the reducer's result can be checked
against them (rows, units_sum, amount_sum over every part).
"""

import argparse
import csv
import json
import os
import random
from decimal import Decimal

HEADER = ["order_id", "order_date", "region", "product", "units", "unit_price", "amount"]
REGIONS = ["us-east", "us-west", "eu-central", "eu-west", "ap-south", "ap-northeast"]
PRODUCTS = {  # product -> unit price in cents
    "notebook": 349, "pen": 129, "stapler": 1499, "desk-lamp": 3999, "monitor": 18999,
    "keyboard": 4999, "mouse": 2499, "chair": 24999, "headset": 7999, "webcam": 6499,
}


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--parts", type=int, default=10)
    parser.add_argument("--rows-per-part", type=int, default=500)
    parser.add_argument("--seed", type=int, default=1729)
    parser.add_argument("--out", required=True, help="folder for part-00000.csv, part-00001.csv, ...")
    args = parser.parse_args()
    if args.parts < 1 or args.rows_per_part < 0:
        parser.error("--parts must be at least 1 and --rows-per-part at least 0")
    return args


def main():
    args = parse_args()
    rng = random.Random(args.seed)
    os.makedirs(args.out, exist_ok=True)
    products = sorted(PRODUCTS)
    rows = units_sum = 0
    amount_sum = Decimal(0)  # exact: amounts are whole cents
    for part in range(args.parts):
        path = os.path.join(args.out, f"part-{part:05d}.csv")
        with open(path, "w", newline="", encoding="utf-8") as f:
            writer = csv.writer(f)
            writer.writerow(HEADER)
            for row in range(args.rows_per_part):
                product = rng.choice(products)
                units = rng.randint(1, 12)
                cents = PRODUCTS[product] * units
                amount = Decimal(cents) / 100
                writer.writerow([
                    f"{part:05d}-{row:06d}",
                    f"2024-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
                    rng.choice(REGIONS), product, units, f"{PRODUCTS[product] / 100:.2f}", f"{amount:.2f}",
                ])
                rows += 1
                units_sum += units
                amount_sum += amount
    print(json.dumps({"parts": args.parts, "rows": rows, "units_sum": units_sum,
                      "amount_sum": f"{amount_sum:.2f}"}))


if __name__ == "__main__":
    main()
