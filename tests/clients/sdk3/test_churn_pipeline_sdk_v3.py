"""samples/churn-pipeline/pipeline_v3.py (seed 002 in the SDK v3's spelling: sagemaker.mlops.workflow,
sagemaker.core's FrameworkProcessor, ModelTrainer, ModelBuilder) against a real `sagebox serve`, with the v2
test's checks: three runs that register, skip registering while re-running only training, and take processing
and training from the cache.

v3 differences the checks follow: a ModelStep's sub-step is listed under the ModelStep's own name
(`CreateModel`, `RegisterModel`; v2 lists `CreateModel-CreateModel`); ModelTrainer writes a parameter into
HyperParameters as a bare `{"Get": "Parameters.MaxDepth"}` (v2 wraps it in a Std:Join), which the service
passes to CreateTrainingJob as its text."""
import boto3
import pytest

from churn_pipeline_checks import check_definition, check_three_runs, import_sample
from churn_sample import generate_data
from conftest import sdk_config, unique
from host_audit import assert_only_endpoint, contacted_hosts  # noqa: F401 (a fixture)


@pytest.fixture(scope="module")
def pipeline_v3(server, tmp_path_factory):
    """The sample's module, imported with the SDK's config in force (telemetry off)."""
    with sdk_config(tmp_path_factory.mktemp("sagemaker-config"), unique("churn-pipe-v3-config")):
        yield import_sample("pipeline_v3")


def test_seed_002_v3_three_runs_register_skip_and_hit_the_cache(pipeline_v3, tmp_path, capsys, contacted_hosts):
    from sagemaker.core.workflow.pipeline_context import PipelineSession

    session = PipelineSession(boto_session=boto3.Session(region_name="us-east-1"), default_bucket=unique("churn-pipe-v3"))
    pipeline = pipeline_v3.build_pipeline(session, pipeline_v3.upload_raw_data(session, generate_data(tmp_path)))
    assert pipeline.name == "your-name-customer-churn-pipeline"
    arguments = check_definition(pipeline_v3.validate(pipeline))
    assert arguments["TrainModel"]["HyperParameters"]["max_depth"] == {"Get": "Parameters.MaxDepth"}
    assert "Upserted arn:aws:sagemaker:us-east-1:000000000000:pipeline/your-name-customer-churn-pipeline" in capsys.readouterr().out

    run1 = check_three_runs(pipeline_v3, pipeline, boto3.client("sagemaker"), boto3.client("s3"),
                            create="CreateModel", register="RegisterModel")
    assert capsys.readouterr().out.count(f"cache hit of {run1}") == 3
    assert_only_endpoint(contacted_hosts)
