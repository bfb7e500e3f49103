#!/usr/bin/env python3
"""Check the four outputs of the employees processing job against the raw input it was given.

Recomputes everything from the raw CSV with the standard library only (no pandas), so it checks
the job rather than repeating its code:
  cleaned           same rows and ids as the input, no empty cell, known values unchanged,
                    gaps filled by the documented rules;
  transformed       profile fields match the profile JSON, tenure/bands/compensation recomputed;
  department_stats  one row per department, counts and salary/bonus figures from the cleaned rows;
  quality_metrics   row counts and missing counts before/after match the data.

Usage: check_outputs.py --raw mock_data.csv --outputs DIR --as-of YYYY-MM-DD
DIR is what `aws s3 cp --recursive s3://BUCKET/employees/output/ DIR` downloads. Exits 1 on any
mismatch, printing each one.
"""

import argparse
import csv
import datetime
import json
import math
import os
import statistics
import sys

COLUMNS = ["id", "name", "age", "salary", "hire_date", "profile", "department", "bonus"]
OUTPUT_FILES = {
    "cleaned": "cleaned/employees_cleaned.csv",
    "transformed": "transformed/employees_transformed.csv",
    "department_stats": "department_stats/department_stats.csv",
    "quality_metrics": "quality_metrics/quality_metrics.json",
}
SALARY_BANDS = [(0, "under-50k"), (50_000, "50k-80k"), (80_000, "80k-120k"), (120_000, "120k-plus")]
AGE_GROUPS = [(0, "under-30"), (30, "30-39"), (40, "40-49"), (50, "50-59"), (60, "60-plus")]
TOLERANCE = 0.011  # values are written to the cent; allow one cent of rounding


class Checker:
    """Collects mismatches instead of stopping at the first, so one run shows them all."""

    def __init__(self):
        self.errors = []

    def expect(self, condition, message):
        if not condition:
            self.errors.append(message)
        return condition

    def close(self, actual, expected, what):
        return self.expect(math.isclose(float(actual), float(expected), abs_tol=TOLERANCE),
                           f"{what}: {actual} != expected {expected}")


def read_csv(path):
    with open(path, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def label(value, edges):
    """The last band whose lower edge the value reaches."""
    return [name for edge, name in edges if value >= edge][-1]


def expected_fills(raw):
    """What cleaning should put in each gap: 'Unknown', the department's median salary, the median age."""
    departments = [r["department"] or "Unknown" for r in raw]
    known = {}
    for row, department in zip(raw, departments):
        if row["salary"]:
            known.setdefault(department, []).append(float(row["salary"]))
    overall = statistics.median(s for values in known.values() for s in values)
    salary_median = {d: statistics.median(v) for d, v in known.items()}
    ages = [float(r["age"]) for r in raw if r["age"]]
    median_age = int(round(statistics.median(ages)))
    salaries = [float(r["salary"]) if r["salary"] else salary_median.get(d, overall)
                for r, d in zip(raw, departments)]
    return departments, salaries, median_age


def check_cleaned(check, raw, cleaned):
    if not check.expect(len(cleaned) == len(raw), f"cleaned: {len(cleaned)} rows, input has {len(raw)}"):
        return
    check.expect(list(cleaned[0].keys()) == COLUMNS, f"cleaned: columns {list(cleaned[0].keys())}")
    empty = [(r["id"], c) for r in cleaned for c in COLUMNS if (r.get(c) or "").strip() == ""]
    check.expect(not empty, f"cleaned: {len(empty)} empty cells, first {empty[:5]}")
    departments, salaries, median_age = expected_fills(raw)
    for before, after, department, salary in zip(raw, cleaned, departments, salaries):
        where = f"cleaned id {before['id']}"
        if any((after.get(c) or "").strip() == "" for c in COLUMNS):
            continue  # reported above as an empty cell
        check.expect(after["id"] == before["id"], f"{where}: id became {after['id']}")
        for column in ("name", "hire_date", "profile"):
            check.expect(after[column] == before[column], f"{where}: {column} changed")
        check.close(after["bonus"], before["bonus"], f"{where} bonus")
        check.expect(after["department"] == department, f"{where}: department {after['department']!r}, expected {department!r}")
        check.close(after["salary"], salary, f"{where} salary")
        check.expect(int(after["age"]) == (int(before["age"]) if before["age"] else median_age),
                     f"{where}: age {after['age']}, expected {before['age'] or median_age}")


def check_transformed(check, raw, cleaned, transformed, as_of):
    if not check.expect(len(transformed) == len(raw), f"transformed: {len(transformed)} rows, input has {len(raw)}"):
        return
    for source, row in zip(cleaned, transformed):
        where = f"transformed id {row['id']}"
        if not check.expect(row["id"] == source["id"], f"{where}: expected id {source['id']}"):
            return
        profile = json.loads(source["profile"])
        check.expect(row["city"] == profile["address"]["city"], f"{where}: city {row['city']!r}")
        check.expect(row["state"] == profile["address"]["state"], f"{where}: state {row['state']!r}")
        check.expect(row["email"] == profile["email"], f"{where}: email {row['email']!r}")
        check.expect(row["email_domain"] == profile["email"].split("@")[1], f"{where}: email_domain {row['email_domain']!r}")
        check.expect(row["phone_digits"] == "".join(c for c in profile["phone"] if c.isdigit()),
                     f"{where}: phone_digits {row['phone_digits']!r}")
        salary, bonus = float(source["salary"]), float(source["bonus"])
        check.close(row["salary"], salary, f"{where} salary")
        check.close(row["total_compensation"], salary + bonus, f"{where} total_compensation")
        check.close(row["bonus_pct"], 100.0 * bonus / salary, f"{where} bonus_pct")
        check.expect(row["salary_band"] == label(salary, SALARY_BANDS), f"{where}: salary_band {row['salary_band']!r} for {salary}")
        check.expect(row["age_group"] == label(int(source["age"]), AGE_GROUPS), f"{where}: age_group {row['age_group']!r}")
        days = (as_of - datetime.date.fromisoformat(source["hire_date"])).days
        check.close(row["tenure_years"], days / 365.25, f"{where} tenure_years")


def check_department_stats(check, cleaned, stats):
    groups = {}
    for row in cleaned:
        groups.setdefault(row["department"], []).append(row)
    names = [s["department"] for s in stats]
    check.expect(names == sorted(groups), f"department_stats: departments {names}, data has {sorted(groups)}")
    check.expect(sum(int(s["employee_count"]) for s in stats) == len(cleaned),
                 "department_stats: employee counts do not add up to the cleaned rows")
    for s in stats:
        rows = groups.get(s["department"], [])
        where = f"department_stats {s['department']}"
        if not check.expect(int(s["employee_count"]) == len(rows), f"{where}: count {s['employee_count']}, data has {len(rows)}"):
            continue
        salaries = [float(r["salary"]) for r in rows]
        check.close(s["avg_salary"], statistics.fmean(salaries), f"{where} avg_salary")
        check.close(s["median_salary"], statistics.median(salaries), f"{where} median_salary")
        check.close(s["min_salary"], min(salaries), f"{where} min_salary")
        check.close(s["max_salary"], max(salaries), f"{where} max_salary")
        check.close(s["total_salary"], sum(salaries), f"{where} total_salary")
        check.close(s["total_bonus"], sum(float(r["bonus"]) for r in rows), f"{where} total_bonus")
        check.close(s["avg_age"], statistics.fmean(int(r["age"]) for r in rows), f"{where} avg_age")


def check_metrics(check, raw, cleaned, stats, metrics, as_of):
    missing = {c: sum(1 for r in raw if r[c] == "") for c in COLUMNS}
    check.expect(metrics.get("as_of") == as_of.isoformat(), f"quality_metrics: as_of {metrics.get('as_of')}")
    check.expect(metrics.get("rows") == {"input": len(raw), "cleaned": len(cleaned), "transformed": len(raw),
                                         "dropped": len(raw) - len(cleaned)},
                 f"quality_metrics: rows {metrics.get('rows')}")
    check.expect(metrics.get("missing_before") == missing,
                 f"quality_metrics: missing_before {metrics.get('missing_before')}, input has {missing}")
    check.expect(metrics.get("missing_after") == {c: 0 for c in COLUMNS},
                 f"quality_metrics: missing_after {metrics.get('missing_after')}")
    check.expect(metrics.get("missing_cells_before") == sum(missing.values()),
                 f"quality_metrics: missing_cells_before {metrics.get('missing_cells_before')}")
    check.expect(metrics.get("imputed") == {c: missing[c] for c in ("age", "salary", "department")},
                 f"quality_metrics: imputed {metrics.get('imputed')}")
    check.expect(metrics.get("departments") == len(stats), f"quality_metrics: departments {metrics.get('departments')}")
    check.expect(metrics.get("profile", {}).get("parsed") == len(raw), f"quality_metrics: profile {metrics.get('profile')}")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--raw", required=True, help="the CSV the job read")
    parser.add_argument("--outputs", required=True, help="folder holding the four downloaded outputs")
    parser.add_argument("--as-of", required=True, type=datetime.date.fromisoformat, help="the job's --as-of date")
    args = parser.parse_args(argv)

    paths = {name: os.path.join(args.outputs, rel) for name, rel in OUTPUT_FILES.items()}
    absent = [p for p in paths.values() if not os.path.isfile(p)]
    if absent:
        print("FAIL: outputs missing: " + ", ".join(absent), file=sys.stderr)
        return 1
    raw = read_csv(args.raw)
    cleaned, transformed = read_csv(paths["cleaned"]), read_csv(paths["transformed"])
    stats = read_csv(paths["department_stats"])
    with open(paths["quality_metrics"], encoding="utf-8") as f:
        metrics = json.load(f)

    check = Checker()
    for name, run in (("cleaned", lambda: check_cleaned(check, raw, cleaned)),
                      ("transformed", lambda: check_transformed(check, raw, cleaned, transformed, args.as_of)),
                      ("department_stats", lambda: check_department_stats(check, cleaned, stats)),
                      ("quality_metrics", lambda: check_metrics(check, raw, cleaned, stats, metrics, args.as_of))):
        before = len(check.errors)
        try:
            run()
        except (ValueError, KeyError, TypeError, IndexError, ZeroDivisionError) as error:
            # A value the checks cannot even read is a mismatch too, not a crash of the checker.
            check.expect(False, f"{name}: unreadable value ({type(error).__name__}: {error})")
        print(f"{'ok' if len(check.errors) == before else 'FAIL'}: {name}")
    for error in check.errors[:50]:
        print(f"  {error}", file=sys.stderr)
    if check.errors:
        print(f"FAIL: {len(check.errors)} mismatches", file=sys.stderr)
        return 1
    print(f"all four outputs correct: {len(raw)} rows, {len(stats)} departments, "
          f"{sum(metrics['missing_before'].values())} missing cells filled")
    return 0


if __name__ == "__main__":
    sys.exit(main())
