#!/usr/bin/env python3
"""Seed 002's notebook as a script, with the SageMaker Python SDK v2 (`sagemaker` 2.x) and its PipelineSession.

    ProcessData (XGBoostProcessor, preprocessing.py) → TrainModel (Estimator, built-in XGBoost 1.7-1)
    → EvaluateModel (XGBoostProcessor, evaluate.py, PropertyFile EvaluationReport)
    → CheckAccuracy (ConditionStep: accuracy > AccuracyThreshold)
        → CreateModel (ModelStep, model.create) and RegisterModel (ModelStep, model.register with metrics)

Against `sagebox serve` nothing changes but the endpoint, dummy credentials and the default bucket
(see README.md):

    AWS_ENDPOINT_URL=http://127.0.0.1:9000 AWS_ACCESS_KEY_ID=x AWS_SECRET_ACCESS_KEY=x \\
    AWS_DEFAULT_REGION=us-east-1 python3 pipeline_v2.py --bucket lab

It validates the definition (`json.loads(pipeline.definition())`, then CreatePipeline/UpdatePipeline, which
check it and answer a ValidationException naming what is wrong), then runs it three times:
  1. the seed's start parameters: accuracy passes the threshold, the model is created and registered;
  2. MaxDepth changed and a threshold no model reaches (accuracy > 1.0): ProcessData hits the cache,
     TrainModel re-runs, nothing is registered;
  3. run 1's parameters again: ProcessData and TrainModel hit the cache (CacheHitResult).
"""
import sys

from sagemaker import image_uris
from sagemaker.estimator import Estimator
from sagemaker.inputs import TrainingInput
from sagemaker.model import Model
from sagemaker.model_metrics import MetricsSource, ModelMetrics
from sagemaker.processing import ProcessingInput, ProcessingOutput
from sagemaker.workflow.condition_step import ConditionStep
from sagemaker.workflow.conditions import ConditionGreaterThan
from sagemaker.workflow.functions import Join, JsonGet
from sagemaker.workflow.model_step import ModelStep
from sagemaker.workflow.parameters import ParameterFloat, ParameterInteger, ParameterString
from sagemaker.workflow.pipeline import Pipeline
from sagemaker.workflow.pipeline_context import PipelineSession
from sagemaker.workflow.properties import PropertyFile
from sagemaker.workflow.steps import CacheConfig, ProcessingStep, TrainingStep
from sagemaker.xgboost.processing import XGBoostProcessor

from churn_runs import (HERE, MODEL_PACKAGE_GROUP, PIPELINE_NAME, REGION, ROLE, RUN_1, RUN_2, XGBOOST_VERSION,  # noqa: F401
                        generate_raw_data, main, run, upload_raw_data, validate)


def build_pipeline(session, raw_data_uri, role=ROLE, name=PIPELINE_NAME, model_package_group=MODEL_PACKAGE_GROUP):
    """The seed's pipeline: its parameters, steps and names."""
    bucket = session.default_bucket()
    xgboost_image_uri = image_uris.retrieve("xgboost", REGION, XGBOOST_VERSION)

    # Parameters, every one with a default (the seed's "Pipeline validation fails" issue).
    processing_instance_type = ParameterString(name="ProcessingInstanceType", default_value="ml.m5.xlarge")
    training_instance_type = ParameterString(name="TrainingInstanceType", default_value="ml.m5.xlarge")
    train_test_split = ParameterFloat(name="TrainTestSplit", default_value=0.7)
    max_depth = ParameterInteger(name="MaxDepth", default_value=5)
    num_round = ParameterInteger(name="NumRound", default_value=50)
    eta = ParameterFloat(name="Eta", default_value=0.2)
    accuracy_threshold = ParameterFloat(name="AccuracyThreshold", default_value=0.7)
    input_data = ParameterString(name="InputData", default_value=raw_data_uri)
    cache_config = CacheConfig(enable_caching=True, expire_after="PT1H")

    # Part 2: data processing (XGBoostProcessor: the framework's image, source_dir with requirements.txt).
    processor = XGBoostProcessor(
        framework_version=XGBOOST_VERSION, role=role, instance_count=1, instance_type=processing_instance_type,
        base_job_name="churn-process", sagemaker_session=session)
    step_args = processor.run(
        code="preprocessing.py",
        source_dir=str(HERE),
        inputs=[ProcessingInput(source=input_data, destination="/opt/ml/processing/input")],
        outputs=[ProcessingOutput(output_name=split, source=f"/opt/ml/processing/output/{split}")
                 for split in ("train", "validation", "test")],
        arguments=["--train-test-split", train_test_split.to_string()],
    )
    step_process = ProcessingStep(name="ProcessData", step_args=step_args, cache_config=cache_config)

    # Part 3: training, the built-in XGBoost through the generic Estimator, fed by the step's properties.
    estimator = Estimator(
        image_uri=xgboost_image_uri, role=role, instance_count=1, instance_type=training_instance_type,
        output_path=f"s3://{bucket}/{name}/model", base_job_name="churn-train", sagemaker_session=session)
    estimator.set_hyperparameters(objective="binary:logistic", eval_metric="logloss",
                                  max_depth=max_depth, num_round=num_round, eta=eta)
    outputs = step_process.properties.ProcessingOutputConfig.Outputs
    step_train = TrainingStep(name="TrainModel", cache_config=cache_config, step_args=estimator.fit({
        "train": TrainingInput(s3_data=outputs["train"].S3Output.S3Uri, content_type="text/csv"),
        "validation": TrainingInput(s3_data=outputs["validation"].S3Output.S3Uri, content_type="text/csv"),
    }))

    # Part 4: evaluation, with the report as a PropertyFile.
    evaluation_report = PropertyFile(name="EvaluationReport", output_name="evaluation", path="evaluation.json")
    evaluator = XGBoostProcessor(
        framework_version=XGBOOST_VERSION, role=role, instance_count=1, instance_type=processing_instance_type,
        base_job_name="churn-evaluate", sagemaker_session=session)
    step_eval = ProcessingStep(name="EvaluateModel", property_files=[evaluation_report], step_args=evaluator.run(
        code="evaluate.py",
        source_dir=str(HERE),
        inputs=[ProcessingInput(source=step_train.properties.ModelArtifacts.S3ModelArtifacts,
                                destination="/opt/ml/processing/model"),
                ProcessingInput(source=outputs["test"].S3Output.S3Uri, destination="/opt/ml/processing/test")],
        outputs=[ProcessingOutput(output_name="evaluation", source="/opt/ml/processing/evaluation")],
    ))

    # Part 5: a deployable model, and its registration with the evaluation's metrics.
    model = Model(image_uri=xgboost_image_uri, model_data=step_train.properties.ModelArtifacts.S3ModelArtifacts,
                  role=role, sagemaker_session=session)
    step_create_model = ModelStep(name="CreateModel", step_args=model.create(instance_type="ml.m5.large"))
    model_metrics = ModelMetrics(model_statistics=MetricsSource(
        s3_uri=Join(on="/", values=[
            step_eval.properties.ProcessingOutputConfig.Outputs["evaluation"].S3Output.S3Uri, "evaluation.json"]),
        content_type="application/json"))
    step_register = ModelStep(name="RegisterModel", step_args=model.register(
        content_types=["text/csv"], response_types=["text/csv"], inference_instances=["ml.m5.large"],
        transform_instances=["ml.m5.large"], model_package_group_name=model_package_group,
        approval_status="PendingManualApproval", model_metrics=model_metrics))

    # Bonus: register only when the accuracy passes the threshold.
    step_condition = ConditionStep(
        name="CheckAccuracy",
        conditions=[ConditionGreaterThan(
            left=JsonGet(step_name=step_eval.name, property_file=evaluation_report,
                         json_path="binary_classification_metrics.accuracy.value"),
            right=accuracy_threshold)],
        if_steps=[step_create_model, step_register], else_steps=[])

    return Pipeline(
        name=name,
        parameters=[processing_instance_type, training_instance_type, train_test_split, max_depth, num_round, eta,
                    accuracy_threshold, input_data],
        steps=[step_process, step_train, step_eval, step_condition],
        sagemaker_session=session)

if __name__ == "__main__":
    sys.exit(main(__doc__.splitlines()[0], PipelineSession, build_pipeline))
