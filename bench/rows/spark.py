"""Row "Spark processing": the Spark sample (samples/spark/preprocess.py, 4,177 abalone rows, a pyspark.ml
pipeline, s3:// in and out) as a sagebox job on the sagemaker-spark-processing image (1 instance: local
mode, through runtimes/spark's smspark-submit) from CreateProcessingJob to Completed, against the same
script through pyspark's own spark-submit in plain local mode on the host, reading and writing the same
server's S3 through S3A with the same settings."""
import os
import pathlib
import statistics
import subprocess
import sys
import time

from bench.core.result import Result
from bench.core.servers import sagebox_serve

REPO = pathlib.Path(__file__).resolve().parents[2]
SPARK_VENV = pathlib.Path(os.environ.get("SAGEBOX_SPARK_ENV") or REPO / ".venv-spark")
SAMPLE = REPO / "samples" / "spark"
IMAGE = "173754725891.dkr.ecr.us-east-1.amazonaws.com/sagemaker-spark-processing:3.5-cpu"
BUCKET = "bench-spark"
ROWS = 4177


def _arguments(output):
    return ["s3_input_bucket", BUCKET, "s3_input_key_prefix", "abalone/input", "s3_output_bucket", BUCKET,
            "s3_output_key_prefix", output]


def _job(sagemaker, name):
    """One job, created over HTTP as the SDK does; its wall time from CreateProcessingJob to Completed."""
    started = time.monotonic()
    sagemaker.create_processing_job(
        ProcessingJobName=name, RoleArn="arn:aws:iam::123456789012:role/bench",
        AppSpecification={"ImageUri": IMAGE, "ContainerEntrypoint": ["smspark-submit", "/opt/ml/processing/input/code/preprocess.py"],
                          "ContainerArguments": _arguments(f"abalone/{name}")},
        ProcessingInputs=[{"InputName": "code", "S3Input": {
            "S3Uri": f"s3://{BUCKET}/code/preprocess.py", "LocalPath": "/opt/ml/processing/input/code",
            "S3DataType": "S3Prefix", "S3InputMode": "File"}}],
        ProcessingResources={"ClusterConfig": {"InstanceCount": 1, "InstanceType": "ml.r5.xlarge", "VolumeSizeInGB": 5}})
    while True:
        status = sagemaker.describe_processing_job(ProcessingJobName=name)["ProcessingJobStatus"]
        if status in ("Completed", "Failed", "Stopped"):
            break
        time.sleep(0.1)
    if status != "Completed":
        raise RuntimeError(f"the Spark job {name} ended {status}")
    return time.monotonic() - started


def _plain(endpoint, output):
    """The sample through plain `spark-submit --master local[2]` on the host, S3A at the same server."""
    jars = ":".join(str(next(SPARK_VENV.glob(f"lib/python*/site-packages/sagemaker_pyspark/jars/{name}")))
                    for name in ("hadoop-aws-3.3.1.jar", "aws-java-sdk-bundle-1.11.901.jar"))
    conf = {"spark.driver.extraClassPath": jars, "spark.hadoop.fs.s3.impl": "org.apache.hadoop.fs.s3a.S3AFileSystem",
            "spark.hadoop.fs.s3a.endpoint": endpoint, "spark.hadoop.fs.s3a.path.style.access": "true",
            "spark.hadoop.fs.s3a.connection.ssl.enabled": "false",
            "spark.hadoop.fs.s3a.aws.credentials.provider": "org.apache.hadoop.fs.s3a.SimpleAWSCredentialsProvider",
            "spark.hadoop.fs.s3a.access.key": "bench", "spark.hadoop.fs.s3a.secret.key": "bench",
            "spark.hadoop.mapreduce.fileoutputcommitter.algorithm.version": "2", "spark.ui.enabled": "false"}
    command = [str(SPARK_VENV / "bin" / "spark-submit"), "--master", "local[2]"]
    for key, value in conf.items():
        command += ["--conf", f"{key}={value}"]
    command += [str(SAMPLE / "preprocess.py")] + _arguments(output)
    started = time.monotonic()
    subprocess.run(command, check=True, capture_output=True,
                   env={**os.environ, "SPARK_LOCAL_IP": "127.0.0.1", "PYSPARK_PYTHON": str(SPARK_VENV / "bin" / "python")})
    return time.monotonic() - started


def run(ctx):
    if not (SPARK_VENV / "bin" / "spark-submit").exists():
        return []
    data = ctx.data / "abalone.csv"
    subprocess.run([sys.executable, str(SAMPLE / "generate_data.py"), "--rows", str(ROWS), "--out", str(data)], check=True)
    runs = ctx.runs(3, quick=1)
    with sagebox_serve(ctx.sagebox) as server:
        s3, sagemaker = server.client("s3"), server.client("sagemaker")
        s3.create_bucket(Bucket=BUCKET)
        s3.upload_file(str(data), BUCKET, "abalone/input/abalone.csv")
        s3.upload_file(str(SAMPLE / "preprocess.py"), BUCKET, "code/preprocess.py")
        job, plain = [], []
        for index in range(runs):  # alternated, so both sides see the same machine
            job.append(_job(sagemaker, f"bench-spark-{os.getpid()}-{index}"))
            plain.append(_plain(server.endpoint, f"abalone/plain-{os.getpid()}-{index}"))
    ratio = statistics.median(job) / statistics.median(plain)
    return [Result(
        row="Spark processing", figure=f"the Spark sample ({ROWS} rows), CreateProcessingJob → Completed, 1 × ml.r5.xlarge",
        unit="ms", samples=[t * 1000 for t in job], baseline_label="the same script, plain spark-submit local[2]",
        baseline_samples=[t * 1000 for t in plain], goal="≤ 1.2× plain spark-submit", met=ratio <= 1.2,
        note="both read s3://…/abalone.csv and write train/ and validation/ through S3A at the same sagebox serve; "
             "sagebox adds the job (volume, staging, sandbox) and smspark-submit's setup")]
