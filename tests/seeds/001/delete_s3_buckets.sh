aws s3 rb s3://mlops-data-preprocessing-pipeline-raw-data-bucket --force
aws s3 rb s3://mlops-data-preprocessing-pipeline-processed-data-bucket --force
aws s3 rb s3://mlops-data-preprocessing-pipeline-model-artifacts-bucket --force
aws s3 rb s3://mlops-data-preprocessing-pipeline-logs-bucket --force
