"""Seed 002's training part with the SageMaker Python SDK v2 (issue 13): the churn data preprocessed by a
processing job, `Estimator(image_uri=retrieve("xgboost", region, "1.7-1"), ...).fit({"train":
TrainingInput(..., content_type="text/csv"), "validation": ...})`, `model_data`, and the seed's evaluate.py
pattern (untar into the working directory, `xgboost.Booster().load_model("xgboost-model")`, predict on
test.csv, write evaluation.json) as a processing job; and the container's own texts for bad input."""
import io
import json
import tarfile

import boto3
import numpy
import pytest
import xgboost

from churn_sample import BAD_HYPERPARAMETERS, HYPERPARAMETERS, PREPROCESSING, generate_data
from conftest import sagemaker_sdk, unique
from host_audit import assert_only_endpoint, contacted_hosts  # noqa: F401 (a fixture)

ROLE = "arn:aws:iam::000000000000:role/SageMakerRole"
EVALUATE = '''
import json, tarfile
import numpy as np, pandas as pd, xgboost
with tarfile.open("/opt/ml/processing/model/model.tar.gz") as tar:
    tar.extractall(path=".")
model = xgboost.Booster()
model.load_model("xgboost-model")
df = pd.read_csv("/opt/ml/processing/test/test.csv", header=None)
y = df.iloc[:, 0].to_numpy()
predictions = model.predict(xgboost.DMatrix(df.iloc[:, 1:].values))
accuracy = float(((predictions > 0.5).astype(int) == y).mean())
report = {"binary_classification_metrics": {"accuracy": {"value": accuracy, "standard_deviation": "NaN"}}}
json.dump(report, open("/opt/ml/processing/evaluation/evaluation.json", "w"))
print("accuracy", accuracy)
'''


@pytest.fixture(scope="module")
def sdk(server, tmp_path_factory):
    with sagemaker_sdk(tmp_path_factory.mktemp("sagemaker-config"), unique("sdk-train-config")) as sagemaker:
        yield sagemaker


@pytest.fixture(scope="module")
def session(sdk):
    return sdk.Session(boto_session=boto3.Session(region_name="us-east-1"), default_bucket=unique("sdk-train"))


@pytest.fixture(scope="module")
def splits(sdk, session, tmp_path_factory):
    """The churn sample preprocessed by a processing job: {split: S3 URI of the folder holding split.csv}."""
    data = generate_data(tmp_path_factory.mktemp("churn"))
    processor = sdk.processing.ScriptProcessor(
        image_uri="sagebox/python:3", command=["python3"], role=ROLE, instance_count=1,
        instance_type="ml.m5.xlarge", base_job_name="churn-prep", sagemaker_session=session)
    processor.run(code=str(PREPROCESSING),
                  inputs=[sdk.processing.ProcessingInput(source=str(data), destination="/opt/ml/processing/input/data")],
                  outputs=[sdk.processing.ProcessingOutput(output_name=s, source=f"/opt/ml/processing/output/{s}")
                           for s in ("train", "validation", "test")], wait=True, logs=False)
    job = processor.latest_job.describe()
    assert job["ProcessingJobStatus"] == "Completed", job.get("FailureReason")
    return {o["OutputName"]: o["S3Output"]["S3Uri"] for o in job["ProcessingOutputConfig"]["Outputs"]}


def estimator(sdk, session, hyperparameters=HYPERPARAMETERS, version="1.7-1"):
    return sdk.estimator.Estimator(
        image_uri=sdk.image_uris.retrieve("xgboost", "us-east-1", version), role=ROLE, instance_count=1,
        instance_type="ml.m5.large", output_path=f"s3://{session.default_bucket()}/churn/model",
        hyperparameters=dict(hyperparameters), sagemaker_session=session)


def channels(sdk, splits, content_type="text/csv"):
    return {name: sdk.inputs.TrainingInput(s3_data=splits[name], content_type=content_type)
            for name in ("train", "validation")}


def read_csv(s3, uri):
    bucket, key = uri.removeprefix("s3://").split("/", 1)
    name = key.rstrip("/").rsplit("/", 1)[-1]
    body = s3.get_object(Bucket=bucket, Key=f"{key.rstrip('/')}/{name}.csv")["Body"].read()
    return numpy.loadtxt(io.BytesIO(body), delimiter=",")


def test_fit_trains_the_built_in_xgboost_and_evaluate_py_reads_its_model(sdk, session, splits, s3, capsys, contacted_hosts):
    trainer = estimator(sdk, session)
    trainer.fit(channels(sdk, splits))  # wait=True, logs="All", as in the notebook
    assert_only_endpoint(contacted_hosts)
    printed = capsys.readouterr().out
    assert "[49]#011train-logloss:" in printed and "#011validation-logloss:" in printed
    model_data = trainer.model_data
    assert model_data == f"s3://{session.default_bucket()}/churn/model/{trainer.latest_training_job.name}/output/model.tar.gz"
    bucket, key = model_data.removeprefix("s3://").split("/", 1)
    with tarfile.open(fileobj=io.BytesIO(s3.get_object(Bucket=bucket, Key=key)["Body"].read())) as archive:
        assert archive.getnames() == ["xgboost-model"]
    job = trainer.latest_training_job.describe()
    assert (job["TrainingJobStatus"], job["SecondaryStatus"]) == ("Completed", "Completed")
    assert job["AlgorithmSpecification"]["TrainingImage"] == "683313688378.dkr.ecr.us-east-1.amazonaws.com/sagemaker-xgboost:1.7-1"
    # The algorithm's own metric definitions, as for AWS's built-in images: the last round's values.
    finals = {m["MetricName"]: m["Value"] for m in job["FinalMetricDataList"]}
    assert set(finals) == {"train:logloss", "validation:logloss"}
    last = [line for line in printed.splitlines() if line.startswith("[49]#011")][-1]
    assert f"validation-logloss:{finals['validation:logloss']:.5f}" in last

    # The seed's evaluate.py pattern, as a processing job over the model and the test split.
    evaluate = session.upload_string_as_file_body(EVALUATE, session.default_bucket(), "churn/code/evaluate.py")
    processor = sdk.processing.ScriptProcessor(
        image_uri=sdk.image_uris.retrieve("xgboost", "us-east-1", "1.7-1"), command=["python3"], role=ROLE,
        instance_count=1, instance_type="ml.m5.large", base_job_name="churn-eval", sagemaker_session=session)
    destination = f"s3://{session.default_bucket()}/churn/evaluation"
    processor.run(code=evaluate,
                  inputs=[sdk.processing.ProcessingInput(source=model_data, destination="/opt/ml/processing/model"),
                          sdk.processing.ProcessingInput(source=splits["test"], destination="/opt/ml/processing/test")],
                  outputs=[sdk.processing.ProcessingOutput(output_name="evaluation", source="/opt/ml/processing/evaluation",
                                                           destination=destination)], wait=True, logs=False)
    assert processor.latest_job.describe()["ProcessingJobStatus"] == "Completed"
    report = json.loads(s3.get_object(Bucket=session.default_bucket(), Key="churn/evaluation/evaluation.json")["Body"].read())
    accuracy = report["binary_classification_metrics"]["accuracy"]["value"]

    # The same model trained in plain Python on the same splits.
    train, test = read_csv(s3, splits["train"]), read_csv(s3, splits["test"])
    params = {k: v for k, v in HYPERPARAMETERS.items() if k != "num_round"}
    params["max_depth"], params["eta"] = int(params["max_depth"]), float(params["eta"])
    booster = xgboost.train(params, xgboost.DMatrix(train[:, 1:], label=train[:, 0]), num_boost_round=50)
    plain = float(((booster.predict(xgboost.DMatrix(test[:, 1:])) > 0.5) == test[:, 0]).mean())
    assert abs(accuracy - plain) <= 0.02, (accuracy, plain)


@pytest.mark.parametrize("change, text", BAD_HYPERPARAMETERS)
def test_bad_hyperparameters_fail_with_the_containers_text(sdk, session, splits, change, text):
    hyperparameters = {k: v for k, v in {**HYPERPARAMETERS, **change}.items() if v is not None}
    trainer = estimator(sdk, session, hyperparameters)
    with pytest.raises(sdk.exceptions.UnexpectedStatusException) as caught:
        trainer.fit(channels(sdk, splits), logs=False)
    assert text in str(caught.value)
    job = trainer.latest_training_job.describe()
    assert job["TrainingJobStatus"] == "Failed" and job["FailureReason"].startswith("AlgorithmError: ")
    assert text in job["FailureReason"]


def test_a_missing_train_channel_and_csv_without_content_type_fail_with_the_containers_text(sdk, session, splits):
    trainer = estimator(sdk, session)
    with pytest.raises(sdk.exceptions.UnexpectedStatusException) as missing:
        trainer.fit({"validation": sdk.inputs.TrainingInput(s3_data=splits["validation"], content_type="text/csv")}, logs=False)
    assert "Missing required channel: train" in str(missing.value)
    # No content type: the container reads libsvm, which a CSV line is not.
    trainer = estimator(sdk, session)
    with pytest.raises(sdk.exceptions.UnexpectedStatusException) as untyped:
        trainer.fit({"train": splits["train"], "validation": splits["validation"]}, logs=False)
    assert "AlgorithmError: " in trainer.latest_training_job.describe()["FailureReason"]
    assert "Failed. Reason: AlgorithmError: " in str(untyped.value)
