from sagemaker.processing import ScriptProcessor, ProcessingInput

spark_processor = ScriptProcessor(
    base_job_name="spark-preprocessor",
    # fill: placeholder image: the seed's "<ECR repository URI to your Spark processing image>", an ECR URI the image table maps
    #| image_uri="<ECR repository URI to your Spark processing image>",
    image_uri="000000000000.dkr.ecr.us-east-1.amazonaws.com/sagemaker-spark-example:latest",
    # end fill
    command=["/opt/program/submit"],
    role=role,
    instance_count=2,
    instance_type="ml.r5.xlarge",
    max_runtime_in_seconds=1200,
    env={"mode": "python"},
)

spark_processor.run(
    code="preprocess.py",
    arguments=[
        "s3_input_bucket",
        bucket,
        "s3_input_key_prefix",
        input_prefix,
        "s3_output_bucket",
        bucket,
        "s3_output_key_prefix",
        input_preprocessed_prefix,
    ],
    logs=False,
)
