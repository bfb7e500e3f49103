"""Seed 002's "Common Issues and Solutions", each produced against a real `sagebox serve` with the SDK v2, checking
that what the user sees says what to fix:
- "No module named 'sagemaker_training'": the XGBoost image has no sagemaker-training toolkit (it runs scripts with
  the older sagemaker-containers); a script importing it fails there, and runs in a framework image that has it;
- "Step outputs not found": a training input given as a hard-coded S3 path instead of the processing step's
  `.properties` makes no dependency, so training starts before the data exists and fails naming the S3 prefix;
- "Pipeline validation fails": a parameter without a default is refused at StartPipelineExecution, by name;
- "Model extraction fails in evaluation": evaluate.py looking for model.tar.gz where the input is not, or for a
  model file name the archive does not hold; the job's ExitMessage says which."""
import io
import tarfile

import boto3
import pytest
from botocore.exceptions import ClientError

from churn_pipeline_checks import SAMPLE, by_name
from conftest import sagemaker_sdk, unique

ROLE = "arn:aws:iam::000000000000:role/SageMakerRole"
XGBOOST_IMAGE = "683313688378.dkr.ecr.us-east-1.amazonaws.com/sagemaker-xgboost:1.7-1"
FAILED = "Step failure: One or multiple steps failed."


@pytest.fixture(scope="module")
def session(server, tmp_path_factory):
    with sagemaker_sdk(tmp_path_factory.mktemp("sagemaker-config"), unique("churn-issues-config")):
        import sagemaker.workflow.pipeline_context
        yield sagemaker.workflow.pipeline_context.PipelineSession(
            boto_session=boto3.Session(region_name="us-east-1"), default_bucket=unique("churn-issues"))


def pipeline(session, steps, parameters=()):
    from sagemaker.workflow.pipeline import Pipeline
    built = Pipeline(name=unique("churn-issue"), parameters=list(parameters), steps=steps, sagemaker_session=session)
    built.upsert(role_arn=ROLE)
    return built


def finished(execution):
    """Waits (every second) and returns (the execution's description, its steps by name)."""
    try:
        execution.wait(delay=1, max_attempts=600)
    except Exception:  # the SDK's waiter raises on Failed
        pass
    return execution.describe(), by_name(execution.list_steps())


def job_log(job_arn):
    """The processing job's log lines, as `aws logs get-log-events` shows them."""
    logs = boto3.client("logs")
    group = "/aws/sagemaker/ProcessingJobs"
    streams = logs.describe_log_streams(logGroupName=group, logStreamNamePrefix=job_arn.split("/")[-1])["logStreams"]
    return "\n".join(event["message"] for stream in streams
                     for event in logs.get_log_events(logGroupName=group, logStreamName=stream["logStreamName"])["events"])


def processing_job(job_arn):
    return boto3.client("sagemaker").describe_processing_job(ProcessingJobName=job_arn.split("/")[-1])


def test_no_module_named_sagemaker_training_in_the_xgboost_image(session, tmp_path):
    from sagemaker.processing import ScriptProcessor
    from sagemaker.sklearn.processing import SKLearnProcessor
    from sagemaker.workflow.steps import ProcessingStep

    script = tmp_path / "uses_toolkit.py"
    script.write_text("from sagemaker_training import environment\nprint('toolkit at', environment.__file__)\n")
    in_xgboost = ScriptProcessor(image_uri=XGBOOST_IMAGE, command=["python3"], role=ROLE, instance_count=1,
                                 instance_type="ml.m5.large", sagemaker_session=session)
    # The seed's solution: a framework processor whose image has the toolkit (scikit-learn's does).
    in_sklearn = SKLearnProcessor(framework_version="1.2-1", role=ROLE, instance_count=1, instance_type="ml.m5.large",
                                  sagemaker_session=session)
    steps = [ProcessingStep(name="InXGBoostImage", step_args=in_xgboost.run(code=str(script))),
             ProcessingStep(name="InSKLearnImage", step_args=in_sklearn.run(code=str(script)))]
    status, steps = finished(pipeline(session, steps).start())

    assert status["PipelineExecutionStatus"] == "Failed" and status["FailureReason"] == FAILED
    failed = steps["InXGBoostImage"]
    job_arn = failed["Metadata"]["ProcessingJob"]["Arn"]
    assert failed["StepStatus"] == "Failed"
    assert failed["FailureReason"] == processing_job(job_arn)["FailureReason"] == "AlgorithmError: See job logs for more information"
    assert "ModuleNotFoundError: No module named 'sagemaker_training'" in job_log(job_arn)
    fixed = steps["InSKLearnImage"]
    assert fixed["StepStatus"] == "Succeeded", fixed
    assert "toolkit at " in job_log(fixed["Metadata"]["ProcessingJob"]["Arn"])


def test_hard_coded_step_outputs_are_not_found(session, tmp_path):
    """The training input names the S3 prefix the processing step writes, by hand: no dependency, so training
    starts with processing and finds nothing there."""
    from sagemaker.estimator import Estimator
    from sagemaker.inputs import TrainingInput
    from sagemaker.processing import ProcessingOutput, ScriptProcessor
    from sagemaker.workflow.steps import ProcessingStep, TrainingStep

    bucket = session.default_bucket()
    train_prefix = f"s3://{bucket}/{unique('churn')}/processed/train"
    script = tmp_path / "write_train.py"
    # The processing job takes a few seconds, as a real one does: training looks for its data long before.
    script.write_text("import os, time\ntime.sleep(6)\nos.makedirs('/opt/ml/processing/output/train', exist_ok=True)\n"
                      "open('/opt/ml/processing/output/train/train.csv', 'w').write('1,0.5\\n0,0.1\\n')\n")
    processor = ScriptProcessor(image_uri="sagebox/python:3", command=["python3"], role=ROLE, instance_count=1,
                                instance_type="ml.m5.large", sagemaker_session=session)
    step_process = ProcessingStep(name="ProcessData", step_args=processor.run(code=str(script), outputs=[
        ProcessingOutput(output_name="train", source="/opt/ml/processing/output/train", destination=train_prefix)]))
    estimator = Estimator(image_uri=XGBOOST_IMAGE, role=ROLE, instance_count=1, instance_type="ml.m5.large",
                          output_path=f"s3://{bucket}/churn-issues/model", sagemaker_session=session,
                          hyperparameters={"objective": "binary:logistic", "num_round": "2"})
    step_train = TrainingStep(name="TrainModel", step_args=estimator.fit(
        {"train": TrainingInput(s3_data=train_prefix, content_type="text/csv")}))
    status, steps = finished(pipeline(session, [step_process, step_train]).start())

    assert status["PipelineExecutionStatus"] == "Failed" and status["FailureReason"] == FAILED
    train = steps["TrainModel"]
    assert train["StepStatus"] == "Failed"
    assert train["StartTime"] < steps["ProcessData"]["EndTime"]  # nothing made it wait for ProcessData
    assert train["FailureReason"] == (
        f'ClientError: No S3 objects found under S3 URL "{train_prefix}" given in input data source. Please ensure '
        "that the bucket exists in the selected region, that objects exist under that S3 prefix.")
    assert steps["ProcessData"]["StepStatus"] == "Succeeded"  # the data exists now, too late


def test_a_parameter_without_a_default_must_be_given_at_start(session, tmp_path):
    from sagemaker.processing import ProcessingInput, ScriptProcessor
    from sagemaker.workflow.parameters import ParameterString
    from sagemaker.workflow.steps import ProcessingStep

    input_data = ParameterString(name="InputData")  # no default_value
    script = tmp_path / "count.py"
    script.write_text("import os\nprint(sorted(os.listdir('/opt/ml/processing/input')))\n")
    processor = ScriptProcessor(image_uri="sagebox/python:3", command=["python3"], role=ROLE, instance_count=1,
                                instance_type="ml.m5.large", sagemaker_session=session)
    step = ProcessingStep(name="ProcessData", step_args=processor.run(code=str(script), inputs=[
        ProcessingInput(source=input_data, destination="/opt/ml/processing/input")]))
    built = pipeline(session, [step], parameters=[input_data])  # a valid definition: CreatePipeline accepts it

    with pytest.raises(ClientError) as raised:
        built.start()
    assert raised.value.response["Error"]["Code"] == "ValidationException"
    assert raised.value.response["Error"]["Message"] == (
        "Parameter 'InputData' is undefined: it has no DefaultValue in the pipeline definition, so "
        "StartPipelineExecution must give it a value.")
    # The fix the message asks for: give the value at start.
    raw = session.upload_string_as_file_body("a,b\n1,2\n", session.default_bucket(), f"{built.name}/raw/data.csv")
    status, steps = finished(built.start(parameters={"InputData": raw}))
    assert status["PipelineExecutionStatus"] == "Succeeded", steps


def model_archive(member):
    """A model.tar.gz holding one file named `member`."""
    body = io.BytesIO()
    with tarfile.open(fileobj=body, mode="w:gz") as tar:
        info = tarfile.TarInfo(member)
        info.size = 4
        tar.addfile(info, io.BytesIO(b"{}\n\n"))
    return body.getvalue()


def test_model_extraction_fails_in_evaluation(session):
    """The sample's evaluate.py, once with the model mounted where it does not look, once with an archive whose
    model file is not named xgboost-model: the step fails with the job's FailureReason, and the job's ExitMessage
    (the script's /opt/ml/output/message) says what is wrong."""
    from sagemaker.processing import ProcessingInput, ProcessingOutput
    from sagemaker.workflow.steps import ProcessingStep
    from sagemaker.xgboost.processing import XGBoostProcessor

    bucket, prefix = session.default_bucket(), unique("churn-eval")
    s3 = boto3.client("s3")
    s3.put_object(Bucket=bucket, Key=f"{prefix}/good/model.tar.gz", Body=model_archive("xgboost-model"))
    s3.put_object(Bucket=bucket, Key=f"{prefix}/renamed/model.tar.gz", Body=model_archive("model.bst"))
    s3.put_object(Bucket=bucket, Key=f"{prefix}/test/test.csv", Body=b"1,0.5\n0,0.1\n")

    def evaluation(name, model, destination):
        processor = XGBoostProcessor(framework_version="1.7-1", role=ROLE, instance_count=1, instance_type="ml.m5.large",
                                     sagemaker_session=session)
        return ProcessingStep(name=name, step_args=processor.run(
            code="evaluate.py", source_dir=str(SAMPLE),
            inputs=[ProcessingInput(source=f"s3://{bucket}/{prefix}/{model}/model.tar.gz", destination=destination),
                    ProcessingInput(source=f"s3://{bucket}/{prefix}/test", destination="/opt/ml/processing/test")],
            outputs=[ProcessingOutput(output_name="evaluation", source="/opt/ml/processing/evaluation")]))

    status, steps = finished(pipeline(session, [
        evaluation("EvaluateWrongPath", "good", "/opt/ml/processing/input/model"),
        evaluation("EvaluateWrongName", "renamed", "/opt/ml/processing/model"),
    ]).start())

    assert status["PipelineExecutionStatus"] == "Failed" and status["FailureReason"] == FAILED
    expected = {
        "EvaluateWrongPath": "Model extraction failed: /opt/ml/processing/model/model.tar.gz does not exist; "
                             "/opt/ml/processing/model holds nothing.",
        "EvaluateWrongName": "Model extraction failed: /opt/ml/processing/model/model.tar.gz holds ['model.bst'], "
                             "not 'xgboost-model'.",
    }
    for name, message in expected.items():
        step = steps[name]
        job = processing_job(step["Metadata"]["ProcessingJob"]["Arn"])
        assert step["StepStatus"] == "Failed"
        assert step["FailureReason"] == job["FailureReason"] == "AlgorithmError: See job logs for more information"
        assert job["ExitMessage"] == message
        assert f"ERROR: {message}" in job_log(job["ProcessingJobArn"])
