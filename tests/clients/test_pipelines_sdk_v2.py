"""Seed 002's pipeline with the SageMaker Python SDK v2 against a real `sagebox serve`: a PipelineSession,
ParameterString/Integer/Float, a ProcessingStep (ScriptProcessor running the churn sample's preprocessing.py),
a TrainingStep (the built-in XGBoost 1.7-1 Estimator), an evaluation ProcessingStep with a PropertyFile, a
ConditionStep on its accuracy, ModelStep create and register, and a FailStep; `pipeline.upsert()`,
`pipeline.start(parameters=...)`, `execution.wait(delay=1)`, `execution.list_steps()`."""
import json

import boto3
import pytest

from churn_sample import PREPROCESSING, generate_data
from conftest import sagemaker_sdk, unique
from host_audit import assert_only_endpoint, contacted_hosts  # noqa: F401 (a fixture)
from test_training_sdk_v2 import EVALUATE

ROLE = "arn:aws:iam::000000000000:role/SageMakerRole"


@pytest.fixture(scope="module")
def sdk(server, tmp_path_factory):
    with sagemaker_sdk(tmp_path_factory.mktemp("sagemaker-config"), unique("sdk-pipe-config")) as sagemaker:
        import sagemaker.workflow.pipeline_context  # noqa: F401 (the submodules the test uses)
        yield sagemaker


def churn_pipeline(sdk, session, name, raw_data, group):
    from sagemaker.estimator import Estimator
    from sagemaker.inputs import TrainingInput
    from sagemaker.model import Model
    from sagemaker.model_metrics import MetricsSource, ModelMetrics
    from sagemaker.processing import ProcessingInput, ProcessingOutput, ScriptProcessor
    from sagemaker.workflow.condition_step import ConditionStep
    from sagemaker.workflow.conditions import ConditionGreaterThanOrEqualTo
    from sagemaker.workflow.fail_step import FailStep
    from sagemaker.workflow.functions import Join, JsonGet
    from sagemaker.workflow.model_step import ModelStep
    from sagemaker.workflow.parameters import ParameterFloat, ParameterInteger, ParameterString
    from sagemaker.workflow.pipeline import Pipeline
    from sagemaker.workflow.properties import PropertyFile
    from sagemaker.workflow.steps import ProcessingStep, TrainingStep

    xgboost_image = sdk.image_uris.retrieve("xgboost", "us-east-1", "1.7-1")
    instance_type = ParameterString(name="ProcessingInstanceType", default_value="ml.m5.xlarge")
    split = ParameterFloat(name="TrainTestSplit", default_value=0.7)
    max_depth = ParameterInteger(name="MaxDepth", default_value=5)
    threshold = ParameterFloat(name="AccuracyThreshold", default_value=0.6)

    processor = ScriptProcessor(image_uri="sagebox/python:3", command=["python3"], role=ROLE, instance_count=1,
                                instance_type=instance_type, base_job_name="churn-prep", sagemaker_session=session)
    step_process = ProcessingStep(name="ChurnProcess", step_args=processor.run(
        code=str(PREPROCESSING),
        inputs=[ProcessingInput(source=raw_data, destination="/opt/ml/processing/input/data")],
        outputs=[ProcessingOutput(output_name=s, source=f"/opt/ml/processing/output/{s}") for s in ("train", "validation", "test")],
        arguments=["--train-test-split", split.to_string()]))

    estimator = Estimator(image_uri=xgboost_image, role=ROLE, instance_count=1, instance_type="ml.m5.large",
                          output_path=f"s3://{session.default_bucket()}/churn/model", sagemaker_session=session,
                          hyperparameters={"objective": "binary:logistic", "num_round": 20, "max_depth": max_depth,
                                           "eta": 0.2, "eval_metric": "logloss"})
    outputs = step_process.properties.ProcessingOutputConfig.Outputs
    step_train = TrainingStep(name="ChurnTrain", step_args=estimator.fit({
        channel: TrainingInput(s3_data=outputs[channel].S3Output.S3Uri, content_type="text/csv")
        for channel in ("train", "validation")}))

    evaluation_report = PropertyFile(name="EvaluationReport", output_name="evaluation", path="evaluation.json")
    evaluator = ScriptProcessor(image_uri=xgboost_image, command=["python3"], role=ROLE, instance_count=1,
                                instance_type="ml.m5.large", base_job_name="churn-eval", sagemaker_session=session)
    evaluate_code = session.upload_string_as_file_body(EVALUATE, session.default_bucket(), f"{name}/code/evaluate.py")
    step_eval = ProcessingStep(name="ChurnEval", property_files=[evaluation_report], step_args=evaluator.run(
        code=evaluate_code,
        inputs=[ProcessingInput(source=step_train.properties.ModelArtifacts.S3ModelArtifacts, destination="/opt/ml/processing/model"),
                ProcessingInput(source=outputs["test"].S3Output.S3Uri, destination="/opt/ml/processing/test")],
        outputs=[ProcessingOutput(output_name="evaluation", source="/opt/ml/processing/evaluation")]))

    model = Model(image_uri=xgboost_image, model_data=step_train.properties.ModelArtifacts.S3ModelArtifacts,
                  role=ROLE, sagemaker_session=session)
    step_create = ModelStep(name="ChurnModel", step_args=model.create(instance_type="ml.m5.large"))
    metrics = ModelMetrics(model_statistics=MetricsSource(
        s3_uri=Join(on="/", values=[step_eval.properties.ProcessingOutputConfig.Outputs["evaluation"].S3Output.S3Uri,
                                    "evaluation.json"]), content_type="application/json"))
    step_register = ModelStep(name="ChurnRegister", step_args=model.register(
        content_types=["text/csv"], response_types=["text/csv"], inference_instances=["ml.m5.large"],
        transform_instances=["ml.m5.large"], model_package_group_name=group, approval_status="PendingManualApproval",
        model_metrics=metrics))
    step_fail = FailStep(name="AccuracyTooLow", error_message=Join(on=" ", values=["Accuracy below", threshold]))
    step_condition = ConditionStep(
        name="CheckAccuracy",
        conditions=[ConditionGreaterThanOrEqualTo(
            left=JsonGet(step_name=step_eval.name, property_file=evaluation_report,
                         json_path="binary_classification_metrics.accuracy.value"),
            right=threshold)],
        if_steps=[step_create, step_register], else_steps=[step_fail])
    return Pipeline(name=name, parameters=[instance_type, split, max_depth, threshold],
                    steps=[step_process, step_train, step_eval, step_condition], sagemaker_session=session)


def test_seed_002_pipeline_runs_end_to_end_and_its_else_branch_fails(sdk, tmp_path, contacted_hosts):
    from sagemaker.workflow.pipeline_context import PipelineSession

    session = PipelineSession(boto_session=boto3.Session(region_name="us-east-1"), default_bucket=unique("sdk-pipe"))
    raw_data = session.upload_data(str(generate_data(tmp_path)), key_prefix="churn/raw")
    name, group = unique("churn-pipeline"), unique("ChurnModels")
    pipeline = churn_pipeline(sdk, session, name, raw_data, group)
    assert pipeline.upsert(role_arn=ROLE)["PipelineArn"].endswith(f":pipeline/{name}")
    # A second upsert: Create says "already exists", the SDK updates (a new version).
    assert pipeline.upsert(role_arn=ROLE)["PipelineVersionId"] == 2

    execution = pipeline.start(parameters={"MaxDepth": 4, "ProcessingInstanceType": "ml.m5.large"})
    execution.wait(delay=1, max_attempts=600)
    steps = execution.list_steps()
    assert_only_endpoint(contacted_hosts)
    described = execution.describe()
    assert described["PipelineExecutionStatus"] == "Succeeded", steps
    assert [step["StepName"] for step in steps] == [
        "ChurnRegister-RegisterModel", "ChurnModel-CreateModel", "CheckAccuracy", "ChurnEval", "ChurnTrain", "ChurnProcess"]
    assert {step["StepStatus"] for step in steps} == {"Succeeded"}
    by_name = {step["StepName"]: step for step in steps}
    assert by_name["CheckAccuracy"]["Metadata"] == {"Condition": {"Outcome": "True"}}
    training_job = by_name["ChurnTrain"]["Metadata"]["TrainingJob"]["Arn"].split("/")[-1]
    sagemaker = boto3.client("sagemaker")
    training = sagemaker.describe_training_job(TrainingJobName=training_job)
    assert training["HyperParameters"]["max_depth"] == "4"
    package_arn = by_name["ChurnRegister-RegisterModel"]["Metadata"]["RegisterModel"]["Arn"]
    assert package_arn.endswith(f":model-package/{group.lower()}/1")
    package = sagemaker.describe_model_package(ModelPackageName=package_arn)
    assert package["InferenceSpecification"]["Containers"][0]["ModelDataUrl"] == training["ModelArtifacts"]["S3ModelArtifacts"]
    # The metrics point at the evaluation step's report (a Join of its output URI, evaluated at run time).
    evaluation_uri = package["ModelMetrics"]["ModelQuality"]["Statistics"]["S3Uri"]
    assert evaluation_uri.endswith("/evaluation.json") and "{" not in evaluation_uri
    bucket, key = evaluation_uri.removeprefix("s3://").split("/", 1)
    report = json.loads(boto3.client("s3").get_object(Bucket=bucket, Key=key)["Body"].read())
    accuracy = report["binary_classification_metrics"]["accuracy"]["value"]
    assert accuracy >= 0.6
    assert {p["Name"]: p["Value"] for p in execution.list_parameters()["PipelineParameters"]} == {
        "ProcessingInstanceType": "ml.m5.large", "TrainTestSplit": "0.7", "MaxDepth": "4", "AccuracyThreshold": "0.6"}

    # The same pipeline with an unreachable threshold: the Fail step ends it with the evaluated Join as its message.
    failing = pipeline.start(parameters={"AccuracyThreshold": 1.5})
    with pytest.raises(Exception) as raised:
        failing.wait(delay=1, max_attempts=600)
    assert "Waiter encountered a terminal failure state" in str(raised.value)
    failed_steps = failing.list_steps()
    assert failed_steps[0]["StepName"] == "AccuracyTooLow"
    assert failed_steps[0]["FailureReason"] == "Accuracy below 1.5"
    assert failing.describe()["FailureReason"] == "Step failure: One or multiple steps failed."
