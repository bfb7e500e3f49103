"""The SageMaker Python SDK's config file, for the SDK v2 (`sagemaker` 2.x) and the SDK v3 (`sagemaker`
3.x, whose `sagemaker.core` reads the same file): TelemetryOptOut stops the telemetry GETs to
amazonaws.com, and DefaultS3Bucket lets a plain `Session()` skip STS, whose regional endpoint the SDK
names itself (so AWS_ENDPOINT_URL does not apply). Standard library only: both test venvs import it.
"""
import contextlib
import os
import pathlib

SDK_CONFIG = """SchemaVersion: '1.0'
SageMaker:
  PythonSDK:
    Modules:
      TelemetryOptOut: true
      Session:
        DefaultS3Bucket: {bucket}
"""
# Where the SDKs look for the file: the SDK's admin and user locations, and sagemaker-core's own pair
# (its resources' intelligent defaults). All point at the test's file, so neither /etc/xdg nor
# ~/.config is read.
CONFIG_VARIABLES = ("SAGEMAKER_ADMIN_CONFIG_OVERRIDE", "SAGEMAKER_USER_CONFIG_OVERRIDE",
                    "SAGEMAKER_CORE_ADMIN_CONFIG_OVERRIDE", "SAGEMAKER_CORE_USER_CONFIG_OVERRIDE")


@contextlib.contextmanager
def environment(**values):
    """os.environ with `values` set; afterwards each key is back as it was (unset again if it was unset)."""
    saved = {key: os.environ.get(key) for key in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


@contextlib.contextmanager
def sdk_config(folder, default_bucket):
    """A config file in `folder` naming `default_bucket`, with telemetry off, in force for the block;
    yields its path. SAGEMAKER_SUPPRESS_V2_WARNING silences the SDK v2's notice about v3."""
    config = pathlib.Path(folder) / "config.yaml"
    config.write_text(SDK_CONFIG.format(bucket=default_bucket))
    with environment(SAGEMAKER_SUPPRESS_V2_WARNING="1", **{name: str(config) for name in CONFIG_VARIABLES}):
        yield config
