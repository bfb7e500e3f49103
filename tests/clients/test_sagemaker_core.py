"""sagemaker-core 1.x (`sagemaker_core.main`) against sagebox: the churn sample's job.json, built from
sagemaker-core's own shapes, created, waited for and refreshed through ProcessingJob."""
import json
import logging

import botocore.exceptions
import pytest
from sagemaker_core.main import shapes
from sagemaker_core.main.resources import ProcessingJob
from sagemaker_core.main.exceptions import FailedStatusError

from churn_sample import JOB_JSON, PREPROCESSING, ROWS, check_outputs, download_splits, generate_data
from conftest import unique
from host_audit import assert_only_endpoint, contacted_hosts  # noqa: F401 (a fixture)


pytestmark = pytest.mark.usefixtures("sagemaker_core_config")


def s3_input(spec):
    """A job.json ProcessingInput as sagemaker-core shapes."""
    s3 = spec["S3Input"]
    return shapes.ProcessingInput(input_name=spec["InputName"], s3_input=shapes.ProcessingS3Input(
        s3_uri=s3["S3Uri"], local_path=s3["LocalPath"], s3_data_type=s3["S3DataType"],
        s3_input_mode=s3["S3InputMode"], s3_data_distribution_type=s3["S3DataDistributionType"]))


def s3_output(spec):
    """A job.json ProcessingOutput as sagemaker-core shapes."""
    s3 = spec["S3Output"]
    return shapes.ProcessingOutput(output_name=spec["OutputName"], s3_output=shapes.ProcessingS3Output(
        s3_uri=s3["S3Uri"], local_path=s3["LocalPath"], s3_upload_mode=s3["S3UploadMode"]))


def churn_job_arguments(request, bucket):
    """ProcessingJob.create's keyword arguments for job.json, with its bucket replaced by `bucket`."""
    request = json.loads(json.dumps(request).replace("s3://sagebox-samples/", f"s3://{bucket}/"))
    app = request["AppSpecification"]
    cluster = request["ProcessingResources"]["ClusterConfig"]
    return dict(
        processing_job_name=unique("core-churn"),
        role_arn=request["RoleArn"],
        app_specification=shapes.AppSpecification(image_uri=app["ImageUri"],
                                                  container_entrypoint=app["ContainerEntrypoint"],
                                                  container_arguments=app["ContainerArguments"]),
        processing_resources=shapes.ProcessingResources(cluster_config=shapes.ProcessingClusterConfig(
            instance_count=cluster["InstanceCount"], instance_type=cluster["InstanceType"],
            volume_size_in_gb=cluster["VolumeSizeInGB"])),
        processing_inputs=[s3_input(spec) for spec in request["ProcessingInputs"]],
        processing_output_config=shapes.ProcessingOutputConfig(
            outputs=[s3_output(spec) for spec in request["ProcessingOutputConfig"]["Outputs"]]),
        stopping_condition=shapes.ProcessingStoppingCondition(
            max_runtime_in_seconds=request["StoppingCondition"]["MaxRuntimeInSeconds"]),
        environment=request["Environment"],
    )


def test_churn_job_json_through_processing_job_create(s3, bucket, tmp_path, contacted_hosts, caplog):
    s3.upload_file(str(generate_data(tmp_path)), bucket, "churn/raw/churn.csv")
    s3.upload_file(str(PREPROCESSING), bucket, "churn/code/preprocessing.py")
    arguments = churn_job_arguments(json.loads(JOB_JSON.read_text()), bucket)

    job = ProcessingJob.create(**arguments)
    # create() describes the job straight away: the resource already holds the server's view.
    assert job.processing_job_arn.endswith(f":processing-job/{arguments['processing_job_name']}")
    assert job.processing_job_status in ("InProgress", "Completed")
    with caplog.at_level(logging.INFO, logger="sagemaker_core"):
        job.wait(poll=1, timeout=300, logs=True)
    job.refresh()
    assert_only_endpoint(contacted_hosts)
    # logs=True read the job's stdout back through CloudWatch Logs (stream {job}/algo-1-{epoch}).
    assert f"Wrote {int(ROWS * 0.7)} rows to /opt/ml/processing/output/train/train.csv" in caplog.text
    assert f"{arguments['processing_job_name']}/algo-1-" in caplog.text

    assert job.processing_job_status == "Completed", job.failure_reason
    assert job.processing_end_time >= job.processing_start_time >= job.creation_time
    assert job.app_specification.image_uri == arguments["app_specification"].image_uri
    assert job.app_specification.container_arguments == ["--train-test-split", "0.7"]
    assert job.processing_resources.cluster_config.instance_type == "ml.m5.xlarge"
    assert [i.input_name for i in job.processing_inputs] == ["code", "data"]
    outputs = {o.output_name: o.s3_output.s3_uri for o in job.processing_output_config.outputs}
    assert outputs == {s: f"s3://{bucket}/churn/processed/{s}" for s in ("train", "validation", "test")}
    prefixes = {split: uri.removeprefix(f"s3://{bucket}/") for split, uri in outputs.items()}
    assert check_outputs(download_splits(s3, bucket, prefixes, tmp_path)).startswith(
        f"OK churn outputs: train {int(ROWS * 0.7)}, validation {int(ROWS * 0.2)}, test {int(ROWS * 0.1)};")


def test_failed_job_raises_failed_status_error(bucket):
    """A script that exits 1 (no input data): wait() raises with the service's FailureReason."""
    arguments = churn_job_arguments(json.loads(JOB_JSON.read_text()), bucket)
    arguments["processing_inputs"] = []
    arguments["app_specification"].container_entrypoint = ["/bin/sh", "-c", "echo no data >&2; exit 1"]
    job = ProcessingJob.create(**arguments)
    with pytest.raises(FailedStatusError) as caught:
        job.wait(poll=1, timeout=300)
    assert "AlgorithmError: See job logs for more information" in str(caught.value)
    job.refresh()
    assert job.processing_job_status == "Failed"
    assert job.failure_reason == "AlgorithmError: See job logs for more information"


def test_stopped_job_wait_get_all_and_delete(bucket, sagemaker):
    """A stopped job: wait() returns (Stopped is no failure), get_all() lists it, delete() frees its name.

    ProcessingJob.stop() itself is broken in sagemaker-core 1.0.78 (it reads `SageMakerClient().client`,
    an attribute that class lacks: AttributeError before any request), so boto3 sends StopProcessingJob.
    """
    arguments = churn_job_arguments(json.loads(JOB_JSON.read_text()), bucket)
    arguments["processing_inputs"] = []
    arguments["processing_output_config"] = None
    arguments["app_specification"].container_entrypoint = ["/bin/sh", "-c", "echo started; sleep 120"]
    name = arguments["processing_job_name"]
    job = ProcessingJob.create(**arguments)
    assert job.processing_job_status == "InProgress"
    sagemaker.stop_processing_job(ProcessingJobName=name)
    job.wait(poll=1, timeout=120)
    assert job.processing_job_status == "Stopped"

    listed = list(ProcessingJob.get_all(name_contains=name))
    assert [(j.processing_job_name, j.processing_job_status) for j in listed] == [(name, "Stopped")]

    job.delete()
    with pytest.raises(botocore.exceptions.ClientError) as caught:
        ProcessingJob.get(processing_job_name=name)
    assert caught.value.response["Error"]["Message"] == f"Could not find requested job with name {name}"
    assert list(ProcessingJob.get_all(name_contains=name)) == []
