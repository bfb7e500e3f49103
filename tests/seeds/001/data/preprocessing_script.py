import pandas as pd
import json
import numpy as np
from datetime import datetime

# Load dataset
df = pd.read_csv('/opt/ml/processing/input/mock_data.csv')
print(f"âœ… Dataset loaded successfully!")
print(f"ðŸ“ Dataset shape: {df.shape}")

# 1. Handle Missing Values
age_median = df['age'].median()
salary_median = df['salary'].median()

df['age'] = df['age'].fillna(age_median)
df['salary'] = df['salary'].fillna(salary_median)
df['department'] = df['department'].fillna('Unknown')

# 2. Extract JSON Fields
df['profile'] = df['profile'].apply(
    lambda x: json.loads(x) if pd.notnull(x) else {}
)

df['address'] = df['profile'].apply(lambda x: x.get('address', None))
df['phone'] = df['profile'].apply(lambda x: x.get('phone', None))
df['email'] = df['profile'].apply(lambda x: x.get('email', None))

# 3. Drop original profile column
cleaned_df = df.drop(columns=['profile'])

# 4. Save cleaned data
cleaned_df.to_csv("/opt/ml/processing/output/cleaned_data.csv", index=False)
print("âœ… Cleaned data saved")

# 5. Feature Engineering
transform_df = pd.read_csv('/opt/ml/processing/output/cleaned_data.csv')

# Address length feature
transform_df['address_length'] = transform_df['address'].apply(
    lambda x: len(str(x))
)

# Salary categories
bins = [0, 50000, 70000, 100000]
labels = ['low', 'medium', 'high']
transform_df['salary_category'] = pd.cut(
    df['salary'], bins=bins, labels=labels, include_lowest=True
)

# Age groups
age_bins = [0, 25, 35, 45, 55, float('inf')]
age_labels = ['Young', 'Early Career', 'Mid Career', 'Senior', 'Experienced']
transform_df['age_group'] = pd.cut(
    df['age'], bins=age_bins, labels=age_labels, include_lowest=True
)

# 6. Save transformed data
transform_df.to_csv("/opt/ml/processing/output/transformed_data.csv", index=False)
print("âœ… Transformed data saved")

# 7. Generate department statistics
department_stats = df.groupby('department').agg({
    'salary': 'mean',
    'age': 'mean'
}).reset_index()

department_stats.columns = ['Department', 'Average Salary', 'Average Age']
department_stats.to_csv(
    "/opt/ml/processing/output/department_statistics.csv", index=False
)
print("âœ… Department statistics saved")
