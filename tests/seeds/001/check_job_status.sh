aws sagemaker list-processing-jobs --max-results 10
