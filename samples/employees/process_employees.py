"""SageMaker Processing script: clean, parse, enrich and summarise an employees export.

Written for the container paths of seed 001's job-config.json (the tutorial this sample grew from):
  input   /opt/ml/processing/input/mock_data.csv   (id,name,age,salary,hire_date,profile,department,bonus);
          this script itself at /opt/ml/processing/input/code, inside the data input's folder
  outputs /opt/ml/processing/output/cleaned/employees_cleaned.csv
          /opt/ml/processing/output/transformed/employees_transformed.csv
          /opt/ml/processing/output/department_stats/department_stats.csv
          /opt/ml/processing/output/quality_metrics/quality_metrics.json
One ProcessingOutput, /opt/ml/processing/output, uploads all four.

Steps: cleaning (missing department -> "Unknown", missing salary -> its department's median salary,
missing age -> the median age), JSON extraction from `profile` (city, state, zip, phone, email,
email domain), feature engineering (tenure from hire_date, salary band, age group, total
compensation, bonus percentage), statistics per department, and data-quality metrics.
Plain Python and pandas only.
"""

import argparse
import datetime
import json
import os
import sys

import pandas as pd

BASE_DIR = "/opt/ml/processing"
INPUT_PATH = os.path.join(BASE_DIR, "input", "mock_data.csv")
OUTPUT_DIR = os.path.join(BASE_DIR, "output")
MESSAGE_PATH = "/opt/ml/output/message"  # becomes the job's ExitMessage

COLUMNS = ["id", "name", "age", "salary", "hire_date", "profile", "department", "bonus"]
UNKNOWN_DEPARTMENT = "Unknown"

# Lower edges, inclusive; a value belongs to the last band whose edge it reaches.
SALARY_BANDS = [(0, "under-50k"), (50_000, "50k-80k"), (80_000, "80k-120k"), (120_000, "120k-plus")]
AGE_GROUPS = [(0, "under-30"), (30, "30-39"), (40, "40-49"), (50, "50-59"), (60, "60-plus")]
DAYS_PER_YEAR = 365.25


def parse_args():
    parser = argparse.ArgumentParser()
    parser.add_argument("--as-of", default=datetime.date.today().isoformat(),
                        help="reference date for tenure, YYYY-MM-DD (default: today)")
    args = parser.parse_args()
    try:
        args.as_of = datetime.date.fromisoformat(args.as_of)
    except ValueError:
        fail(f"--as-of must be a date YYYY-MM-DD, not {args.as_of!r}")
    return args


def fail(message):
    """Report the reason the way SageMaker surfaces it (ExitMessage), then exit non-zero."""
    print(f"ERROR: {message}", file=sys.stderr)
    try:
        os.makedirs(os.path.dirname(MESSAGE_PATH), exist_ok=True)
        with open(MESSAGE_PATH, "w", encoding="utf-8") as f:
            f.write(message)
    except OSError:
        pass
    sys.exit(1)


def read_input():
    """The input CSV, as strings (so nothing is guessed before cleaning)."""
    if not os.path.isfile(INPUT_PATH):
        fail(f"no input file {INPUT_PATH}")
    frame = pd.read_csv(INPUT_PATH, dtype=str, keep_default_na=False, na_values=[""])
    print(f"Read {len(frame)} rows from {INPUT_PATH}")
    missing = [c for c in COLUMNS if c not in frame.columns]
    if missing:
        fail(f"{os.path.basename(INPUT_PATH)} is missing columns: {', '.join(missing)}")
    return frame[COLUMNS], [os.path.basename(INPUT_PATH)]


def typed(raw):
    """Numbers and dates from the raw strings; unparseable values count as missing."""
    data = raw.copy()
    for column in ("id", "age", "salary", "bonus"):
        data[column] = pd.to_numeric(data[column], errors="coerce")
    data["hire_date"] = pd.to_datetime(data["hire_date"], format="%Y-%m-%d", errors="coerce")
    return data


def clean(data):
    """Drop rows that cannot be used, fill the rest. Returns the frame and what was done."""
    unusable = data["id"].isna() | data["hire_date"].isna() | data["bonus"].isna()
    duplicate = data["id"].duplicated(keep="first") & ~unusable
    data = data[~unusable & ~duplicate].copy()

    filled_department = data["department"].isna()
    data.loc[filled_department, "department"] = UNKNOWN_DEPARTMENT

    # A salary is best guessed from the same department; the overall median covers a department
    # whose salaries are all missing.
    filled_salary = data["salary"].isna()
    department_median = data.groupby("department")["salary"].transform("median")
    overall_median_salary = data["salary"].median()
    data["salary"] = data["salary"].fillna(department_median).fillna(overall_median_salary).round(2)

    filled_age = data["age"].isna()
    median_age = int(round(data["age"].median()))
    data["age"] = data["age"].fillna(median_age)

    data["id"] = data["id"].astype("int64")
    data["age"] = data["age"].round().astype("int64")
    report = {
        "dropped_unusable_rows": int(unusable.sum()),
        "dropped_duplicate_ids": int(duplicate.sum()),
        "imputed": {"age": int(filled_age.sum()), "salary": int(filled_salary.sum()),
                    "department": int(filled_department.sum())},
        "imputation_rules": {
            "age": f"median age ({median_age})",
            "salary": "median salary of the employee's department",
            "department": f"'{UNKNOWN_DEPARTMENT}'",
        },
    }
    return data.reset_index(drop=True), report


def parse_profile(text):
    """The profile JSON's fields, or None when it is not a JSON object."""
    try:
        profile = json.loads(text)
    except (TypeError, ValueError):
        return None
    if not isinstance(profile, dict):
        return None
    address = profile.get("address") if isinstance(profile.get("address"), dict) else {}
    email = str(profile.get("email") or "")
    phone = str(profile.get("phone") or "")
    return {
        "city": address.get("city") or "",
        "state": address.get("state") or "",
        "zip": str(address.get("zip") or ""),
        "phone": phone,
        "phone_digits": "".join(ch for ch in phone if ch.isdigit()),
        "email": email,
        "email_domain": email.rsplit("@", 1)[1].lower() if "@" in email else "",
    }


def extract_profiles(cleaned):
    """One column per profile field; a profile that is not JSON gives empty fields."""
    parsed = [parse_profile(text) for text in cleaned["profile"]]
    invalid = sum(1 for p in parsed if p is None)
    empty = parse_profile("{}")
    fields = pd.DataFrame([p if p is not None else empty for p in parsed], index=cleaned.index)
    return fields, {"parsed": len(parsed) - invalid, "invalid_json": invalid,
                    "without_email": int((fields["email"] == "").sum()),
                    "without_city": int((fields["city"] == "").sum())}


def band(values, edges):
    """Label each value with the last band whose lower edge it reaches."""
    bounds = [edge for edge, _ in edges] + [float("inf")]
    labels = [label for _, label in edges]
    return pd.cut(values, bins=bounds, labels=labels, right=False).astype(str)


def transform(cleaned, as_of):
    """Features for analysis: profile fields, tenure, bands, compensation."""
    profile, profile_report = extract_profiles(cleaned)
    out = cleaned[["id", "name", "department", "age", "salary", "bonus"]].copy()
    out["age_group"] = band(out["age"], AGE_GROUPS)
    out["salary_band"] = band(out["salary"], SALARY_BANDS)
    out["total_compensation"] = (out["salary"] + out["bonus"]).round(2)
    out["bonus_pct"] = (100.0 * out["bonus"] / out["salary"]).round(2)
    out["hire_date"] = cleaned["hire_date"].dt.strftime("%Y-%m-%d")
    out["hire_year"] = cleaned["hire_date"].dt.year.astype("int64")
    days = (pd.Timestamp(as_of) - cleaned["hire_date"]).dt.days
    out["tenure_years"] = (days / DAYS_PER_YEAR).round(2)
    out = pd.concat([out, profile], axis=1)
    return out, profile_report


def department_stats(transformed):
    """Headcount, pay, age and tenure per department (Unknown included), by department name."""
    grouped = transformed.groupby("department")
    stats = pd.DataFrame({
        "employee_count": grouped["id"].count(),
        "avg_salary": grouped["salary"].mean(),
        "median_salary": grouped["salary"].median(),
        "min_salary": grouped["salary"].min(),
        "max_salary": grouped["salary"].max(),
        "total_salary": grouped["salary"].sum(),
        "total_bonus": grouped["bonus"].sum(),
        "avg_age": grouped["age"].mean(),
        "avg_tenure_years": grouped["tenure_years"].mean(),
    }).round(2)
    stats["headcount_pct"] = (100.0 * stats["employee_count"] / len(transformed)).round(2)
    return stats.reset_index().sort_values("department").reset_index(drop=True)


def missing_counts(frame):
    return {column: int(frame[column].isna().sum()) for column in COLUMNS}


def write_csv(frame, output, filename):
    folder = os.path.join(OUTPUT_DIR, output)
    os.makedirs(folder, exist_ok=True)
    path = os.path.join(folder, filename)
    frame.to_csv(path, index=False, float_format="%.2f")  # money and years to the cent
    print(f"Wrote {len(frame)} rows to {path}")
    return path


def write_json(document, output, filename):
    folder = os.path.join(OUTPUT_DIR, output)
    os.makedirs(folder, exist_ok=True)
    path = os.path.join(folder, filename)
    with open(path, "w", encoding="utf-8") as f:
        json.dump(document, f, indent=2, sort_keys=True)
        f.write("\n")
    print(f"Wrote {path}")
    return path


def cleaned_for_output(cleaned):
    """The input's columns and order, cleaned; dates back in their input format."""
    out = cleaned[COLUMNS].copy()
    out["hire_date"] = out["hire_date"].dt.strftime("%Y-%m-%d")
    return out


def main():
    args = parse_args()
    print(f"Reading input data from {INPUT_PATH}")
    raw, files = read_input()
    print(f"Input: {len(raw)} rows from {len(files)} file(s)")
    missing_before = missing_counts(raw)

    cleaned, cleaning_report = clean(typed(raw))
    cleaned_out = cleaned_for_output(cleaned)
    missing_after = missing_counts(cleaned_out)
    if any(missing_after.values()):
        fail(f"values still missing after cleaning: {missing_after}")
    print(f"Cleaned: {len(cleaned)} rows; imputed {cleaning_report['imputed']}")

    transformed, profile_report = transform(cleaned, args.as_of)
    stats = department_stats(transformed)
    print(f"Departments: {', '.join(stats['department'])}")

    write_csv(cleaned_out, "cleaned", "employees_cleaned.csv")
    write_csv(transformed, "transformed", "employees_transformed.csv")
    write_csv(stats, "department_stats", "department_stats.csv")
    metrics = {
        "as_of": args.as_of.isoformat(),
        "input_files": files,
        "rows": {"input": len(raw), "cleaned": len(cleaned_out), "transformed": len(transformed),
                 "dropped": len(raw) - len(cleaned_out)},
        "missing_before": missing_before,
        "missing_after": missing_after,
        "missing_cells_before": sum(missing_before.values()),
        "missing_cells_after": sum(missing_after.values()),
        "profile": profile_report,
        "departments": len(stats),
        "outputs": {"cleaned": len(cleaned_out), "transformed": len(transformed),
                    "department_stats": len(stats)},
        **cleaning_report,
    }
    write_json(metrics, "quality_metrics", "quality_metrics.json")
    print("Processing complete")


if __name__ == "__main__":
    main()
