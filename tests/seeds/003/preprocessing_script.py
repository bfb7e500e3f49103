"""preprocessing_script.py of seed 003 ("Simple Data Processing with Amazon SageMaker Processing Jobs").

The seed prints its script as four fragments (Step 3: Data Cleaning, JSON Field Extraction, Feature
Engineering, Quality Monitoring); they stand below byte for byte, in that order, and
tools/extract-seed-blocks.py checks that they do. What joins them is ours, written as the seed
describes its outputs (Step 5): reading the input, dropping the parsed profile column, and writing
the cleaned dataset, the transformed dataset, department statistics and the quality metrics.

  input   /opt/ml/processing/input/mock_data.csv  (ProcessingInput destination '/opt/ml/processing/input')
  outputs /opt/ml/processing/output/{cleaned_data.csv, transformed_data.csv, department_statistics.csv,
          quality_metrics.json}  (ProcessingOutput source '/opt/ml/processing/output')
"""
import json
import os
from datetime import datetime

import pandas as pd

INPUT_PATH = "/opt/ml/processing/input/mock_data.csv"
OUTPUT_DIR = "/opt/ml/processing/output"

df = pd.read_csv(INPUT_PATH)
print(f"Loaded {len(df)} rows, columns {list(df.columns)}")

# Handle missing values with statistical imputation
age_median = df['age'].median()
salary_median = df['salary'].median()
df['age'] = df['age'].fillna(age_median)
df['salary'] = df['salary'].fillna(salary_median)
df['department'] = df['department'].fillna('Unknown')

# Parse complex JSON structures
df['profile'] = df['profile'].apply(lambda x: json.loads(x) if pd.notnull(x) else {})
df['address'] = df['profile'].apply(lambda x: x.get('address', None))
df['phone'] = df['profile'].apply(lambda x: x.get('phone', None))
df['email'] = df['profile'].apply(lambda x: x.get('email', None))

# The parsed profile (a dict per row) has given its fields; a dict column cannot be hashed for
# duplicated() below nor written back as JSON, so it goes, as in seed 001's script.
df = df.drop(columns=['profile'])
df.to_csv(os.path.join(OUTPUT_DIR, 'cleaned_data.csv'), index=False)
print(f"Cleaned data: {len(df)} rows, missing age/salary/department: "
      f"{int(df[['age', 'salary', 'department']].isnull().sum().sum())}")

# Create meaningful features for ML
df['address_length'] = df['address'].apply(lambda x: len(str(x)))

# Categorical features
salary_bins = [0, 50000, 70000, 100000]
salary_labels = ['low', 'medium', 'high']
df['salary_category'] = pd.cut(df['salary'], bins=salary_bins, labels=salary_labels)

age_bins = [0, 25, 35, 45, 55, float('inf')]
age_labels = ['Young', 'Early Career', 'Mid Career', 'Senior', 'Experienced']
df['age_group'] = pd.cut(df['age'], bins=age_bins, labels=age_labels)

df.to_csv(os.path.join(OUTPUT_DIR, 'transformed_data.csv'), index=False)
print(f"Transformed data: {len(df)} rows, columns {list(df.columns)}")

department_statistics = df.groupby('department').agg(
    employee_count=('id', 'count'),
    average_salary=('salary', 'mean'),
    average_age=('age', 'mean'),
).reset_index()
department_statistics.to_csv(os.path.join(OUTPUT_DIR, 'department_statistics.csv'), index=False)
print(f"Department statistics: {len(department_statistics)} departments")

# Generate comprehensive quality metrics
quality_metrics = {
    'total_rows': len(df),
    'missing_values_count': df.isnull().sum().sum(),
    'duplicate_rows': df.duplicated().sum(),
    'unique_departments': df['department'].nunique(),
    'processing_timestamp': datetime.now().isoformat()
}

with open(os.path.join(OUTPUT_DIR, 'quality_metrics.json'), 'w') as f:
    # The counts are numpy integers, which json cannot write as they are.
    json.dump(quality_metrics, f, indent=2, default=int)
print(f"Quality metrics: {json.dumps(quality_metrics, default=int)}")
