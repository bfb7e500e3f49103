"""What pipeline_v2.py and pipeline_v3.py share, SDK-independent: the seed's three runs, the validation before
them, the raw data, and the command line. The pipeline objects of both SDKs answer the same calls
(`definition()`, `upsert()`, `start()`, and the execution's `wait()`, `describe()`, `list_steps()`)."""
import argparse
import json
import pathlib
import subprocess
import sys
import tempfile

import boto3
from botocore.exceptions import ClientError

HERE = pathlib.Path(__file__).resolve().parent
PIPELINE_NAME = "your-name-customer-churn-pipeline"
MODEL_PACKAGE_GROUP = "your-name-customer-churn-models"
ROLE = "arn:aws:iam::000000000000:role/SageMakerRole"
REGION = "us-east-1"
XGBOOST_VERSION = "1.7-1"
# Run 1 (and 3): the seed's start parameters. Run 2: a shallower tree and a threshold no accuracy passes.
RUN_1 = {"ProcessingInstanceType": "ml.m5.large", "TrainingInstanceType": "ml.m5.xlarge"}
RUN_2 = {**RUN_1, "MaxDepth": 3, "AccuracyThreshold": 1.0}
RUNS = [(RUN_1, "Run 1 (the seed's parameters)"),
        (RUN_2, "Run 2 (MaxDepth 3, AccuracyThreshold 1.0: nothing registers)"),
        (RUN_1, "Run 3 (run 1's parameters: ProcessData and TrainModel from the cache)")]


def validate(pipeline, role=ROLE):
    """The seed's "Validate Before Execution": the definition parsed here, then sent to the server, whose
    CreatePipeline/UpdatePipeline check it. Returns the parsed definition; a refused one is printed and raised."""
    pipeline_definition = json.loads(pipeline.definition())
    print(f"Definition: {len(pipeline_definition['Steps'])} top-level steps, parameters "
          + ", ".join(f"{p['Name']}={p.get('DefaultValue', '(no default)')}" for p in pipeline_definition["Parameters"]))
    try:
        response = pipeline.upsert(role_arn=role)
    except ClientError as error:
        print(f"The pipeline definition was refused: {error.response['Error']['Message']}", file=sys.stderr)
        raise
    print(f"Upserted {response['PipelineArn']} (version {response.get('PipelineVersionId', 1)})")
    return pipeline_definition


def run(pipeline, parameters, label):
    """Starts an execution, waits for it (polling every second: the SDK's default is 30 s) and prints its
    steps, newest first as the service lists them. Returns (execution, its description, its steps)."""
    execution = pipeline.start(parameters=parameters)
    print(f"\n{label}: {execution.arn}\n  parameters {parameters}")
    try:
        execution.wait(delay=1, max_attempts=900)
    except Exception as error:  # the SDK's waiter raises on Failed; the steps say why
        print(f"  wait: {error}")
    status = execution.describe()
    steps = execution.list_steps()
    print(f"  {status['PipelineExecutionStatus']}" + (f": {status['FailureReason']}" if status.get("FailureReason") else ""))
    for step in steps:
        cache = step.get("CacheHitResult", {}).get("SourcePipelineExecutionArn")
        detail = f"cache hit of {cache}" if cache else json.dumps(step.get("Metadata", {}))
        print(f"  {step['StepName']:<30} {step['StepStatus']:<10} {detail}"
              + (f"\n    FailureReason: {step['FailureReason']}" if step.get("FailureReason") else ""))
    return execution, status, steps


def upload_raw_data(session, path):
    return session.upload_data(str(path), key_prefix="customer-churn/raw")


def generate_raw_data(folder, rows=2000):
    """The churn sample's generator (samples/churn/generate_data.py) writing folder/churn.csv."""
    path = pathlib.Path(folder) / "churn.csv"
    subprocess.run([sys.executable, str(HERE.parent / "churn" / "generate_data.py"), "--rows", str(rows), "--out", str(path)],
                   check=True)
    return path


def main(description, pipeline_session, build_pipeline, argv=None):
    """The command line of both scripts: upload the data, build, validate, run three times."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--bucket", required=True, help="the default bucket (made when missing)")
    parser.add_argument("--data", default=None, help="raw churn CSV (default: 2,000 rows from samples/churn/generate_data.py)")
    parser.add_argument("--role", default=ROLE)
    args = parser.parse_args(argv)

    session = pipeline_session(boto_session=boto3.Session(region_name=REGION), default_bucket=args.bucket)
    data = pathlib.Path(args.data) if args.data else generate_raw_data(tempfile.mkdtemp())
    pipeline = build_pipeline(session, upload_raw_data(session, data), role=args.role)
    validate(pipeline, args.role)
    results = [run(pipeline, parameters, label) for parameters, label in RUNS]
    return 0 if all(status["PipelineExecutionStatus"] == "Succeeded" for _, status, _ in results) else 1
