aws s3 cp data/mock_data.csv \
  s3://mlops-data-preprocessing-pipeline-raw-data-bucket/input/
