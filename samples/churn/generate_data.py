#!/usr/bin/env python3
"""Write a synthetic customer-churn CSV shaped like the public data set of the AWS
"customer churn prediction with XGBoost" tutorials (same header, same kinds of values).

Standard library only, so it runs with a bare python3 before any virtual environment exists.

Guarantees, which tools/check_churn_outputs.py relies on:
- every Phone is unique;
- rows stay unique even after preprocessing drops Phone and the four Charge columns
  (so "no row in two splits" can be checked by comparing whole output rows).
"""

import argparse
import csv
import math
import random
import sys

HEADER = [
    "State", "Account Length", "Area Code", "Phone", "Int'l Plan", "VMail Plan",
    "VMail Message", "Day Mins", "Day Calls", "Day Charge", "Eve Mins", "Eve Calls",
    "Eve Charge", "Night Mins", "Night Calls", "Night Charge", "Intl Mins", "Intl Calls",
    "Intl Charge", "CustServ Calls", "Churn?",
]

# The real set has the 50 states plus DC.
STATES = [
    "AK", "AL", "AR", "AZ", "CA", "CO", "CT", "DC", "DE", "FL", "GA", "HI", "IA", "ID", "IL",
    "IN", "KS", "KY", "LA", "MA", "MD", "ME", "MI", "MN", "MO", "MS", "MT", "NC", "ND", "NE",
    "NH", "NJ", "NM", "NV", "NY", "OH", "OK", "OR", "PA", "RI", "SC", "SD", "TN", "TX", "UT",
    "VA", "VT", "WA", "WI", "WV", "WY",
]
AREA_CODES = ["408", "415", "510"]
AREA_CODE_WEIGHTS = [0.25, 0.50, 0.25]  # as in the real set

# Per-minute rates of the real set: Charge = Mins * rate, rounded to cents.
DAY_RATE, EVE_RATE, NIGHT_RATE, INTL_RATE = 0.17, 0.085, 0.045, 0.27

# Columns preprocessing keeps; uniqueness is enforced on these.
CHARGE_COLUMNS = {"Day Charge", "Eve Charge", "Night Charge", "Intl Charge"}
KEPT = [i for i, name in enumerate(HEADER) if name != "Phone" and name not in CHARGE_COLUMNS]


def clipped_normal(rng, mean, sd, low, high):
    return min(high, max(low, rng.gauss(mean, sd)))


def poisson(rng, lam):
    # Knuth's method; lam is small here.
    limit, k, p = math.exp(-lam), 0, 1.0
    while True:
        p *= rng.random()
        if p <= limit:
            return k
        k += 1


def churn_probability(intl_plan, vmail_plan, day_mins, eve_mins, custserv, intl_mins):
    """Logistic score with the relationships known from the real set: many service calls,
    heavy daytime use and an international plan raise churn; voice mail lowers it."""
    z = -3.3
    z += 2.2 if intl_plan else 0.0
    z += 2.6 if custserv >= 4 else 0.25 * custserv
    z += 0.045 * max(0.0, day_mins - 220.0)
    z += 0.008 * max(0.0, eve_mins - 230.0)
    z += 0.15 * max(0.0, intl_mins - 13.0)
    z -= 0.9 if vmail_plan else 0.0
    return 1.0 / (1.0 + math.exp(-z))


def make_row(rng, phone):
    intl_plan = rng.random() < 0.097
    vmail_plan = rng.random() < 0.277
    vmail_messages = int(clipped_normal(rng, 29.5, 7.5, 4, 51)) if vmail_plan else 0
    day_mins = round(clipped_normal(rng, 179.8, 54.5, 0.0, 350.8), 1)
    eve_mins = round(clipped_normal(rng, 201.0, 50.7, 0.0, 363.7), 1)
    night_mins = round(clipped_normal(rng, 200.9, 50.6, 23.2, 395.0), 1)
    intl_mins = round(clipped_normal(rng, 10.2, 2.8, 0.0, 20.0), 1)
    custserv = min(9, poisson(rng, 1.56))
    churn = rng.random() < churn_probability(
        intl_plan, vmail_plan, day_mins, eve_mins, custserv, intl_mins)
    return [
        rng.choice(STATES),
        str(int(clipped_normal(rng, 101, 40, 1, 243))),
        rng.choices(AREA_CODES, AREA_CODE_WEIGHTS)[0],
        phone,
        "yes" if intl_plan else "no",
        "yes" if vmail_plan else "no",
        str(vmail_messages),
        f"{day_mins:.1f}", str(int(clipped_normal(rng, 100, 20, 0, 165))),
        f"{day_mins * DAY_RATE:.2f}",
        f"{eve_mins:.1f}", str(int(clipped_normal(rng, 100, 20, 0, 170))),
        f"{eve_mins * EVE_RATE:.2f}",
        f"{night_mins:.1f}", str(int(clipped_normal(rng, 100, 20, 33, 175))),
        f"{night_mins * NIGHT_RATE:.2f}",
        f"{intl_mins:.1f}", str(min(20, poisson(rng, 4.5))),
        f"{intl_mins * INTL_RATE:.2f}",
        str(custserv),
        "True." if churn else "False.",
    ]


def generate(rows, seed):
    rng = random.Random(seed)
    phones, kept_rows, out = set(), set(), []
    while len(out) < rows:
        phone = f"{rng.randint(327, 422)}-{rng.randint(1000, 9999)}"  # prefixes as in the real set
        if phone in phones:
            continue
        row = make_row(rng, phone)
        key = tuple(row[i] for i in KEPT)
        if key in kept_rows:  # practically never; redrawing keeps the guarantee exact
            continue
        phones.add(phone)
        kept_rows.add(key)
        out.append(row)
    return out


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=5000, help="number of customers (default 5000)")
    parser.add_argument("--seed", type=int, default=1729, help="random seed (default 1729)")
    parser.add_argument("--out", default="churn.csv", help="output CSV path (default churn.csv)")
    args = parser.parse_args(argv)
    if args.rows < 1 or args.rows > 500_000:
        parser.error("--rows must be between 1 and 500000")

    rows = generate(args.rows, args.seed)
    with open(args.out, "w", newline="") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(HEADER)
        writer.writerows(rows)
    churned = sum(1 for r in rows if r[-1] == "True.")
    print(f"wrote {len(rows)} rows to {args.out} ({churned} churned, {100.0 * churned / len(rows):.1f}%)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
