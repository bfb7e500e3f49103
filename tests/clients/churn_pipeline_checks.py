"""The checks test_churn_pipeline_sdk_v2 and sdk3/test_churn_pipeline_sdk_v3 share: samples/churn-pipeline's three
runs (churn_runs.RUNS) against the server, with what each must show. `sample` is pipeline_v2 or pipeline_v3;
`create` and `register` are the names the SDK lists its ModelStep sub-steps under."""
import json
import sys

from churn_sample import REPO

SAMPLE = REPO / "samples" / "churn-pipeline"
METRICS = ["accuracy", "precision", "recall", "f1", "roc_auc"]
GROUP = "your-name-customer-churn-models"


def import_sample(name):
    """samples/churn-pipeline/<name>.py as a module."""
    sys.path.insert(0, str(SAMPLE))
    try:
        return __import__(name)
    finally:
        sys.path.remove(str(SAMPLE))


def by_name(steps):
    return {step["StepName"]: step for step in steps}


def report_of(sagemaker, s3, evaluation_job_arn):
    """evaluation.json as the evaluation job wrote it."""
    job = sagemaker.describe_processing_job(ProcessingJobName=evaluation_job_arn.split("/")[-1])
    uri = next(o for o in job["ProcessingOutputConfig"]["Outputs"] if o["OutputName"] == "evaluation")["S3Output"]["S3Uri"]
    bucket, key = uri.removeprefix("s3://").split("/", 1)
    return json.loads(s3.get_object(Bucket=bucket, Key=f"{key.rstrip('/')}/evaluation.json")["Body"].read())


def check_three_runs(sample, pipeline, sagemaker, s3, create, register):
    """Runs 1-3 and their checks; returns the three step listings (newest first)."""
    # Run 1: the seed's start parameters; accuracy passes 0.7, the model is created and registered.
    _, status, steps = sample.run(pipeline, sample.RUN_1, "Run 1")
    assert status["PipelineExecutionStatus"] == "Succeeded", steps
    run1 = status["PipelineExecutionArn"]
    assert [s["StepName"] for s in steps] == [register, create, "CheckAccuracy", "EvaluateModel", "TrainModel", "ProcessData"]
    assert [s["StartTime"] for s in steps] == sorted((s["StartTime"] for s in steps), reverse=True)
    assert {s["StepStatus"] for s in steps} == {"Succeeded"} and not any("CacheHitResult" in s for s in steps)
    first = by_name(steps)
    for name in ("ProcessData", "EvaluateModel"):
        assert ":processing-job/pipelines-" in first[name]["Metadata"]["ProcessingJob"]["Arn"]
    assert first["CheckAccuracy"]["Metadata"] == {"Condition": {"Outcome": "True"}}
    assert ":model/pipelines-" in first[create]["Metadata"]["Model"]["Arn"]
    package_arn = first[register]["Metadata"]["RegisterModel"]["Arn"]
    assert package_arn.endswith(f":model-package/{GROUP}/1")
    training = sagemaker.describe_training_job(TrainingJobName=first["TrainModel"]["Metadata"]["TrainingJob"]["Arn"].split("/")[-1])
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

    # Run 2: MaxDepth changes the training step's cache key only; nothing passes accuracy > 1.0.
    _, status, steps = sample.run(pipeline, sample.RUN_2, "Run 2")
    assert status["PipelineExecutionStatus"] == "Succeeded", steps
    assert [s["StepName"] for s in steps] == ["CheckAccuracy", "EvaluateModel", "TrainModel", "ProcessData"]
    second = by_name(steps)
    assert second["ProcessData"]["CacheHitResult"] == {"SourcePipelineExecutionArn": run1}
    assert second["ProcessData"]["Metadata"] == first["ProcessData"]["Metadata"]
    assert "CacheHitResult" not in second["TrainModel"]
    retrained = second["TrainModel"]["Metadata"]["TrainingJob"]["Arn"].split("/")[-1]
    assert retrained != training["TrainingJobName"]
    assert sagemaker.describe_training_job(TrainingJobName=retrained)["HyperParameters"]["max_depth"] == "3"
    assert second["CheckAccuracy"]["Metadata"] == {"Condition": {"Outcome": "False"}}
    assert [p["ModelPackageVersion"] for p in
            sagemaker.list_model_packages(ModelPackageGroupName=GROUP)["ModelPackageSummaryList"]] == [1]

    # Run 3: run 1's parameters; processing and training come from run 1, evaluation runs on its model.
    _, status, steps = sample.run(pipeline, sample.RUN_1, "Run 3")
    assert status["PipelineExecutionStatus"] == "Succeeded", steps
    third = by_name(steps)
    for name in ("ProcessData", "TrainModel"):
        assert third[name]["CacheHitResult"] == {"SourcePipelineExecutionArn": run1}
        assert third[name]["Metadata"] == first[name]["Metadata"]
    assert "CacheHitResult" not in third["EvaluateModel"]
    assert third["EvaluateModel"]["Metadata"] != first["EvaluateModel"]["Metadata"]
    assert third[register]["Metadata"]["RegisterModel"]["Arn"].endswith(f"/{GROUP}/2")
    return run1


def check_definition(definition):
    """The seed's processing step as the framework processor writes it, and the seed's parameters."""
    process = next(step for step in definition["Steps"] if step["Name"] == "ProcessData")["Arguments"]
    assert process["AppSpecification"]["ImageUri"].endswith("/sagemaker-xgboost:1.7-1")
    assert process["AppSpecification"]["ContainerEntrypoint"] == ["/bin/bash", "/opt/ml/processing/input/entrypoint/runproc.sh"]
    assert process["AppSpecification"]["ContainerArguments"][0] == "--train-test-split"
    assert {p["Name"] for p in definition["Parameters"]} >= {
        "ProcessingInstanceType", "TrainingInstanceType", "TrainTestSplit", "MaxDepth", "NumRound", "Eta", "AccuracyThreshold"}
    return {step["Name"]: step["Arguments"] for step in definition["Steps"]}
