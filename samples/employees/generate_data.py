#!/usr/bin/env python3
"""Write a mock employees CSV for the employees processing sample.

Columns: id, name, age, salary, hire_date, profile, department, bonus. `profile` is a JSON string
(address with street, city, state and zip; phone; email). age, salary and department are left
empty in a few percent of the rows, so the processing job has something to clean.

Standard library only, so it runs with a bare python3 before any virtual environment exists.
The same --seed and --rows always give the same file.
"""

import argparse
import csv
import datetime
import json
import random
import sys

HEADER = ["id", "name", "age", "salary", "hire_date", "profile", "department", "bonus"]

FIRST_NAMES = [
    "Ada", "Alan", "Amara", "Ben", "Carmen", "Chen", "Dara", "Diego", "Elena", "Farid", "Grace",
    "Hana", "Ivan", "Jamal", "Keiko", "Lars", "Leila", "Marta", "Nikhil", "Olu", "Priya", "Quinn",
    "Rosa", "Sven", "Tariq", "Uma", "Victor", "Wen", "Yara", "Zoe",
]
LAST_NAMES = [
    "Adeyemi", "Berg", "Castro", "Dubois", "Eriksen", "Fischer", "Garcia", "Hughes", "Ito", "Jensen",
    "Kowalski", "Lopez", "Mensah", "Novak", "Okafor", "Patel", "Rossi", "Silva", "Tanaka", "Walsh",
]
# Department -> (median salary, salary spread, usual bonus fraction of salary).
DEPARTMENTS = {
    "Engineering": (118_000, 28_000, 0.12),
    "Sales": (82_000, 22_000, 0.18),
    "Marketing": (76_000, 18_000, 0.08),
    "Finance": (95_000, 20_000, 0.10),
    "HR": (64_000, 12_000, 0.05),
    "Operations": (58_000, 14_000, 0.06),
}
# City -> state; the processing job extracts both from the profile JSON.
CITIES = {
    "Seattle": "WA", "Austin": "TX", "Denver": "CO", "Boston": "MA", "Chicago": "IL",
    "Atlanta": "GA", "Portland": "OR", "New York": "NY",
}
STREETS = ["Main St", "Oak Ave", "Pine Rd", "Maple Dr", "Cedar Ln", "Lake Blvd", "Hill St"]
EMAIL_DOMAINS = ["example.com", "corp.example.com", "mail.example.org", "example.net"]

FIRST_HIRE = datetime.date(2005, 1, 1)
LAST_HIRE = datetime.date(2024, 12, 31)

# Fraction of rows with each column left empty.
MISSING_RATES = {"age": 0.08, "salary": 0.06, "department": 0.05}


def profile_json(rng, first, last, number):
    """The profile column: a JSON object as a string, as an HR export would carry it."""
    city = rng.choice(list(CITIES))
    profile = {
        "address": {
            "street": f"{rng.randint(1, 9999)} {rng.choice(STREETS)}",
            "city": city,
            "state": CITIES[city],
            "zip": f"{rng.randint(10000, 99999)}",
        },
        "phone": f"+1-{rng.randint(200, 989)}-555-{number % 10000:04d}",
        "email": f"{first.lower()}.{last.lower()}{number}@{rng.choice(EMAIL_DOMAINS)}",
    }
    return json.dumps(profile, separators=(",", ":"))


def make_row(rng, number):
    """One employee; `number` is the id, so ids are 1..rows and unique."""
    first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
    department = rng.choice(list(DEPARTMENTS))
    median, spread, bonus_rate = DEPARTMENTS[department]
    salary = round(max(32_000.0, rng.gauss(median, spread)), 2)
    bonus = round(salary * max(0.0, rng.gauss(bonus_rate, bonus_rate / 3)), 2)
    age = rng.randint(21, 66)
    hire_date = FIRST_HIRE + datetime.timedelta(days=rng.randint(0, (LAST_HIRE - FIRST_HIRE).days))
    row = {
        "id": str(number),
        "name": f"{first} {last}",
        "age": str(age),
        "salary": f"{salary:.2f}",
        "hire_date": hire_date.isoformat(),
        "profile": profile_json(rng, first, last, number),
        "department": department,
        "bonus": f"{bonus:.2f}",
    }
    for column, rate in MISSING_RATES.items():
        if rng.random() < rate:
            row[column] = ""
    return [row[column] for column in HEADER]


def generate(rows, seed):
    rng = random.Random(seed)
    return [make_row(rng, number) for number in range(1, rows + 1)]


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1000, help="number of employees (default 1000)")
    parser.add_argument("--seed", type=int, default=42, help="random seed (default 42)")
    parser.add_argument("--out", default="mock_data.csv", help="output CSV path (default mock_data.csv)")
    args = parser.parse_args(argv)
    if args.rows < 1 or args.rows > 1_000_000:
        parser.error("--rows must be between 1 and 1000000")

    rows = generate(args.rows, args.seed)
    with open(args.out, "w", newline="") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(HEADER)
        writer.writerows(rows)
    missing = {c: sum(1 for r in rows if r[HEADER.index(c)] == "") for c in MISSING_RATES}
    summary = ", ".join(f"{n} without {c}" for c, n in missing.items())
    print(f"wrote {len(rows)} rows to {args.out} ({summary})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
