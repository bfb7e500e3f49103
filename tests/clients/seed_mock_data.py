"""The employee mock data of seeds 001 and 003, which the seeds use but do not print.

Seed 001 (Step 10) shows its data's columns, `id,name,age,salary,hire_date,profile,department,bonus`,
with a row whose profile is `{"address": "Street 40"}` and whose age and salary are empty; its script
reads address, phone and email from the profile. Seed 003 builds its frame from a dict whose profile
column is `[complex_json_structure() for _ in range(20000)]` without printing that function.
Standard library only (seed 003's dict needs numpy, which it imports itself).
"""
import csv
import datetime
import json
import random

COLUMNS = ["id", "name", "age", "salary", "hire_date", "profile", "department", "bonus"]
DEPARTMENTS = ["HR", "IT", "Finance", "Marketing"]


def complex_json_structure():
    """One profile as a JSON string: address, phone and email, each left out now and then (seed 001's
    example has an address alone). Draws from the `random` module, so seed it for the same data."""
    profile = {}
    if random.random() < 0.95:
        profile["address"] = f"Street {random.randint(1, 100)}, City {random.randint(1, 50)}"
    if random.random() < 0.9:
        profile["phone"] = f"555-{random.randint(0, 9999):04d}"
    if random.random() < 0.9:
        profile["email"] = f"email_{random.randint(1, 1000)}@example.com"
    return json.dumps(profile)


def maybe(value, missing):
    """The value as CSV text, or an empty field with probability `missing`."""
    return "" if random.random() < missing else str(value)


def write_mock_data(path, rows, seed):
    """Seed 001's data/mock_data.csv: `rows` employees in Step 10's columns, with gaps in every column
    but id and name (age 5%, salary 10%, hire_date 5%, profile 5%, department 8%, bonus 10%)."""
    random.seed(seed)
    start = datetime.date(2015, 1, 1)
    with open(path, "w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(COLUMNS)
        for number in range(1, rows + 1):
            hired = start + datetime.timedelta(days=random.randint(0, 3650))
            writer.writerow([
                number,
                f"Name_{random.randint(1, 999)}",
                maybe(random.randint(18, 79), 0.05),
                maybe(random.randrange(30000, 100000, 500), 0.10),
                maybe(hired.isoformat(), 0.05),
                maybe(complex_json_structure(), 0.05),
                maybe(random.choice(DEPARTMENTS), 0.08),
                maybe(f"{random.randint(1000, 10000)}.0", 0.10),
            ])
    return path


def read_csv(path):
    """A CSV's header and its rows as dicts of strings (an empty field is "")."""
    with open(path, newline="", encoding="utf-8") as f:
        reader = csv.DictReader(f)
        return reader.fieldnames, list(reader)
