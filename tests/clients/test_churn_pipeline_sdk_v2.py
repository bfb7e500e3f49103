"""samples/churn-pipeline/pipeline_v2.py (seed 002 verbatim, SDK v2) against a real `sagebox serve`: the sample's
own build_pipeline, validate and run, as its main() calls them, with the seed's pipeline name. Three runs:
run 1 registers the model, run 2 (MaxDepth 3, a threshold no accuracy passes) re-runs training only and
registers nothing, run 3 (run 1's parameters) takes processing and training from the cache."""
import boto3
import pytest
from botocore.exceptions import ClientError

from churn_pipeline_checks import check_definition, check_three_runs, import_sample
from churn_sample import generate_data
from conftest import sagemaker_sdk, unique
from host_audit import assert_only_endpoint, contacted_hosts  # noqa: F401 (a fixture)


@pytest.fixture(scope="module")
def pipeline_v2(server, tmp_path_factory):
    """The sample's module, imported with the SDK's config in force (telemetry off)."""
    with sagemaker_sdk(tmp_path_factory.mktemp("sagemaker-config"), unique("churn-pipe-config")):
        yield import_sample("pipeline_v2")


@pytest.fixture(scope="module")
def session_and_data(pipeline_v2, tmp_path_factory):
    from sagemaker.workflow.pipeline_context import PipelineSession
    session = PipelineSession(boto_session=boto3.Session(region_name="us-east-1"), default_bucket=unique("churn-pipe"))
    return session, pipeline_v2.upload_raw_data(session, generate_data(tmp_path_factory.mktemp("churn")))


def test_seed_002_three_runs_register_skip_and_hit_the_cache(pipeline_v2, session_and_data, capsys, contacted_hosts):
    session, raw = session_and_data
    pipeline = pipeline_v2.build_pipeline(session, raw)
    assert pipeline.name == "your-name-customer-churn-pipeline"
    arguments = check_definition(pipeline_v2.validate(pipeline))
    # The seed's `parameter.to_string()`: a Std:Join of the parameter.
    assert arguments["ProcessData"]["AppSpecification"]["ContainerArguments"] == [
        "--train-test-split", {"Std:Join": {"On": "", "Values": [{"Get": "Parameters.TrainTestSplit"}]}}]
    assert "Upserted arn:aws:sagemaker:us-east-1:000000000000:pipeline/your-name-customer-churn-pipeline" in capsys.readouterr().out

    run1 = check_three_runs(pipeline_v2, pipeline, boto3.client("sagemaker"), boto3.client("s3"),
                            create="CreateModel-CreateModel", register="RegisterModel-RegisterModel")
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
