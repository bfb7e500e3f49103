# Input data (raw churn data)
data_s3_uri = f"s3://sagemaker-example-files-prod-{region}/datasets/tabular/synthetic/churn.txt"

# Output location for processed data
# fill: TODO: Define your S3 output bucket/prefix
#| output_s3_uri = # TODO: Define your S3 output bucket/prefix
output_s3_uri = f"s3://{bucket}/{prefix}"
# end fill
