#!/usr/bin/env python3
"""Check the churn sample's three output CSVs (train, validation, test).

Usage: check_churn_outputs.py TRAIN VALIDATION TEST [--total N] [--train-split F]

Fails (exit 1, one line per problem on stderr) unless every file is headerless, all values
are finite numbers (no NaN, no empty field), the target in column 0 is 0 or 1, all files have
the same column count, the row counts are 70/20/10 of the total within one row each (or, with
--train-split F, the script's --train-test-split F: train F, validation 2(1-F)/3, test (1-F)/3), and no
row appears in two splits. Standard library only.

"No row in two splits" compares whole rows. That is sound because the generator
(samples/churn/generate_data.py) guarantees its rows stay unique after preprocessing drops
the identifier columns, so any shared row means a row was written to two splits.
"""

import argparse
import csv
import math
import sys

SPLITS = (("train", 0.7), ("validation", 0.2), ("test", 0.1))


def splits_for(train_split):
    """The fractions preprocessing.py writes for --train-test-split train_split (the rest 2:1 validation:test)."""
    held_out = 1.0 - train_split
    return (("train", train_split), ("validation", held_out * 2.0 / 3.0), ("test", held_out / 3.0))


def read_split(name, path, problems):
    """Return the rows of one file as tuples of floats; record problems as it goes."""
    rows = []
    try:
        with open(path, newline="") as f:
            for line_number, fields in enumerate(csv.reader(f), start=1):
                row = parse_row(name, path, line_number, fields, problems)
                if row is None:
                    if len(problems) > 20:
                        problems.append(f"{name}: too many problems, stopped reading {path}")
                        return rows
                    continue
                rows.append(row)
    except OSError as error:
        problems.append(f"{name}: cannot read {path}: {error.strerror}")
    if not rows and not any(p.startswith(f"{name}:") for p in problems):
        problems.append(f"{name}: {path} has no rows")
    return rows


def parse_row(name, path, line_number, fields, problems):
    where = f"{name}: {path} line {line_number}"
    if not fields:
        problems.append(f"{where}: empty line")
        return None
    values = []
    for column, text in enumerate(fields):
        if text.strip() == "":
            problems.append(f"{where} column {column}: empty value")
            return None
        try:
            value = float(text)
        except ValueError:
            if line_number == 1:
                problems.append(f"{where}: first row is not numeric (a header?): {text!r}")
            else:
                problems.append(f"{where} column {column}: not a number: {text!r}")
            return None
        if not math.isfinite(value):
            problems.append(f"{where} column {column}: not a finite number: {text!r}")
            return None
        values.append(value)
    if values[0] not in (0.0, 1.0):
        problems.append(f"{where}: target (column 0) is {fields[0]!r}, expected 0 or 1")
        return None
    return tuple(values)


def check_shape(data, problems):
    widths = {name: {len(r) for r in rows} for name, rows in data.items()}
    for name, found in widths.items():
        if len(found) > 1:
            problems.append(f"{name}: rows have different column counts: {sorted(found)}")
    all_widths = set().union(*widths.values())
    if len(all_widths) > 1:
        detail = ", ".join(f"{n} {sorted(w)}" for n, w in widths.items())
        problems.append(f"files have different column counts: {detail}")
    elif all_widths and min(all_widths) < 2:
        problems.append("rows have no feature columns (only the target)")


def check_counts(data, total, problems, splits=SPLITS):
    written = sum(len(rows) for rows in data.values())
    if total is None:
        total = written
    elif written != total:
        problems.append(f"the splits hold {written} rows together, expected {total}")
    for name, fraction in splits:
        expected = fraction * total
        count = len(data[name])
        if abs(count - expected) > 1.0 + 1e-9:
            problems.append(f"{name}: {count} rows, expected {expected:g} ± 1 "
                            f"({fraction:.0%} of {total})")


def check_disjoint(data, problems):
    names = [name for name, _ in SPLITS]
    sets = {name: set(data[name]) for name in names}
    for i, first in enumerate(names):
        for second in names[i + 1:]:
            shared = sets[first] & sets[second]
            if shared:
                problems.append(f"{len(shared)} rows appear in both {first} and {second}")


def main(argv=None):
    parser = argparse.ArgumentParser(description="Check the churn sample's output CSVs.")
    parser.add_argument("train")
    parser.add_argument("validation")
    parser.add_argument("test")
    parser.add_argument("--total", type=int, help="rows in the input (default: sum of the splits)")
    parser.add_argument("--train-split", type=float, default=0.7,
                        help="the job's --train-test-split (default 0.7: 70/20/10)")
    args = parser.parse_args(argv)
    if not 0.0 < args.train_split < 1.0:
        parser.error("--train-split must be between 0 and 1")

    problems = []
    paths = {"train": args.train, "validation": args.validation, "test": args.test}
    data = {name: read_split(name, paths[name], problems) for name, _ in SPLITS}
    if not problems:
        check_shape(data, problems)
        check_counts(data, args.total, problems, splits_for(args.train_split))
        check_disjoint(data, problems)

    if problems:
        for problem in problems:
            print(f"FAIL {problem}", file=sys.stderr)
        return 1
    counts = ", ".join(f"{name} {len(data[name])}" for name, _ in SPLITS)
    width = len(data["train"][0])
    print(f"OK churn outputs: {counts}; {width} columns; target 0/1 first; no row in two splits")
    return 0


if __name__ == "__main__":
    sys.exit(main())
