aws s3 cp data/preprocessing_script.py \
  s3://mlops-data-preprocessing-pipeline-model-artifacts-bucket/scripts/
