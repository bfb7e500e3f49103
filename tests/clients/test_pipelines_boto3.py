"""SageMaker Pipelines with boto3 against a real `sagebox serve`: definitions written as the SDK writes them,
executions whose steps are real processing jobs, Conditions reading a property file from the fake S3, a Fail
step, a failing job, StopPipelineExecution, RetryPipelineExecution, caching, parallelism, and a server killed or
stopped mid-execution."""
import json
import sqlite3
import time

import botocore.exceptions
import pytest

from conftest import unique, wait_until

ROLE = "arn:aws:iam::000000000000:role/SageMakerRole"


def processing_step(name, script, bucket, inputs=(), outputs=(), **extra):
    """A Processing step whose job runs `/bin/sh -c script` (Arguments: a CreateProcessingJob request without its name)."""
    arguments = {
        "ProcessingResources": {"ClusterConfig": {"InstanceCount": 1, "InstanceType": "ml.t3.medium", "VolumeSizeInGB": 1}},
        "AppSpecification": {"ImageUri": "sagebox/test:latest", "ContainerEntrypoint": ["/bin/sh", "-c", script]},
        "RoleArn": ROLE,
    }
    if inputs:
        arguments["ProcessingInputs"] = [
            {"InputName": input_name, "AppManaged": False,
             "S3Input": {"S3Uri": uri, "LocalPath": f"/opt/ml/processing/{input_name}", "S3DataType": "S3Prefix",
                         "S3InputMode": "File", "S3DataDistributionType": "FullyReplicated"}}
            for input_name, uri in inputs]
    if outputs:
        arguments["ProcessingOutputConfig"] = {"Outputs": [
            {"OutputName": output_name, "AppManaged": False,
             "S3Output": {"S3Uri": f"s3://{bucket}/{name}/{output_name}", "LocalPath": f"/opt/ml/processing/{output_name}",
                          "S3UploadMode": "EndOfJob"}}
            for output_name in outputs]}
    if "environment" in extra:
        arguments["Environment"] = extra.pop("environment")
    return {"Name": name, "Type": "Processing", "Arguments": arguments, **extra}


# The SDK's default PipelineExperimentConfig.
EXPERIMENT = {"ExperimentName": {"Get": "Execution.PipelineName"}, "TrialName": {"Get": "Execution.PipelineExecutionId"}}


def definition(steps, parameters=()):
    return json.dumps({"Version": "2020-12-01", "Metadata": {}, "Parameters": list(parameters),
                       "PipelineExperimentConfig": EXPERIMENT, "Steps": steps})


def output_uri(step, output):
    return {"Get": f"Steps.{step}.ProcessingOutputConfig.Outputs['{output}'].S3Output.S3Uri"}


def create(sagemaker, steps, parameters=(), **extra):
    name = unique("pipe")
    sagemaker.create_pipeline(PipelineName=name, RoleArn=ROLE, PipelineDefinition=definition(steps, parameters), **extra)
    return name


def wait_for_execution(sagemaker, arn, timeout=120):
    """Polls DescribePipelineExecution until it ends (Stopped included, unlike the SDK's waiter)."""
    def ended():
        described = sagemaker.describe_pipeline_execution(PipelineExecutionArn=arn)
        return described if described["PipelineExecutionStatus"] in ("Succeeded", "Failed", "Stopped") else None
    return wait_until(ended, timeout=timeout)


def steps_of(sagemaker, arn):
    return sagemaker.list_pipeline_execution_steps(PipelineExecutionArn=arn)["PipelineExecutionSteps"]


def error_of(call):
    with pytest.raises(botocore.exceptions.ClientError) as raised:
        call()
    return raised.value.response["Error"]


def test_create_update_versions_describe_list_tag_and_delete(sagemaker, bucket):
    steps = [processing_step("Only", "true", bucket)]
    name = create(sagemaker, steps, PipelineDescription="first", Tags=[{"Key": "team", "Value": "ml"}])
    arn = f"arn:aws:sagemaker:us-east-1:000000000000:pipeline/{name.lower()}"

    # The SDK's upsert() updates when Create says ValidationException with "already exists".
    duplicate = error_of(lambda: sagemaker.create_pipeline(PipelineName=name, RoleArn=ROLE, PipelineDefinition=definition(steps)))
    assert duplicate == {"Code": "ValidationException", "Message":
                         f"Pipeline names must be unique within an AWS account and region. Pipeline with name ({name}) already exists."}

    changed = definition([processing_step("Only", "echo changed", bucket)])
    updated = sagemaker.update_pipeline(PipelineName=name, PipelineDefinition=changed, PipelineDescription="second")
    assert updated["PipelineArn"] == arn and updated["PipelineVersionId"] == 2

    described = sagemaker.describe_pipeline(PipelineName=arn)
    assert (described["PipelineName"], described["PipelineDefinition"], described["PipelineDescription"],
            described["PipelineStatus"], described["RoleArn"]) == (name, changed, "second", "Active", ROLE)
    versions = sagemaker.list_pipeline_versions(PipelineName=name)["PipelineVersionSummaries"]
    assert [version["PipelineVersionId"] for version in versions] == [2, 1]
    assert [p["PipelineName"] for p in sagemaker.list_pipelines(PipelineNamePrefix=name)["PipelineSummaries"]] == [name]

    assert sagemaker.list_tags(ResourceArn=arn)["Tags"] == [{"Key": "team", "Value": "ml"}]
    sagemaker.add_tags(ResourceArn=arn, Tags=[{"Key": "stage", "Value": "dev"}])
    assert {tag["Key"] for tag in sagemaker.list_tags(ResourceArn=arn)["Tags"]} == {"team", "stage"}

    assert sagemaker.delete_pipeline(PipelineName=name)["PipelineArn"] == arn
    missing = error_of(lambda: sagemaker.describe_pipeline(PipelineName=name))
    assert missing == {"Code": "ResourceNotFound", "Message": f"Pipeline '{arn}' does not exist."}
    assert error_of(lambda: sagemaker.update_pipeline(PipelineName=name, PipelineDescription="x"))["Code"] == "ResourceNotFound"


def test_an_invalid_definition_or_parameter_is_refused(sagemaker, bucket):
    bad = json.dumps({"Version": "2020-12-01", "Steps": [{"Name": "A", "Type": "Processing", "Arguments": {},
                                                            "DependsOn": ["Nowhere"]}]})
    error = error_of(lambda: sagemaker.create_pipeline(PipelineName=unique("bad"), RoleArn=ROLE, PipelineDefinition=bad))
    assert error["Code"] == "ValidationException" and "Nowhere" in error["Message"]

    name = create(sagemaker, [processing_step("Only", "true", bucket)],
                  [{"Name": "Depth", "Type": "Integer", "DefaultValue": 5}])
    error = error_of(lambda: sagemaker.start_pipeline_execution(
        PipelineName=name, PipelineParameters=[{"Name": "Depth", "Value": "6.5"}]))
    assert error == {"Code": "ValidationException", "Message": "Value '6.5' of parameter 'Depth' is not an Integer (for example 5)."}


def evaluation_pipeline(bucket):
    """Evaluate writes a property file; Copy reads Evaluate's output through Get; a Condition on the file's
    accuracy chooses between a Report step and a Fail step."""
    evaluate = processing_step(
        "Evaluate", 'printf \'{"metrics": {"accuracy": 0.9}, "note": "%s"}\' "$NOTE" > /opt/ml/processing/report/evaluation.json',
        bucket, outputs=["report"], environment={"NOTE": {"Get": "Parameters.Note"}},
        PropertyFiles=[{"PropertyFileName": "EvaluationReport", "OutputName": "report", "FilePath": "evaluation.json"}])
    copy = processing_step("Copy", "cp /opt/ml/processing/evaluated/evaluation.json /opt/ml/processing/copied/",
                           bucket, inputs=[("evaluated", output_uri("Evaluate", "report"))], outputs=["copied"])
    report = processing_step("Report", "true", bucket)
    fail = {"Name": "TooLow", "Type": "Fail", "Arguments": {"ErrorMessage": {"Std:Join": {
        "On": " ", "Values": ["Accuracy below", {"Get": "Parameters.Threshold"}]}}}}
    condition = {"Name": "CheckAccuracy", "Type": "Condition", "Arguments": {
        "Conditions": [{"Type": "GreaterThanOrEqualTo",
                        "LeftValue": {"Std:JsonGet": {"PropertyFile": {"Get": "Steps.Evaluate.PropertyFiles.EvaluationReport"},
                                                      "Path": "metrics.accuracy"}},
                        "RightValue": {"Get": "Parameters.Threshold"}}],
        "IfSteps": [report], "ElseSteps": [fail]}}
    parameters = [{"Name": "Threshold", "Type": "Float", "DefaultValue": 0.5},
                  {"Name": "Note", "Type": "String", "DefaultValue": "default note"}]
    return [evaluate, copy, condition], parameters


def test_an_execution_runs_its_steps_as_jobs_and_takes_the_chosen_branch(sagemaker, s3, bucket):
    steps, parameters = evaluation_pipeline(bucket)
    name = create(sagemaker, steps, parameters)
    arn = sagemaker.start_pipeline_execution(PipelineName=name, PipelineParameters=[{"Name": "Note", "Value": "hello"}],
                                             PipelineExecutionDisplayName="first-run")["PipelineExecutionArn"]
    assert arn.startswith(f"arn:aws:sagemaker:us-east-1:000000000000:pipeline/{name.lower()}/execution/")
    described = wait_for_execution(sagemaker, arn)
    assert described["PipelineExecutionStatus"] == "Succeeded", steps_of(sagemaker, arn)
    assert described["PipelineExecutionDisplayName"] == "first-run" and "FailureReason" not in described

    listed = steps_of(sagemaker, arn)
    # Newest first; the branch not taken (TooLow) never appears.
    assert [step["StepName"] for step in listed][0] == "Report"
    assert sorted(step["StepName"] for step in listed) == ["CheckAccuracy", "Copy", "Evaluate", "Report"]
    assert [step["StepName"] for step in listed][-1] == "Evaluate"
    assert {step["StepStatus"] for step in listed} == {"Succeeded"}
    by_name = {step["StepName"]: step for step in listed}
    assert by_name["CheckAccuracy"]["Metadata"] == {"Condition": {"Outcome": "True"}}
    job_arn = by_name["Copy"]["Metadata"]["ProcessingJob"]["Arn"]
    job_name = job_arn.split("/")[-1]
    assert job_name.startswith(f"pipelines-{arn.split('/')[-1]}-Copy-")
    job = sagemaker.describe_processing_job(ProcessingJobName=job_name)
    assert job["ProcessingJobStatus"] == "Completed"
    # The experiment config, evaluated: the pipeline's name and the execution's id, on the execution and its jobs.
    experiment = {"ExperimentName": name, "TrialName": arn.split("/")[-1]}
    assert described["PipelineExperimentConfig"] == experiment
    assert job["ExperimentConfig"] == experiment
    assert {"Key": "sagemaker:pipeline-execution-arn", "Value": arn} in sagemaker.list_tags(ResourceArn=job_arn)["Tags"]
    # Copy read Evaluate's output (its input was the Get of Evaluate's output URI), with the parameter in it.
    copied = json.loads(s3.get_object(Bucket=bucket, Key="Copy/copied/evaluation.json")["Body"].read())
    assert copied == {"metrics": {"accuracy": 0.9}, "note": "hello"}
    assert all(step["AttemptCount"] == 1 and step["StartTime"] <= step["EndTime"] for step in listed)

    # A retried start (the same ClientRequestToken, as botocore resends it) answers with the same execution.
    token = "t" * 40
    again = [sagemaker.start_pipeline_execution(PipelineName=name, ClientRequestToken=token)["PipelineExecutionArn"]
             for _ in range(2)]
    assert again[0] == again[1] != arn
    assert wait_for_execution(sagemaker, again[0])["PipelineExecutionStatus"] == "Succeeded"

    parameters = sagemaker.list_pipeline_parameters_for_execution(PipelineExecutionArn=arn)["PipelineParameters"]
    assert parameters == [{"Name": "Note", "Value": "hello"}, {"Name": "Threshold", "Value": "0.5"}]
    assert json.loads(sagemaker.describe_pipeline_definition_for_execution(PipelineExecutionArn=arn)["PipelineDefinition"])["Steps"][0]["Name"] == "Evaluate"
    summaries = sagemaker.list_pipeline_executions(PipelineName=name)["PipelineExecutionSummaries"]
    assert [(s["PipelineExecutionArn"], s["PipelineExecutionStatus"]) for s in summaries] == [(again[0], "Succeeded"), (arn, "Succeeded")]


def test_the_else_branch_fail_step_fails_the_execution_with_its_message(sagemaker, bucket):
    steps, parameters = evaluation_pipeline(bucket)
    name = create(sagemaker, steps, parameters)
    arn = sagemaker.start_pipeline_execution(
        PipelineName=name, PipelineParameters=[{"Name": "Threshold", "Value": "0.95"}])["PipelineExecutionArn"]
    described = wait_for_execution(sagemaker, arn)
    assert described["PipelineExecutionStatus"] == "Failed"
    assert described["FailureReason"] == "Step failure: One or multiple steps failed."
    listed = steps_of(sagemaker, arn)
    assert listed[0]["StepName"] == "TooLow"
    assert listed[0]["StepStatus"] == "Failed"
    assert listed[0]["FailureReason"] == "Accuracy below 0.95"
    assert listed[0]["Metadata"] == {"Fail": {"ErrorMessage": "Accuracy below 0.95"}}
    assert {step["StepName"]: step["Metadata"] for step in listed}["CheckAccuracy"] == {"Condition": {"Outcome": "False"}}
    assert "Report" not in {step["StepName"] for step in listed}


def test_a_failing_job_fails_its_step_and_nothing_downstream_starts(sagemaker, bucket):
    broken = processing_step("Broken", "echo broken >&2; exit 3", bucket, outputs=["out"])
    after = processing_step("After", "true", bucket, inputs=[("in", output_uri("Broken", "out"))])
    name = create(sagemaker, [broken, after])
    arn = sagemaker.start_pipeline_execution(PipelineName=name)["PipelineExecutionArn"]
    described = wait_for_execution(sagemaker, arn)
    assert described["PipelineExecutionStatus"] == "Failed"
    assert described["FailureReason"] == "Step failure: One or multiple steps failed."
    listed = steps_of(sagemaker, arn)
    assert [step["StepName"] for step in listed] == ["Broken"]
    job_name = listed[0]["Metadata"]["ProcessingJob"]["Arn"].split("/")[-1]
    job = sagemaker.describe_processing_job(ProcessingJobName=job_name)
    assert job["ProcessingJobStatus"] == "Failed"
    assert listed[0]["StepStatus"] == "Failed" and listed[0]["FailureReason"] == job["FailureReason"]


def test_retry_runs_again_only_the_failed_step_once_its_missing_input_is_there(sagemaker, s3, bucket):
    prepare = processing_step("Prepare", "echo rows > /opt/ml/processing/out/rows.txt", bucket, outputs=["out"])
    # The threshold object is missing: the first attempt of Check fails while staging its input.
    check = processing_step("Check", "cat /opt/ml/processing/threshold/threshold.txt /opt/ml/processing/rows/rows.txt", bucket,
                            inputs=[("rows", output_uri("Prepare", "out")), ("threshold", f"s3://{bucket}/config/threshold.txt")])
    name = create(sagemaker, [prepare, check])
    arn = sagemaker.start_pipeline_execution(PipelineName=name)["PipelineExecutionArn"]
    assert wait_for_execution(sagemaker, arn)["PipelineExecutionStatus"] == "Failed"
    first = {step["StepName"]: step for step in steps_of(sagemaker, arn)}
    assert first["Check"]["StepStatus"] == "Failed"
    assert first["Check"]["FailureReason"].startswith('ClientError: No S3 objects found under S3 URL "s3://')

    # Only a Failed or Stopped execution is retried: not while it runs, nor once it Succeeded.
    s3.put_object(Bucket=bucket, Key="config/threshold.txt", Body=b"0.7\n")
    token = "retry-" + "0" * 26
    assert sagemaker.retry_pipeline_execution(PipelineExecutionArn=arn, ClientRequestToken=token)["PipelineExecutionArn"] == arn
    described = wait_for_execution(sagemaker, arn)
    assert described["PipelineExecutionStatus"] == "Succeeded"
    assert "FailureReason" not in described
    after = steps_of(sagemaker, arn)
    assert [step["StepName"] for step in after] == ["Check", "Prepare"]
    steps = {step["StepName"]: step for step in after}
    assert (steps["Check"]["StepStatus"], steps["Check"]["AttemptCount"]) == ("Succeeded", 2)
    # Prepare kept its run: the same job, one attempt; Check ran a new job.
    assert steps["Prepare"]["AttemptCount"] == 1
    assert steps["Prepare"]["Metadata"] == first["Prepare"]["Metadata"]
    assert steps["Prepare"]["StartTime"] == first["Prepare"]["StartTime"]
    assert steps["Check"]["Metadata"]["ProcessingJob"]["Arn"] != first["Check"]["Metadata"]["ProcessingJob"]["Arn"]
    jobs = sagemaker.list_processing_jobs(NameContains=arn.split("/")[-1])["ProcessingJobSummaries"]
    assert sorted(job["ProcessingJobStatus"] for job in jobs) == ["Completed", "Completed", "Failed"]

    # The same token again answers with the execution and runs nothing; a new one is refused.
    assert sagemaker.retry_pipeline_execution(PipelineExecutionArn=arn, ClientRequestToken=token)["PipelineExecutionArn"] == arn
    assert sagemaker.describe_pipeline_execution(PipelineExecutionArn=arn)["PipelineExecutionStatus"] == "Succeeded"
    refused = error_of(lambda: sagemaker.retry_pipeline_execution(PipelineExecutionArn=arn, ClientRequestToken="another-" + "0" * 24))
    assert refused == {"Code": "ConflictException", "Message":
                       f"Pipeline execution '{arn}' is Succeeded: only pipeline executions with 'Failed' or 'Stopped' status can be retried."}
    missing = error_of(lambda: sagemaker.retry_pipeline_execution(PipelineExecutionArn=arn + "x", ClientRequestToken=token))
    assert missing["Code"] == "ResourceNotFound"


def test_stop_stops_the_running_job_and_the_execution_ends_stopped(sagemaker, bucket):
    name = create(sagemaker, [processing_step("Sleep", "sleep 120", bucket)])
    arn = sagemaker.start_pipeline_execution(PipelineName=name)["PipelineExecutionArn"]
    wait_until(lambda: [s for s in steps_of(sagemaker, arn) if s["StepStatus"] == "Executing"])
    # A pipeline with a running execution cannot be deleted (the API reference: stop it first).
    assert error_of(lambda: sagemaker.delete_pipeline(PipelineName=name))["Code"] == "ConflictException"
    sagemaker.stop_pipeline_execution(PipelineExecutionArn=arn)
    assert sagemaker.describe_pipeline_execution(PipelineExecutionArn=arn)["PipelineExecutionStatus"] in ("Stopping", "Stopped")
    described = wait_for_execution(sagemaker, arn, timeout=60)
    assert described["PipelineExecutionStatus"] == "Stopped"
    step = steps_of(sagemaker, arn)[0]
    assert step["StepStatus"] == "Stopped"
    job_name = step["Metadata"]["ProcessingJob"]["Arn"].split("/")[-1]
    assert sagemaker.describe_processing_job(ProcessingJobName=job_name)["ProcessingJobStatus"] == "Stopped"
    again = error_of(lambda: sagemaker.stop_pipeline_execution(PipelineExecutionArn=arn))
    assert again == {"Code": "ConflictException",
                     "Message": f"Pipeline execution '{arn}' is Stopped: only an Executing execution can be stopped."}


def test_a_second_start_hits_the_cache_of_the_first(sagemaker, s3, bucket):
    cached = processing_step("Stamp", "date +%s%N > /opt/ml/processing/out/stamp", bucket, outputs=["out"],
                             CacheConfig={"Enabled": True, "ExpireAfter": "PT1H"})
    name = create(sagemaker, [cached])
    first = sagemaker.start_pipeline_execution(PipelineName=name)["PipelineExecutionArn"]
    assert wait_for_execution(sagemaker, first)["PipelineExecutionStatus"] == "Succeeded"
    stamp = s3.get_object(Bucket=bucket, Key="Stamp/out/stamp")["Body"].read()
    second = sagemaker.start_pipeline_execution(PipelineName=name)["PipelineExecutionArn"]
    assert wait_for_execution(sagemaker, second)["PipelineExecutionStatus"] == "Succeeded"
    hit = steps_of(sagemaker, second)[0]
    assert hit["StepStatus"] == "Succeeded"
    assert hit["CacheHitResult"] == {"SourcePipelineExecutionArn": first}
    # The hit reports the first run's job and ran nothing: the output is the first run's.
    assert hit["Metadata"] == steps_of(sagemaker, first)[0]["Metadata"]
    assert s3.get_object(Bucket=bucket, Key="Stamp/out/stamp")["Body"].read() == stamp
    assert "CacheHitResult" not in steps_of(sagemaker, first)[0]


def job_window(sagemaker, step):
    job = sagemaker.describe_processing_job(ProcessingJobName=step["Metadata"]["ProcessingJob"]["Arn"].split("/")[-1])
    return job["ProcessingStartTime"], job["ProcessingEndTime"]


@pytest.mark.parametrize("parallelism", [1, 2])
def test_independent_steps_run_at_once_up_to_max_parallel_execution_steps(sagemaker, bucket, parallelism):
    steps = [processing_step(name, "sleep 2", bucket) for name in ("Left", "Right")]
    name = create(sagemaker, steps, ParallelismConfiguration={"MaxParallelExecutionSteps": parallelism})
    arn = sagemaker.start_pipeline_execution(PipelineName=name)["PipelineExecutionArn"]
    assert sagemaker.describe_pipeline_execution(PipelineExecutionArn=arn)["ParallelismConfiguration"] == {
        "MaxParallelExecutionSteps": parallelism}
    assert wait_for_execution(sagemaker, arn)["PipelineExecutionStatus"] == "Succeeded"
    (left_start, left_end), (right_start, right_end) = (job_window(sagemaker, step) for step in
                                                        sorted(steps_of(sagemaker, arn), key=lambda s: s["StepName"]))
    overlap = left_start < right_end and right_start < left_end
    assert overlap == (parallelism == 2)


def sleeping_execution(server):
    """Starts, on a server of the test's own, an execution whose one step sleeps; returns its ARN once the step runs."""
    sagemaker = server.client("sagemaker")
    bucket = unique("sleeping")
    server.client("s3").create_bucket(Bucket=bucket)
    name = unique("pipe")
    sagemaker.create_pipeline(PipelineName=name, RoleArn=ROLE, PipelineDefinition=definition(
        [processing_step("Sleep", "sleep 120", bucket)]))
    arn = sagemaker.start_pipeline_execution(PipelineName=name)["PipelineExecutionArn"]
    wait_until(lambda: [s for s in steps_of(sagemaker, arn) if s["StepStatus"] == "Executing"])
    return arn


def test_an_execution_whose_server_was_killed_ends_failed_at_restart(own_server, tmp_path):
    arn = sleeping_execution(own_server)
    own_server.kill_hard()
    own_server.restart()
    sagemaker = own_server.client("sagemaker")
    described = sagemaker.describe_pipeline_execution(PipelineExecutionArn=arn)
    assert described["PipelineExecutionStatus"] == "Failed"
    assert described["FailureReason"] == "InternalServerError: sagebox restarted while the pipeline execution was running"
    step = steps_of(sagemaker, arn)[0]
    assert step["StepStatus"] == "Failed"
    job_name = step["Metadata"]["ProcessingJob"]["Arn"].split("/")[-1]
    assert sagemaker.describe_processing_job(ProcessingJobName=job_name)["ProcessingJobStatus"] == "Failed"


def test_a_server_stopped_normally_ends_its_executions_failed_as_it_exits(own_server):
    arn = sleeping_execution(own_server)
    own_server.current.stop()  # SIGTERM
    exited = time.time()
    # Nothing has opened the root since: the server itself ended the execution and its step, before it exited.
    with sqlite3.connect(f"file:{own_server.root / 'sagebox.sqlite'}?mode=ro", uri=True) as db:
        status, reason, end = db.execute("SELECT status, failureReason, endTime FROM pipeline_executions WHERE arn = ?", (arn,)).fetchone()
        steps = db.execute("SELECT s.status FROM pipeline_execution_steps s JOIN pipeline_executions e ON e.id = s.executionId "
                           "WHERE e.arn = ?", (arn,)).fetchall()
    assert (status, reason) == ("Failed", "InternalServerError: sagebox restarted while the pipeline execution was running")
    assert end <= exited
    assert steps == [("Failed",)]
    own_server.restart()
    sagemaker = own_server.client("sagemaker")
    assert sagemaker.describe_pipeline_execution(PipelineExecutionArn=arn)["PipelineExecutionStatus"] == "Failed"
    job_name = steps_of(sagemaker, arn)[0]["Metadata"]["ProcessingJob"]["Arn"].split("/")[-1]
    assert sagemaker.describe_processing_job(ProcessingJobName=job_name)["ProcessingJobStatus"] == "Failed"


def test_stop_reaches_every_running_step_training_included(sagemaker, bucket):
    training = {"Name": "Train", "Type": "Training", "Arguments": {
        "RoleArn": ROLE,
        "AlgorithmSpecification": {"TrainingImage": "sagebox/byoc:latest", "TrainingInputMode": "File",
                                   "ContainerEntrypoint": ["/bin/sh", "-c", "echo model > /opt/ml/model/m; sleep 120"]},
        "OutputDataConfig": {"S3OutputPath": f"s3://{bucket}/models"},
        "ResourceConfig": {"InstanceType": "ml.m5.large", "InstanceCount": 1, "VolumeSizeInGB": 1},
        "StoppingCondition": {"MaxRuntimeInSeconds": 3600}}}
    name = create(sagemaker, [training, processing_step("Sleep", "sleep 120", bucket)])
    arn = sagemaker.start_pipeline_execution(PipelineName=name)["PipelineExecutionArn"]
    wait_until(lambda: len([s for s in steps_of(sagemaker, arn) if s["StepStatus"] == "Executing"]) == 2)
    sagemaker.stop_pipeline_execution(PipelineExecutionArn=arn)
    assert wait_for_execution(sagemaker, arn, timeout=60)["PipelineExecutionStatus"] == "Stopped"
    by_name = {step["StepName"]: step for step in steps_of(sagemaker, arn)}
    assert {name: step["StepStatus"] for name, step in by_name.items()} == {"Train": "Stopped", "Sleep": "Stopped"}
    job = sagemaker.describe_training_job(TrainingJobName=by_name["Train"]["Metadata"]["TrainingJob"]["Arn"].split("/")[-1])
    assert job["TrainingJobStatus"] == "Stopped"
    assert {"Key": "sagemaker:pipeline-execution-arn", "Value": arn} in sagemaker.list_tags(ResourceArn=job["TrainingJobArn"])["Tags"]
