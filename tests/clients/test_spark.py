"""Spark processing jobs (issue 16): seed 004's Spark ScriptProcessor verbatim and the SDK v2's
PySparkProcessor, on the Spark runtime of `make spark-runtime` (runtimes/spark), against `sagebox serve`.

Each Spark job costs 30-40 s on 2 cores, so `make test` runs two of them (both with 2 instances: a
standalone cluster of algo-1 and algo-2) plus the checks that start no cluster. The rest run with
SAGEBOX_SPARK_TESTS=all (1 instance, a plain local run to compare with, a missing s3:// key).
"""
import json
import os
import pathlib
import shutil
import subprocess
import sys

import pytest

from conftest import REPO, sagebox_binary, sagemaker_sdk, unique, wait_until
from seed_blocks import COPIES, run_notebook

SAMPLE = REPO / "samples" / "spark"
SPARK_VENV = pathlib.Path(os.environ.get("SAGEBOX_SPARK_ENV") or REPO / ".venv-spark")
ROLE = "arn:aws:iam::000000000000:role/SageMakerRole"
# The SDK's own URI for PySparkProcessor(framework_version="3.5") in us-east-1 is a sagemaker-spark-processing
# image; the seed's own image is any URI the sample's image-table entry maps.
SEED_IMAGE = "000000000000.dkr.ecr.us-east-1.amazonaws.com/sagemaker-spark-example:latest"
ROWS = 4177
CONFIG_BUCKET = unique("spark-sdk")
all_spark = pytest.mark.skipif(os.environ.get("SAGEBOX_SPARK_TESTS") != "all",
                               reason="a further Spark job (30-40 s): set SAGEBOX_SPARK_TESTS=all")


@pytest.fixture(scope="module")
def sdk(server, tmp_path_factory):
    assert (SPARK_VENV / "bin" / "spark-submit").exists(), "no Spark runtime: run `make spark-runtime`"
    subprocess.run([sys.executable, SAMPLE / "add-image-entry.py", server.root, SEED_IMAGE, "--sagebox", sagebox_binary()],
                   check=True)
    with sagemaker_sdk(tmp_path_factory.mktemp("sagemaker-config"), CONFIG_BUCKET) as sagemaker:
        import sagemaker.spark.processing  # noqa: F401
        yield sagemaker


@pytest.fixture(scope="module")
def abalone(s3, tmp_path_factory):
    """The sample's data in a bucket of its own: (bucket, input prefix)."""
    bucket = unique("spark")
    s3.create_bucket(Bucket=bucket)
    data = tmp_path_factory.mktemp("abalone") / "abalone.csv"
    subprocess.run([sys.executable, SAMPLE / "generate_data.py", "--rows", str(ROWS), "--out", data], check=True)
    s3.upload_file(str(data), bucket, "abalone/input/abalone.csv")
    return bucket, "abalone/input"


def read_lines(s3, bucket, prefix):
    """Every line of the part files under prefix (saveAsTextFile's output), and whether _SUCCESS is there."""
    keys = [o["Key"] for page in s3.get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix=prefix + "/")
            for o in page.get("Contents", [])]
    lines = []
    for key in keys:
        if key.rsplit("/", 1)[-1].startswith("part-"):
            lines += s3.get_object(Bucket=bucket, Key=key)["Body"].read().decode().splitlines()
    return lines, f"{prefix}/_SUCCESS" in keys


def check_split(s3, bucket, prefix):
    """train/ and validation/ hold every row once between them, label first then 10 features (3 for sex)."""
    train, train_done = read_lines(s3, bucket, f"{prefix}/train")
    validation, validation_done = read_lines(s3, bucket, f"{prefix}/validation")
    assert train_done and validation_done
    assert len(train) + len(validation) == ROWS
    assert 0.7 * ROWS < len(train) < 0.9 * ROWS
    for line in train[:5] + validation[:5]:
        assert len(line.split(",")) == 1 + 9, line
    return sorted(train), sorted(validation)


def pyspark_run(sdk, bucket, prefix, instances, arguments=None, app="preprocess.py", **run_options):
    """PySparkProcessor(framework_version="3.5").run(wait=False), then its job described every second (the
    SDK's own wait polls every 10 s, after 10 s); returns the final description and the output prefix."""
    processor = sdk.spark.processing.PySparkProcessor(
        base_job_name="spark-abalone", framework_version="3.5", role=ROLE, instance_count=instances,
        instance_type="ml.r5.xlarge", max_runtime_in_seconds=1200)
    output = f"{prefix}-{instances}-{unique('out')}"
    arguments = arguments if arguments is not None else [
        "s3_input_bucket", bucket, "s3_input_key_prefix", prefix, "s3_output_bucket", bucket, "s3_output_key_prefix", output]
    processor.run(submit_app=app if "/" in app else str(SAMPLE / app), arguments=arguments, wait=False, logs=False,
                  **run_options)
    description = wait_until(lambda: (d := processor.jobs[-1].describe())["ProcessingJobStatus"]
                             in ("Completed", "Failed", "Stopped") and d, timeout=600)
    return description, output


def job_log(logs, name):
    streams = logs.describe_log_streams(logGroupName="/aws/sagemaker/ProcessingJobs", logStreamNamePrefix=name)["logStreams"]
    text = {}
    for stream in streams:
        events = logs.get_log_events(logGroupName="/aws/sagemaker/ProcessingJobs", logStreamName=stream["logStreamName"],
                                     startFromHead=True)["events"]
        host = stream["logStreamName"].split("/", 1)[1].rsplit("-", 1)[0]  # {job}/algo-N-{epoch}
        text[host] = "\n".join(e["message"] for e in events)
    return text


def executor_hosts(s3, bucket, prefix):
    """The hosts of the executors the event logs under prefix name (SparkListenerExecutorAdded)."""
    hosts = set()
    logs = [o["Key"] for o in s3.list_objects_v2(Bucket=bucket, Prefix=prefix).get("Contents", [])]
    assert logs, f"no event log under s3://{bucket}/{prefix}"
    assert not any(k.endswith(".inprogress") for k in logs), logs
    for key in logs:
        for line in s3.get_object(Bucket=bucket, Key=key)["Body"].read().decode().splitlines():
            event = json.loads(line)
            if event.get("Event") == "SparkListenerExecutorAdded":
                hosts.add(event["Executor Info"]["Host"])
    return hosts


def test_pyspark_processor_two_instances_runs_executors_on_both(sdk, s3, logs, abalone):
    """PySparkProcessor unchanged, 2 × ml.r5.xlarge: a standalone cluster of the job's instances. Completed,
    the split in the fake S3, the event log uploaded through the Continuous output without .inprogress,
    naming executors on algo-1 and algo-2."""
    bucket, prefix = abalone
    events = f"s3://{bucket}/spark-events/{unique('two')}"
    description, output = pyspark_run(sdk, bucket, prefix, 2, spark_event_logs_s3_uri=events)
    assert description["ProcessingJobStatus"] == "Completed", (description, job_log(logs, description["ProcessingJobName"]))
    assert description["AppSpecification"]["ContainerEntrypoint"][0] == "smspark-submit"
    check_split(s3, bucket, output)
    assert executor_hosts(s3, bucket, events.split("/", 3)[3]) == {"algo-1", "algo-2"}
    text = job_log(logs, description["ProcessingJobName"])
    assert "all 2 Workers registered: algo-1, algo-2" in text["algo-1"]


def seed_namespace(tmp_path, bucket, input_prefix, output_prefix):
    shutil.copy(SAMPLE / "preprocess.py", tmp_path / "preprocess.py")
    namespace, printed, _ = run_notebook(tmp_path, [
        f"role = {ROLE!r}\nbucket = {bucket!r}\ninput_prefix = {input_prefix!r}\n"
        f"input_preprocessed_prefix = {output_prefix!r}\n",
        COPIES / "004" / "spark_processor.py",
        "description = spark_processor.jobs[-1].describe()\n"])
    return namespace["description"]


def test_seed_004_spark_script_processor_verbatim(sdk, s3, logs, abalone, tmp_path):
    """Seed 004's Spark cell verbatim (its image URI filled, mapped by samples/spark/add-image-entry.py):
    /opt/program/submit with mode=python on 2 instances; Completed, the split in the fake S3."""
    bucket, prefix = abalone
    output = f"abalone/seed-{unique('out')}"
    description = seed_namespace(tmp_path, bucket, prefix, output)
    assert description["ProcessingJobStatus"] == "Completed", (description, job_log(logs, description["ProcessingJobName"]))
    assert description["AppSpecification"]["ContainerEntrypoint"][0] == "/opt/program/submit"
    check_split(s3, bucket, output)


def test_raising_script_fails_with_smspark_exit_message(sdk, s3, abalone, tmp_path):
    """A script that raises: Failed, with smspark's ExitMessage (spark-submit's exit code in it)."""
    bucket, prefix = abalone
    script = tmp_path / "raises.py"
    script.write_text("raise ValueError('the abalone are missing')\n")
    description, _ = pyspark_run(sdk, bucket, prefix, 1, arguments=["--unused"], app=str(script))
    assert description["ProcessingJobStatus"] == "Failed"
    assert description["FailureReason"].startswith("AlgorithmError: ")
    assert description["ExitMessage"].startswith(
        "Algorithm Error: spark failed with a non-zero exit code (caused by CalledProcessError)\n\n"
        "Caused by: Command 'spark-submit --master local[2] --deploy-mode client "), description["ExitMessage"]
    assert description["ExitMessage"].endswith("returned non-zero exit status 1."), description["ExitMessage"]


def test_packages_is_refused_offline(sdk, s3, abalone):
    """spark.jars.packages in the configuration: no Maven offline, said in the ExitMessage before Spark starts."""
    bucket, prefix = abalone
    description, _ = pyspark_run(sdk, bucket, prefix, 1, configuration=[
        {"Classification": "spark-defaults", "Properties": {"spark.jars.packages": "org.apache.spark:spark-avro_2.12:3.5.1"}}])
    assert description["ProcessingJobStatus"] == "Failed"
    assert description["ExitMessage"].startswith(
        "Customer Error: spark.jars.packages cannot be resolved offline: sagebox has no Maven repository"), description


@pytest.fixture(scope="module")
def plain_local_split(s3, abalone):
    """The split the sample's plain local spark-submit on the host writes (once per module)."""
    bucket, prefix = abalone
    local = f"{prefix}-local-{unique('out')}"
    plain_local_run(bucket, prefix, local)
    return check_split(s3, bucket, local)


@all_spark
@pytest.mark.parametrize("instances", [1, 2])
def test_pyspark_processor_matches_plain_local_run(sdk, s3, abalone, plain_local_split, instances):
    """1 instance (local mode on algo-1) and 2 (a standalone cluster): the same split, line for line, as the
    script's plain local spark-submit on the host."""
    bucket, prefix = abalone
    description, output = pyspark_run(sdk, bucket, prefix, instances)
    assert description["ProcessingJobStatus"] == "Completed", description
    assert check_split(s3, bucket, output) == plain_local_split


def plain_local_run(bucket, prefix, output):
    """The sample through pyspark's own spark-submit on the host, local[2], S3A at the server."""
    jars = ":".join(str(next(SPARK_VENV.glob(f"lib/python*/site-packages/sagemaker_pyspark/jars/{name}")))
                    for name in ("hadoop-aws-3.3.1.jar", "aws-java-sdk-bundle-1.11.901.jar"))
    endpoint = os.environ["AWS_ENDPOINT_URL"]
    conf = {"spark.driver.extraClassPath": jars, "spark.hadoop.fs.s3.impl": "org.apache.hadoop.fs.s3a.S3AFileSystem",
            "spark.hadoop.fs.s3a.endpoint": endpoint, "spark.hadoop.fs.s3a.path.style.access": "true",
            "spark.hadoop.fs.s3a.connection.ssl.enabled": "false",
            "spark.hadoop.fs.s3a.aws.credentials.provider": "org.apache.hadoop.fs.s3a.SimpleAWSCredentialsProvider",
            "spark.hadoop.fs.s3a.access.key": "test", "spark.hadoop.fs.s3a.secret.key": "test",
            "spark.ui.enabled": "false"}
    command = [str(SPARK_VENV / "bin" / "spark-submit"), "--master", "local[2]"]
    for key, value in conf.items():
        command += ["--conf", f"{key}={value}"]
    command += [str(SAMPLE / "preprocess.py"), "s3_input_bucket", bucket, "s3_input_key_prefix", prefix,
                "s3_output_bucket", bucket, "s3_output_key_prefix", output]
    subprocess.run(command, check=True, env={**os.environ, "SPARK_LOCAL_IP": "127.0.0.1",
                                             "PYSPARK_PYTHON": str(SPARK_VENV / "bin" / "python")})


@all_spark
def test_missing_s3_key_fails_with_sparks_error_and_the_server_lives(sdk, s3, logs, abalone, sagemaker):
    """An input key that does not exist: Failed, Spark's own error (PATH_NOT_FOUND) in the log; the server answers."""
    bucket, _ = abalone
    description, _ = pyspark_run(sdk, bucket, "abalone/no-such-prefix", 1)
    assert description["ProcessingJobStatus"] == "Failed"
    text = job_log(logs, description["ProcessingJobName"])["algo-1"]
    assert "[PATH_NOT_FOUND] Path does not exist: s3://" in text, text[-3000:]
    assert sagemaker.describe_processing_job(ProcessingJobName=description["ProcessingJobName"])["ProcessingJobStatus"] == "Failed"
