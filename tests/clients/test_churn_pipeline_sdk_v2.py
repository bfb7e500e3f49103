"""samples/churn-pipeline/pipeline_v2.py (seed 002 verbatim, SDK v2) against a real `sagebox serve`: the sample's
own build_pipeline, validate and run, as its main() calls them, with the seed's pipeline name. Three runs:
run 1 registers the model, run 2 (MaxDepth 3, a threshold no accuracy passes) re-runs training only and
registers nothing, run 3 (run 1's parameters) takes processing and training from the cache."""
import json
import sys

import boto3
import pytest
from botocore.exceptions import ClientError

from churn_sample import REPO, generate_data
from conftest import sagemaker_sdk, unique
from host_audit import assert_only_endpoint, contacted_hosts  # noqa: F401 (a fixture)

SAMPLE = REPO / "samples" / "churn-pipeline"
METRICS = ["accuracy", "precision", "recall", "f1", "roc_auc"]
PROCESSING_STEPS = ["ProcessData", "EvaluateModel"]


@pytest.fixture(scope="module")
def pipeline_v2(server, tmp_path_factory):
    """The sample's module, imported with the SDK's config in force (telemetry off)."""
    with sagemaker_sdk(tmp_path_factory.mktemp("sagemaker-config"), unique("churn-pipe-config")):
        sys.path.insert(0, str(SAMPLE))
        try:
            import pipeline_v2
            yield pipeline_v2
        finally:
            sys.path.remove(str(SAMPLE))


@pytest.fixture(scope="module")
def session_and_data(pipeline_v2, tmp_path_factory):
    from sagemaker.workflow.pipeline_context import PipelineSession
    session = PipelineSession(boto_session=boto3.Session(region_name="us-east-1"), default_bucket=unique("churn-pipe"))
    return session, pipeline_v2.upload_raw_data(session, generate_data(tmp_path_factory.mktemp("churn")))


def by_name(steps):
    return {step["StepName"]: step for step in steps}


def report_of(sagemaker, s3, evaluation_job_arn):
    """evaluation.json as the evaluation job wrote it."""
    job = sagemaker.describe_processing_job(ProcessingJobName=evaluation_job_arn.split("/")[-1])
    uri = job["ProcessingOutputConfig"]["Outputs"][0]["S3Output"]["S3Uri"]
    bucket, key = uri.removeprefix("s3://").split("/", 1)
    return json.loads(s3.get_object(Bucket=bucket, Key=f"{key}/evaluation.json")["Body"].read())


def test_seed_002_three_runs_register_skip_and_hit_the_cache(pipeline_v2, session_and_data, capsys, contacted_hosts):
    session, raw = session_and_data
    sagemaker, s3 = boto3.client("sagemaker"), boto3.client("s3")
    pipeline = pipeline_v2.build_pipeline(session, raw)
    assert pipeline.name == "your-name-customer-churn-pipeline"

    definition = pipeline_v2.validate(pipeline)
    process = next(step for step in definition["Steps"] if step["Name"] == "ProcessData")["Arguments"]
    # XGBoostProcessor: the framework image, runproc.sh, the seed's argument from the parameter's to_string().
    assert process["AppSpecification"]["ImageUri"].endswith("/sagemaker-xgboost:1.7-1")
    assert process["AppSpecification"]["ContainerEntrypoint"] == ["/bin/bash", "/opt/ml/processing/input/entrypoint/runproc.sh"]
    assert process["AppSpecification"]["ContainerArguments"] == [
        "--train-test-split", {"Std:Join": {"On": "", "Values": [{"Get": "Parameters.TrainTestSplit"}]}}]
    assert {p["Name"] for p in definition["Parameters"]} >= {
        "ProcessingInstanceType", "TrainingInstanceType", "TrainTestSplit", "MaxDepth", "NumRound", "Eta", "AccuracyThreshold"}
    assert "Upserted arn:aws:sagemaker:us-east-1:000000000000:pipeline/your-name-customer-churn-pipeline" in capsys.readouterr().out

    # Run 1: the seed's start parameters; accuracy passes 0.7, the model is created and registered.
    _, status, steps = pipeline_v2.run(pipeline, pipeline_v2.RUN_1, "Run 1")
    assert status["PipelineExecutionStatus"] == "Succeeded", steps
    run1 = status["PipelineExecutionArn"]
    assert [s["StepName"] for s in steps] == [
        "RegisterModel-RegisterModel", "CreateModel-CreateModel", "CheckAccuracy", "EvaluateModel", "TrainModel", "ProcessData"]
    assert [s["StartTime"] for s in steps] == sorted((s["StartTime"] for s in steps), reverse=True)
    assert {s["StepStatus"] for s in steps} == {"Succeeded"} and not any("CacheHitResult" in s for s in steps)
    first = by_name(steps)
    for name in PROCESSING_STEPS:
        assert ":processing-job/pipelines-" in first[name]["Metadata"]["ProcessingJob"]["Arn"]
    assert first["CheckAccuracy"]["Metadata"] == {"Condition": {"Outcome": "True"}}
    assert ":model/pipelines-" in first["CreateModel-CreateModel"]["Metadata"]["Model"]["Arn"]
    package_arn = first["RegisterModel-RegisterModel"]["Metadata"]["RegisterModel"]["Arn"]
    assert package_arn.endswith(":model-package/your-name-customer-churn-models/1")
    training_name = first["TrainModel"]["Metadata"]["TrainingJob"]["Arn"].split("/")[-1]
    training = sagemaker.describe_training_job(TrainingJobName=training_name)
    assert {k: training["HyperParameters"][k] for k in ("max_depth", "num_round", "eta")} == {
        "max_depth": "5", "num_round": "50", "eta": "0.2"}
    assert training["ResourceConfig"]["InstanceType"] == "ml.m5.xlarge"
    report = report_of(sagemaker, s3, first["EvaluateModel"]["Metadata"]["ProcessingJob"]["Arn"])
    assert list(report["binary_classification_metrics"]) == METRICS
    assert all(m["standard_deviation"] == "NaN" for m in report["binary_classification_metrics"].values())
    assert report["binary_classification_metrics"]["accuracy"]["value"] > 0.7
    package = sagemaker.describe_model_package(ModelPackageName=package_arn)
    assert package["InferenceSpecification"]["Containers"][0]["ModelDataUrl"] == training["ModelArtifacts"]["S3ModelArtifacts"]
    assert package["ModelMetrics"]["ModelQuality"]["Statistics"]["S3Uri"].endswith("/evaluation.json")

    # Run 2: MaxDepth changes the training step's key only; nothing passes accuracy > 1.0.
    _, status, steps = pipeline_v2.run(pipeline, pipeline_v2.RUN_2, "Run 2")
    assert status["PipelineExecutionStatus"] == "Succeeded", steps
    assert [s["StepName"] for s in steps] == ["CheckAccuracy", "EvaluateModel", "TrainModel", "ProcessData"]
    second = by_name(steps)
    assert second["ProcessData"]["CacheHitResult"] == {"SourcePipelineExecutionArn": run1}
    assert second["ProcessData"]["Metadata"] == first["ProcessData"]["Metadata"]
    assert "CacheHitResult" not in second["TrainModel"]
    retrained = second["TrainModel"]["Metadata"]["TrainingJob"]["Arn"].split("/")[-1]
    assert retrained != training_name
    assert sagemaker.describe_training_job(TrainingJobName=retrained)["HyperParameters"]["max_depth"] == "3"
    assert second["CheckAccuracy"]["Metadata"] == {"Condition": {"Outcome": "False"}}
    packages = sagemaker.list_model_packages(ModelPackageGroupName="your-name-customer-churn-models")["ModelPackageSummaryList"]
    assert [p["ModelPackageVersion"] for p in packages] == [1]

    # Run 3: run 1's parameters; processing and training come from run 1, evaluation runs on its model.
    _, status, steps = pipeline_v2.run(pipeline, pipeline_v2.RUN_1, "Run 3")
    assert status["PipelineExecutionStatus"] == "Succeeded", steps
    third = by_name(steps)
    for name in ("ProcessData", "TrainModel"):
        assert third[name]["CacheHitResult"] == {"SourcePipelineExecutionArn": run1}
        assert third[name]["Metadata"] == first[name]["Metadata"]
    assert "CacheHitResult" not in third["EvaluateModel"]
    assert third["EvaluateModel"]["Metadata"] != first["EvaluateModel"]["Metadata"]
    assert third["RegisterModel-RegisterModel"]["Metadata"]["RegisterModel"]["Arn"].endswith("/your-name-customer-churn-models/2")
    printed = capsys.readouterr().out
    assert printed.count(f"cache hit of {run1}") == 3  # run 2's ProcessData, run 3's ProcessData and TrainModel
    assert_only_endpoint(contacted_hosts)


def test_validation_shows_the_servers_errors(pipeline_v2, session_and_data, capsys):
    """What CreatePipeline checks, as the sample's validate() shows it: a JsonGet naming a property file its step
    does not have (a typo), and a parameter the steps use but the pipeline does not declare."""
    from sagemaker.workflow.condition_step import ConditionStep
    from sagemaker.workflow.conditions import ConditionGreaterThan
    from sagemaker.workflow.functions import JsonGet
    from sagemaker.workflow.pipeline import Pipeline

    session, raw = session_and_data
    seed = pipeline_v2.build_pipeline(session, raw, name=unique("churn-broken"))
    threshold = next(p for p in seed.parameters if p.name == "AccuracyThreshold")
    typo = ConditionStep(name="CheckAccuracy", if_steps=[], else_steps=[], conditions=[ConditionGreaterThan(
        left=JsonGet(step_name="EvaluateModel", property_file="EvaluationReports",
                     json_path="binary_classification_metrics.accuracy.value"), right=threshold)])
    with pytest.raises(ClientError) as raised:
        pipeline_v2.validate(Pipeline(name=unique("churn-broken"), parameters=seed.parameters,
                                      steps=seed.steps[:3] + [typo], sagemaker_session=session))
    assert raised.value.response["Error"]["Code"] == "ValidationException"
    message = raised.value.response["Error"]["Message"]
    assert message == ("Unable to parse pipeline definition: Step 'CheckAccuracy': Get "
                       "'Steps.EvaluateModel.PropertyFiles.EvaluationReports' names no property file of step 'EvaluateModel'.")
    assert f"The pipeline definition was refused: {message}" in capsys.readouterr().err

    # MaxDepth is used by the training step's hyperparameters but not declared.
    undeclared = Pipeline(name=unique("churn-broken"), parameters=[p for p in seed.parameters if p.name != "MaxDepth"],
                          steps=seed.steps, sagemaker_session=session)
    with pytest.raises(ClientError) as raised:
        pipeline_v2.validate(undeclared)
    assert raised.value.response["Error"]["Message"] == (
        "Unable to parse pipeline definition: Step 'TrainModel': Get 'Parameters.MaxDepth' names a parameter that "
        "the pipeline does not declare.")
    with pytest.raises(ClientError):
        boto3.client("sagemaker").describe_pipeline(PipelineName=undeclared.name)
