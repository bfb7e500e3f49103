aws s3 ls s3://mlops-data-preprocessing-pipeline-processed-data-bucket/output/

aws s3 cp s3://mlops-data-preprocessing-pipeline-processed-data-bucket/output/transformed_data.csv ./
