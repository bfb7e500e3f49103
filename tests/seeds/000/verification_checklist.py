# Download and verify one of your outputs
import boto3
import pandas as pd

s3 = boto3.client('s3')
s3.download_file(bucket, f'{prefix}/train/train.csv', 'local_train.csv')

# Verify format
df = pd.read_csv('local_train.csv', header=None)
print(f"Shape: {df.shape}")
print(f"First 5 rows:\n{df.head()}")
print(f"Target column values: {df.iloc[:, 0].unique()}")  # Should be 0/1
print(f"Any NaN values: {df.isna().sum().sum()}")  # Should be 0
