"""The SageMaker Python SDK's config file, read by the SDK v2 (`sagemaker` 2.x) and the SDK v3 (`sagemaker`
3.x, its `sagemaker.core`) alike: TelemetryOptOut stops their telemetry requests to amazonaws.com;
DefaultS3Bucket lets a plain `Session()` skip STS (whose regional endpoint the SDK names itself, so
AWS_ENDPOINT_URL does not apply). Kept apart from the plugin so that the repo's own client tests use the
same text without loading the plugin's hooks."""

SDK_CONFIG = """SchemaVersion: '1.0'
SageMaker:
  PythonSDK:
    Modules:
      TelemetryOptOut: true
      Session:
        DefaultS3Bucket: {bucket}
"""
# Where the SDKs look for it: the SDK's admin and user locations, and sagemaker-core's own pair (the
# intelligent defaults of its resources).
SDK_CONFIG_VARIABLES = ("SAGEMAKER_ADMIN_CONFIG_OVERRIDE", "SAGEMAKER_USER_CONFIG_OVERRIDE",
                        "SAGEMAKER_CORE_ADMIN_CONFIG_OVERRIDE", "SAGEMAKER_CORE_USER_CONFIG_OVERRIDE")
