#!/usr/bin/env python3
"""Seed 002's notebook as a script, with the SageMaker Python SDK v3 (`sagemaker` 3.x: sagemaker-core,
sagemaker-train, sagemaker-serve, sagemaker-mlops): the same pipeline, names, parameters and runs as
pipeline_v2.py, in v3's spelling.

What v3 changes from the seed's v2 calls:
- the pipeline classes are in `sagemaker.mlops.workflow` (Pipeline, ProcessingStep, TrainingStep, CacheConfig,
  ConditionStep, ModelStep) and `sagemaker.core.workflow` (PipelineSession, parameters, PropertyFile, Join,
  JsonGet, conditions);
- `XGBoostProcessor` is gone: v3's `sagemaker.core.processing.FrameworkProcessor` given the XGBoost image and
  `command=["python3"]` is the same framework processor (source_dir bundle, runproc.sh, requirements.txt);
  ProcessingInput/ProcessingOutput are the API shapes of `sagemaker.core.shapes`;
- `Estimator(...).fit({"train": TrainingInput(...)})` is `ModelTrainer(...).train(input_data_config=[InputData(
  channel_name="train", data_source=..., content_type="text/csv"), ...])`;
- `Model(...).create()` / `.register()` is `ModelBuilder(image_uri=..., s3_model_data_url=...).build()` /
  `.register()`.

    AWS_ENDPOINT_URL=http://127.0.0.1:9000 AWS_ACCESS_KEY_ID=x AWS_SECRET_ACCESS_KEY=x \\
    AWS_DEFAULT_REGION=us-east-1 .venv-sdk3/bin/python pipeline_v3.py --bucket lab
"""
import sys

from sagemaker.core import image_uris
from sagemaker.core.model_metrics import MetricsSource, ModelMetrics
from sagemaker.core.processing import FrameworkProcessor
from sagemaker.core.shapes import ProcessingInput, ProcessingOutput, ProcessingS3Input, ProcessingS3Output
from sagemaker.core.workflow.conditions import ConditionGreaterThan
from sagemaker.core.workflow.functions import Join, JsonGet
from sagemaker.core.workflow.parameters import ParameterFloat, ParameterInteger, ParameterString
from sagemaker.core.workflow.pipeline_context import PipelineSession
from sagemaker.core.workflow.properties import PropertyFile
from sagemaker.mlops.workflow.condition_step import ConditionStep
from sagemaker.mlops.workflow.model_step import ModelStep
from sagemaker.mlops.workflow.pipeline import Pipeline
from sagemaker.mlops.workflow.steps import CacheConfig, ProcessingStep, TrainingStep
from sagemaker.serve.model_builder import ModelBuilder
from sagemaker.train import ModelTrainer
from sagemaker.train.configs import Compute, InputData, OutputDataConfig

from churn_runs import (HERE, MODEL_PACKAGE_GROUP, PIPELINE_NAME, REGION, ROLE, RUN_1, RUN_2, XGBOOST_VERSION,  # noqa: F401
                        generate_raw_data, main, run, upload_raw_data, validate)


def processing_input(name, source, destination):
    return ProcessingInput(input_name=name, s3_input=ProcessingS3Input(
        s3_uri=source, local_path=destination, s3_data_type="S3Prefix", s3_input_mode="File"))


def processing_output(name, source):
    # An s3_uri that is not s3:// makes the SDK choose s3://<bucket>/<pipeline>/<execution>/<step>/output/<name>.
    return ProcessingOutput(output_name=name, s3_output=ProcessingS3Output(
        s3_uri=source, local_path=source, s3_upload_mode="EndOfJob"))


def build_pipeline(session, raw_data_uri, role=ROLE, name=PIPELINE_NAME, model_package_group=MODEL_PACKAGE_GROUP):
    """The seed's pipeline in v3's spelling: the same parameters, steps and names as pipeline_v2.py."""
    bucket = session.default_bucket()
    xgboost_image_uri = image_uris.retrieve("xgboost", REGION, XGBOOST_VERSION)

    processing_instance_type = ParameterString(name="ProcessingInstanceType", default_value="ml.m5.xlarge")
    training_instance_type = ParameterString(name="TrainingInstanceType", default_value="ml.m5.xlarge")
    train_test_split = ParameterFloat(name="TrainTestSplit", default_value=0.7)
    max_depth = ParameterInteger(name="MaxDepth", default_value=5)
    num_round = ParameterInteger(name="NumRound", default_value=50)
    eta = ParameterFloat(name="Eta", default_value=0.2)
    accuracy_threshold = ParameterFloat(name="AccuracyThreshold", default_value=0.7)
    input_data = ParameterString(name="InputData", default_value=raw_data_uri)
    cache_config = CacheConfig(enable_caching=True, expire_after="PT1H")

    processor = FrameworkProcessor(
        image_uri=xgboost_image_uri, command=["python3"], role=role, instance_count=1,
        instance_type=processing_instance_type, base_job_name="churn-process", sagemaker_session=session)
    step_args = processor.run(
        code="preprocessing.py",
        source_dir=str(HERE),
        inputs=[processing_input("input-1", input_data, "/opt/ml/processing/input")],
        outputs=[processing_output(split, f"/opt/ml/processing/output/{split}") for split in ("train", "validation", "test")],
        arguments=["--train-test-split", train_test_split.to_string()],
    )
    step_process = ProcessingStep(name="ProcessData", step_args=step_args, cache_config=cache_config)

    trainer = ModelTrainer(
        training_image=xgboost_image_uri, role=role, base_job_name="churn-train", sagemaker_session=session,
        compute=Compute(instance_type=training_instance_type, instance_count=1),
        output_data_config=OutputDataConfig(s3_output_path=f"s3://{bucket}/{name}/model"),
        hyperparameters={"objective": "binary:logistic", "eval_metric": "logloss",
                         "max_depth": max_depth, "num_round": num_round, "eta": eta})
    outputs = step_process.properties.ProcessingOutputConfig.Outputs
    step_train = TrainingStep(name="TrainModel", cache_config=cache_config, step_args=trainer.train(input_data_config=[
        InputData(channel_name="train", data_source=outputs["train"].S3Output.S3Uri, content_type="text/csv"),
        InputData(channel_name="validation", data_source=outputs["validation"].S3Output.S3Uri, content_type="text/csv"),
    ]))

    evaluation_report = PropertyFile(name="EvaluationReport", output_name="evaluation", path="evaluation.json")
    evaluator = FrameworkProcessor(
        image_uri=xgboost_image_uri, command=["python3"], role=role, instance_count=1,
        instance_type=processing_instance_type, base_job_name="churn-evaluate", sagemaker_session=session)
    step_eval = ProcessingStep(name="EvaluateModel", property_files=[evaluation_report], step_args=evaluator.run(
        code="evaluate.py",
        source_dir=str(HERE),
        inputs=[processing_input("model", step_train.properties.ModelArtifacts.S3ModelArtifacts, "/opt/ml/processing/model"),
                processing_input("test", outputs["test"].S3Output.S3Uri, "/opt/ml/processing/test")],
        outputs=[processing_output("evaluation", "/opt/ml/processing/evaluation")],
    ))

    def model_builder():
        # One builder per step: ModelBuilder warns that a reused builder may not build again.
        return ModelBuilder(image_uri=xgboost_image_uri, s3_model_data_url=step_train.properties.ModelArtifacts.S3ModelArtifacts,
                            role_arn=role, sagemaker_session=session)

    step_create_model = ModelStep(name="CreateModel", step_args=model_builder().build())
    model_metrics = ModelMetrics(model_statistics=MetricsSource(
        s3_uri=Join(on="/", values=[
            step_eval.properties.ProcessingOutputConfig.Outputs["evaluation"].S3Output.S3Uri, "evaluation.json"]),
        content_type="application/json"))
    step_register = ModelStep(name="RegisterModel", step_args=model_builder().register(
        content_types=["text/csv"], response_types=["text/csv"], inference_instances=["ml.m5.large"],
        transform_instances=["ml.m5.large"], model_package_group_name=model_package_group,
        approval_status="PendingManualApproval", model_metrics=model_metrics))

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
