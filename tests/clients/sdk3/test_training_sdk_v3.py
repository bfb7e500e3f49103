"""Seed 002's training step with the SDK v3 (`sagemaker` 3.x): the built-in XGBoost (`sagemaker-xgboost:1.7-1`)
trained by `ModelTrainer` on the churn sample's splits, with the SDK v2 test's checks (test_training_sdk_v2.py).

What v3 changes from the seed's v2 spelling (`Estimator(image_uri=retrieve("xgboost", region, "1.7-1"), role=,
instance_count=, instance_type=, output_path=, hyperparameters=, sagemaker_session=).fit({"train":
TrainingInput(s3_data=..., content_type="text/csv"), "validation": ...})`, then `.model_data`):
- `sagemaker.estimator.Estimator` and `sagemaker.inputs.TrainingInput` are gone; v3 trains with
  `sagemaker.train.ModelTrainer(training_image=..., hyperparameters=..., compute=Compute(instance_type=...,
  instance_count=1), output_data_config=OutputDataConfig(s3_output_path=...), role=..., sagemaker_session=...)`
  and `.train(input_data_config=[InputData(channel_name="train", data_source=<s3 uri>, content_type="text/csv"),
  ...], wait=True)`: the channels are a list of named InputData instead of a dict, and go to `train()`.
- `sagemaker.image_uris.retrieve` is `sagemaker.core.image_uris.retrieve` (same arguments, same URI).
- `.model_data` and `latest_training_job.describe()` are gone: the job is the sagemaker-core `TrainingJob`
  resource `trainer._latest_training_job` (a private attribute: v3 has no public accessor for it), or
  `TrainingJob.get(name)`; its `model_artifacts.s3_model_artifacts` is v2's model_data. The public
  `trainer.output_data` names `<output>/<job>/output/output.tar.gz`, the container's /opt/ml/output/data (the
  SDK does not check it exists: sagebox writes it only when that folder holds files, which XGBoost's does not).
- A Failed job makes `train(wait=True)` raise sagemaker-core's `FailedStatusError` (v2 raised
  `UnexpectedStatusException`), whose text carries the FailureReason.
- The job name is `<base_job_name>-<timestamp>`; without base_job_name v3 derives it from the image's
  repository (`sagemaker-xgboost-job-<timestamp>`).

SDK v3 quirks met: ModelTrainer validates its role when it is built (sagemaker.core.helper.iam_role_resolver):
iam:SimulatePrincipalPolicy on 11 actions (ecr:GetAuthorizationToken, cloudwatch:PutMetricData, ec2:...),
then iam:GetRole for the role's trust policy; an error code other than AccessDenied or NoSuchEntity raises, so sagebox
answers SimulatePrincipalPolicy (every action allowed; SAGEMAKER_VALIDATE_ROLE=false would skip the check).
`train(wait=True)` is sagemaker-core's `TrainingJob.wait(logs=True)`, which polls
DescribeTrainingJob every 5 s (its `poll` default; `train()` offers no way to change it), and prints the
container's log lines through the `sagemaker.core` logger, not stdout. So two tests use the SDK's own wait
(a job that Completes, one that Fails); the others call `train(wait=False)` and poll `TrainingJob.get(name).refresh()` every second.
"""
import io
import json
import tarfile
import time

import boto3
import pytest

from churn_sample import BAD_HYPERPARAMETERS, HYPERPARAMETERS, XGBOOST_IMAGE as IMAGE, preprocess
from conftest import end_of_job_output, file_input, job_request, sdk_config, unique, wait_for_job
from host_audit import assert_only_endpoint, contacted_hosts  # noqa: F401 (a fixture)

ROLE = "arn:aws:iam::000000000000:role/SageMakerRole"
REGION = "us-east-1"  # conftest's AWS_DEFAULT_REGION
CONFIG_BUCKET = unique("train-v3")


@pytest.fixture(scope="module")
def sdk(server, tmp_path_factory):
    """The SDK v3 with the test's config file in force (telemetry off, CONFIG_BUCKET as default bucket)."""
    with sdk_config(tmp_path_factory.mktemp("sagemaker-config"), CONFIG_BUCKET):
        import sagemaker.train
        import sagemaker.core.resources
        yield sagemaker


@pytest.fixture(scope="module")
def session(sdk):
    from sagemaker.core.helper.session_helper import Session
    return Session(boto_session=boto3.Session(region_name=REGION))


@pytest.fixture(scope="module")
def splits(session, s3, sagemaker, tmp_path_factory):
    bucket = session.default_bucket()
    return preprocess(s3, sagemaker, bucket, tmp_path_factory.mktemp("churn"), unique("churn-prep"))


def trainer(session, hyperparameters=HYPERPARAMETERS):
    """Seed 002's Estimator in v3's spelling (see the module's docstring)."""
    from sagemaker.core import image_uris
    from sagemaker.train import ModelTrainer
    from sagemaker.train.configs import Compute, OutputDataConfig

    return ModelTrainer(
        training_image=image_uris.retrieve("xgboost", REGION, "1.7-1"),
        hyperparameters=dict(hyperparameters),
        compute=Compute(instance_type="ml.m5.large", instance_count=1),
        output_data_config=OutputDataConfig(s3_output_path=f"s3://{session.default_bucket()}/churn/model"),
        role=ROLE,
        base_job_name="churn-xgboost",
        sagemaker_session=session,
    )


def channels(splits, names=("train", "validation"), content_type="text/csv"):
    from sagemaker.train.configs import InputData

    typed = {"content_type": content_type} if content_type else {}  # InputData refuses content_type=None
    return [InputData(channel_name=name, data_source=splits[name], **typed) for name in names]


def finished(job, timeout=60):
    """Polls the sagemaker-core TrainingJob every second until it ends; returns it."""
    deadline = time.time() + timeout
    while job.refresh().training_job_status not in ("Completed", "Failed", "Stopped"):
        assert time.time() < deadline, f"{job.training_job_name} still {job.training_job_status}"
        time.sleep(1)
    return job


EVALUATE = '''
import json, tarfile
import numpy as np, pandas as pd, xgboost
with tarfile.open("/opt/ml/processing/model/model.tar.gz") as tar:
    tar.extractall(path=".")
model = xgboost.Booster()
model.load_model("xgboost-model")
test = pd.read_csv("/opt/ml/processing/test/test.csv", header=None).to_numpy()
accuracy = float(((model.predict(xgboost.DMatrix(test[:, 1:])) > 0.5) == test[:, 0]).mean())
train = pd.read_csv("/opt/ml/processing/train/train.csv", header=None).to_numpy()
params = {"objective": "binary:logistic", "max_depth": 5, "eta": 0.2, "eval_metric": "logloss"}
plain = xgboost.train(params, xgboost.DMatrix(train[:, 1:], label=train[:, 0]), num_boost_round=50)
plain_accuracy = float(((plain.predict(xgboost.DMatrix(test[:, 1:])) > 0.5) == test[:, 0]).mean())
json.dump({"accuracy": accuracy, "plain_accuracy": plain_accuracy}, open("/opt/ml/processing/evaluation/evaluation.json", "w"))
'''


def evaluate(s3, sagemaker, bucket, model_data, splits):
    """EVALUATE as a processing job in the XGBoost image (boto3, its waiter every second); returns its JSON."""
    s3.put_object(Bucket=bucket, Key="churn/code/evaluate.py", Body=EVALUATE.encode())
    name = unique("churn-eval")
    sagemaker.create_processing_job(**job_request(
        name, "python3 /opt/ml/processing/code/evaluate.py", image=IMAGE,
        inputs=[file_input("code", f"s3://{bucket}/churn/code/evaluate.py", "/opt/ml/processing/code"),
                file_input("model", model_data, "/opt/ml/processing/model"),
                *(file_input(split, splits[split], f"/opt/ml/processing/{split}") for split in ("train", "test"))],
        outputs=[end_of_job_output("evaluation", f"s3://{bucket}/churn/evaluation/{name}", "/opt/ml/processing/evaluation")]))
    job = wait_for_job(sagemaker, name)
    assert job["ProcessingJobStatus"] == "Completed", job.get("FailureReason")
    return json.loads(read_object(s3, f"s3://{bucket}/churn/evaluation/{name}/evaluation.json"))


def read_object(s3, uri):
    bucket, key = uri.removeprefix("s3://").split("/", 1)
    return s3.get_object(Bucket=bucket, Key=key)["Body"].read()


def test_model_trainer_trains_the_built_in_xgboost_with_the_sdks_own_wait(sdk, session, splits, s3, sagemaker, caplog,
                                                                          contacted_hosts):
    model_trainer = trainer(session)
    with caplog.at_level("INFO"):
        model_trainer.train(input_data_config=channels(splits), wait=True)
    assert_only_endpoint(contacted_hosts)
    # logs=True (train's default) read the container's EvaluationMonitor lines back from CloudWatch Logs.
    assert "[49]#011train-logloss:" in caplog.text and "#011validation-logloss:" in caplog.text

    job = model_trainer._latest_training_job
    assert (job.training_job_status, job.secondary_status) == ("Completed", "Completed")
    name = job.training_job_name
    assert name.startswith("churn-xgboost-")
    assert job.algorithm_specification.training_image == IMAGE
    assert job.hyper_parameters == HYPERPARAMETERS
    assert [(c.channel_name, c.content_type) for c in job.input_data_config] == [("train", "text/csv"),
                                                                                 ("validation", "text/csv")]
    model_data = job.model_artifacts.s3_model_artifacts
    assert model_data == f"s3://{session.default_bucket()}/churn/model/{name}/output/model.tar.gz"
    assert sdk.core.resources.TrainingJob.get(name).model_artifacts.s3_model_artifacts == model_data
    assert model_trainer.output_data == f"s3://{session.default_bucket()}/churn/model/{name}/output/output.tar.gz"
    with tarfile.open(fileobj=io.BytesIO(read_object(s3, model_data))) as archive:
        assert archive.getnames() == ["xgboost-model"]

    # The seed's evaluate.py pattern as a processing job over the model and the splits (xgboost is not in the
    # v3 venv: the job also trains the same model in plain Python, for the accuracy to compare).
    evaluation = evaluate(s3, sagemaker, session.default_bucket(), model_data, splits)
    assert abs(evaluation["accuracy"] - evaluation["plain_accuracy"]) <= 0.02, evaluation


@pytest.mark.parametrize("change, text", BAD_HYPERPARAMETERS)
def test_bad_hyperparameters_fail_with_the_containers_text(sdk, session, splits, change, text):
    hyperparameters = {k: v for k, v in {**HYPERPARAMETERS, **change}.items() if v is not None}
    model_trainer = trainer(session, hyperparameters)
    model_trainer.train(input_data_config=channels(splits), wait=False)
    job = finished(sdk.core.resources.TrainingJob.get(model_trainer._latest_training_job.training_job_name))
    assert (job.training_job_status, job.secondary_status) == ("Failed", "Failed")
    assert job.failure_reason.startswith("AlgorithmError: ") and text in job.failure_reason


def test_a_missing_train_channel_fails_and_train_wait_raises_failed_status_error(sdk, session, splits):
    from sagemaker.core.utils.exceptions import FailedStatusError

    model_trainer = trainer(session)
    with pytest.raises(FailedStatusError) as caught:
        model_trainer.train(input_data_config=channels(splits, names=("validation",)), wait=True, logs=False)
    assert "Missing required channel: train" in str(caught.value)
    assert "Missing required channel: train" in model_trainer._latest_training_job.failure_reason


def test_csv_without_content_type_fails_as_libsvm(sdk, session, splits):
    """InputData without content_type: the container reads libsvm, which a CSV line is not."""
    model_trainer = trainer(session)
    model_trainer.train(input_data_config=channels(splits, content_type=None), wait=False)
    job = finished(model_trainer._latest_training_job)
    assert job.training_job_status == "Failed" and job.failure_reason.startswith("AlgorithmError: ")


def test_stop_of_a_long_byoc_job_through_sagemaker_core_2(sdk, session, s3):
    """sagemaker-core 2.x's `TrainingJob.stop()` (1.x's fails before it sends anything, see
    tests/clients/test_training_sagemaker_core.py) on a job whose container runs a script given as a channel."""
    from sagemaker.core import shapes
    from sagemaker.core.resources import TrainingJob

    bucket, name = session.default_bucket(), unique("v3-byoc-stop")
    script = "trap 'echo saved > /opt/ml/model/m; exit 0' TERM; while true; do sleep 0.1; done"
    s3.put_object(Bucket=bucket, Key=f"code/{name}.sh", Body=script.encode())
    job = TrainingJob.create(
        training_job_name=name, role_arn=ROLE,
        algorithm_specification=shapes.AlgorithmSpecification(
            training_image="sagebox/byoc:latest", training_input_mode="File",
            container_entrypoint=["/bin/sh", f"/opt/ml/input/data/code/{name}.sh"]),
        input_data_config=[shapes.Channel(channel_name="code", data_source=shapes.DataSource(
            s3_data_source=shapes.S3DataSource(s3_data_type="S3Prefix", s3_uri=f"s3://{bucket}/code/{name}.sh",
                                               s3_data_distribution_type="FullyReplicated")))],
        output_data_config=shapes.OutputDataConfig(s3_output_path=f"s3://{bucket}/models"),
        resource_config=shapes.ResourceConfig(instance_type="ml.m5.large", instance_count=1, volume_size_in_gb=1),
        stopping_condition=shapes.StoppingCondition(max_runtime_in_seconds=3600))
    deadline = time.time() + 30
    while job.refresh().secondary_status != "Training":
        assert time.time() < deadline, job.secondary_status
        time.sleep(0.2)
    job.stop()
    job = finished(job)
    assert (job.training_job_status, job.secondary_status) == ("Stopped", "Stopped")
    assert s3.head_object(Bucket=bucket, Key=f"models/{name}/output/model.tar.gz")["ContentLength"] > 0
    assert [j.training_job_name for j in TrainingJob.get_all(name_contains=name)] == [name]
