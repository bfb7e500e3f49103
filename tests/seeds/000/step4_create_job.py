job = ProcessingJob.create(
    # fill: TODO: Create unique job name
    #| processing_job_name=# TODO: Create unique job name,
    processing_job_name=f"churn-preprocessing-{time.strftime('%Y%m%d-%H%M%S')}",
    # end fill
    # fill: TODO: Your execution role
    #| role_arn=# TODO: Your execution role,
    role_arn=role,
    # end fill
    # fill: TODO: Your boto session
    #| session=# TODO: Your boto session,
    session=boto_session,
    # end fill
    # fill: TODO: Your AWS region
    #| region=# TODO: Your AWS region,
    region=region,
    # end fill

    # Application specification
    app_specification=AppSpecification(
        # fill: TODO: Get XGBoost container image
        #| image_uri=# TODO: Get XGBoost container image,
        image_uri=f"683313688378.dkr.ecr.{region}.amazonaws.com/sagemaker-xgboost:1.7-1",
        # end fill
        container_entrypoint=[
            "python3",
            "/opt/ml/processing/input/code/preprocessing.py"
        ],
        container_arguments=["--train-test-split", "0.7"]
    ),

    # Compute resources
    processing_resources=ProcessingResources(
        cluster_config=ProcessingClusterConfig(
            # fill: TODO: Choose instance type
            #| instance_type=# TODO: Choose instance type,
            instance_type="ml.m5.xlarge",
            # end fill
            instance_count=1,
            volume_size_in_gb=30
        )
    ),

    # Input channels
    processing_inputs=[
        # TODO: Add input for code
        ProcessingInput(
            input_name="code",
            app_managed=False,
            s3_input=ProcessingS3Input(
                s3_uri=code_s3_uri,
                local_path="/opt/ml/processing/input/code",
                s3_data_type="S3Prefix",
                s3_input_mode="File"
            )
        ),
        # TODO: Add input for data
        ProcessingInput(
            input_name="data",
            app_managed=False,
            s3_input=ProcessingS3Input(
                s3_uri=data_s3_uri,
                local_path="/opt/ml/processing/input/data",
                s3_data_type="S3Prefix",
                s3_input_mode="File"
            )
        )
    ],

    # Output configuration
    processing_output_config=ProcessingOutputConfig(
        outputs=[
            # TODO: Add outputs for train/validation/test
            ProcessingOutput(
                output_name="train",
                app_managed=False,
                s3_output=ProcessingS3Output(
                    s3_uri=f"{output_s3_uri}/train",
                    local_path="/opt/ml/processing/output/train",
                    s3_upload_mode="EndOfJob"
                )
            ),
            # TODO: Add validation and test outputs
            # fill: TODO: Add validation and test outputs
            ProcessingOutput(
                output_name="validation",
                app_managed=False,
                s3_output=ProcessingS3Output(
                    s3_uri=f"{output_s3_uri}/validation",
                    local_path="/opt/ml/processing/output/validation",
                    s3_upload_mode="EndOfJob"
                )
            ),
            ProcessingOutput(
                output_name="test",
                app_managed=False,
                s3_output=ProcessingS3Output(
                    s3_uri=f"{output_s3_uri}/test",
                    local_path="/opt/ml/processing/output/test",
                    s3_upload_mode="EndOfJob"
                )
            ),
            # end fill
        ]
    ),

    # Environment and stopping condition
    environment={"PYTHONUNBUFFERED": "1"},
    stopping_condition=ProcessingStoppingCondition(
        max_runtime_in_seconds=3600
    )
)

print(f"Processing Job created: {job.processing_job_name}")
print(f"Status: {job.processing_job_status}")
