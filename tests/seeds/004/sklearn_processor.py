from sagemaker.sklearn.processing import SKLearnProcessor

sklearn_processor = SKLearnProcessor(
    framework_version="0.20.0",
    # fill: placeholder role: the seed's "[Your SageMaker-compatible IAM role]", a role ARN
    #| role="[Your SageMaker-compatible IAM role]",
    role="arn:aws:iam::000000000000:role/SageMakerRole",
    # end fill
    instance_type="ml.m5.xlarge",
    instance_count=1,
)
