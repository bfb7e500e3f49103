"""Script-mode training with the SageMaker Python SDK v2 (issue 13, point 4): a user's train.py given as
`entry_point` to the XGBoost and SKLearn framework estimators runs the way the framework containers run
it, through the `sagemaker-training` toolkit: the SDK uploads sourcedir.tar.gz, the job fetches it from
the fake S3 (`sagemaker_submit_directory`), hyperparameters arrive as arguments, SM_* variables point at
/opt/ml, and what the script saves in SM_MODEL_DIR becomes model.tar.gz."""
import io
import tarfile

import boto3
import pytest

from conftest import sagemaker_sdk, unique
from host_audit import assert_only_endpoint, contacted_hosts  # noqa: F401 (a fixture)

ROLE = "arn:aws:iam::000000000000:role/SageMakerRole"
TRAIN_PY = '''
import argparse, json, os
parser = argparse.ArgumentParser()
parser.add_argument("--max_depth", type=int)
parser.add_argument("--note", type=str)
args = parser.parse_args()
rows = open(os.path.join(os.environ["SM_CHANNEL_TRAIN"], "data.csv")).read().splitlines()
summary = {"max_depth": args.max_depth, "note": args.note, "rows": len(rows), "hosts": json.loads(os.environ["SM_HOSTS"]),
           "model_dir": os.environ["SM_MODEL_DIR"]}
print("summary", json.dumps(summary, sort_keys=True))
with open(os.path.join(os.environ["SM_MODEL_DIR"], "summary.json"), "w") as f:
    json.dump(summary, f, sort_keys=True)
'''


@pytest.fixture(scope="module")
def sdk(server, tmp_path_factory):
    with sagemaker_sdk(tmp_path_factory.mktemp("sagemaker-config"), unique("sdk-script-config")) as sagemaker:
        yield sagemaker


@pytest.fixture(scope="module")
def session(sdk):
    return sdk.Session(boto_session=boto3.Session(region_name="us-east-1"), default_bucket=unique("sdk-script"))


@pytest.mark.parametrize("framework", ["xgboost", "sklearn"])
def test_a_framework_estimator_runs_the_users_entry_point(sdk, session, s3, tmp_path, framework, capsys, contacted_hosts):
    source = tmp_path / "src"
    source.mkdir()
    (source / "train.py").write_text(TRAIN_PY)
    data = session.upload_string_as_file_body("1,2\n0,3\n1,4\n", session.default_bucket(), f"{framework}/train/data.csv")
    common = dict(entry_point="train.py", source_dir=str(source), role=ROLE, instance_count=1, instance_type="ml.m5.large",
                  hyperparameters={"max_depth": 3, "note": "from-the-sdk"}, sagemaker_session=session)
    if framework == "xgboost":
        from sagemaker.xgboost import XGBoost
        estimator = XGBoost(framework_version="1.7-1", **common)
    else:
        from sagemaker.sklearn import SKLearn
        estimator = SKLearn(framework_version="1.2-1", py_version="py3", **common)
    estimator.fit({"train": data.rsplit("/", 1)[0]})
    assert_only_endpoint(contacted_hosts)
    job = estimator.latest_training_job.describe()
    assert job["TrainingJobStatus"] == "Completed", job.get("FailureReason")
    assert job["HyperParameters"]["sagemaker_program"] == '"train.py"'
    printed = capsys.readouterr().out
    assert 'summary {"hosts": ["algo-1"], "max_depth": 3, "model_dir": "/opt/ml/model", "note": "from-the-sdk", "rows": 3}' in printed
    bucket, key = estimator.model_data.removeprefix("s3://").split("/", 1)
    with tarfile.open(fileobj=io.BytesIO(s3.get_object(Bucket=bucket, Key=key)["Body"].read())) as archive:
        assert "summary.json" in archive.getnames()
