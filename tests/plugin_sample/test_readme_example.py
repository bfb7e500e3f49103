# The README's "Testing your jobs with sagebox" example, verbatim below this comment (keep the two in step).
import pathlib
from pytest_sagebox import logs, make_bucket, run_processing_job, upload

def test_preprocess_sums_every_row(sagebox_env):
    bucket = make_bucket()
    upload(pathlib.Path(__file__).with_name("preprocess.py"), f"s3://{bucket}/code/preprocess.py")
    upload("id,amount\n1,2.5\n2,4\n", f"s3://{bucket}/data/a.csv")
    inputs = [{"InputName": name, "S3Input": {"S3Uri": f"s3://{bucket}/{name}/", "LocalPath": f"/opt/ml/processing/input/{name}",
                                              "S3DataType": "S3Prefix", "S3InputMode": "File"}} for name in ("code", "data")]
    job = run_processing_job({"ProcessingJobName": "sum", "ProcessingInputs": inputs,
        "AppSpecification": {"ImageUri": "sklearn", "ContainerEntrypoint": ["python3", "/opt/ml/processing/input/code/preprocess.py"]},
        "ProcessingResources": {"ClusterConfig": {"InstanceCount": 1, "InstanceType": "ml.m5.large", "VolumeSizeInGB": 1}}})
    assert job["ProcessingJobStatus"] == "Completed", job.get("FailureReason")
    assert logs(job) == ["summed 2 rows"]
