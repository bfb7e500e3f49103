"""Row "pipeline" (issue 14): seed 002's pipeline end to end on the churn sample's data, against its steps' own
scripts run as plain Python processes.

The definition is the one the SDK generated for the tutorial's pipeline (`Tests/PipelineEngineTests/Fixtures/
churn-pipeline.json`, the spec's Appendix A): ChurnProcess (preprocessing.py) → ChurnTrain (the built-in
XGBoost algorithm) → ChurnEval (evaluate.py, a PropertyFile) → ChurnAccuracyCheck (a Condition on it) → if:
ChurnCreateModel and ChurnRegisterModel. It runs on `sagebox serve`, started with boto3; the figure is the
server's own time from StartPipelineExecution to Succeeded (DescribePipelineExecution's LastModifiedTime −
CreationTime, which no polling delay inflates). The baseline is the sum of the three scripts' run times as
plain processes of the job runtime's Python over the same files: preprocessing.py, the runtime's `train`
entry (`runtimes/sagemaker-xgboost/bin/train` with SAGEBOX_OPT_ML) and evaluate.py, their `/opt/ml` paths
pointed at a scratch folder. The Model, RegisterModel and Condition steps run no script: their time is
overhead. Scripts: samples/churn-pipeline/{preprocessing,evaluate}.py when present, else
samples/churn/preprocessing.py and the EVALUATE script of tests/clients/test_training_sdk_v2.py; the note
says which."""
import ast
import json
import os
import pathlib
import re
import shutil
import statistics
import subprocess
import sys
import tarfile
import time

from bench.core import servers
from bench.core.result import Result

REPO = pathlib.Path(__file__).resolve().parents[2]
RUNTIME_PYTHON = REPO / ".venv" / "bin" / "python"
DEFINITION = REPO / "Tests" / "PipelineEngineTests" / "Fixtures" / "churn-pipeline.json"
XGBOOST_TRAIN = REPO / "runtimes" / "sagemaker-xgboost" / "bin" / "train"
ROWS = 20000
PIPELINE = "BenchChurnPipeline"
# The Condition must choose the model branch (the else branch is a Fail step, which ends the execution Failed).
PARAMETERS = [{"Name": "AccuracyThreshold", "Value": "0.0"}]
SPLIT_ARGUMENTS = ["--train-test-split", "0.7"]


def _scripts():
    """(preprocessing.py text, evaluate.py text, what they are)."""
    sample = REPO / "samples" / "churn-pipeline"
    if (sample / "preprocessing.py").exists() and (sample / "evaluate.py").exists():
        return (sample / "preprocessing.py").read_text(), (sample / "evaluate.py").read_text(), "samples/churn-pipeline's scripts"
    test = REPO / "tests" / "clients" / "test_training_sdk_v2.py"
    evaluate = next(node.value.value for node in ast.parse(test.read_text()).body
                    if isinstance(node, ast.Assign) and getattr(node.targets[0], "id", "") == "EVALUATE")
    return ((REPO / "samples" / "churn" / "preprocessing.py").read_text(), evaluate,
            "samples/churn/preprocessing.py and test_training_sdk_v2.py's EVALUATE")


def _definition():
    """The SDK's definition, with the split option both preprocessing scripts take (`--train-test-split`;
    the tutorial's generated definition passes its own script's `--train-test-split-ratio`)."""
    definition = json.loads(DEFINITION.read_text())
    for step in definition["Steps"]:
        step.pop("CacheConfig", None)  # every run runs every step (the SDK's definition caches two for an hour)
    process = next(step for step in definition["Steps"] if step["Name"] == "ChurnProcess")
    process["Arguments"]["AppSpecification"]["ContainerArguments"] = SPLIT_ARGUMENTS
    return definition


def _code_uris(definition):
    """{step name: S3 URI of its `code` input} (the SDK uploads each script under a hash of its content)."""
    uris = {}
    for step in definition["Steps"]:
        for channel in step["Arguments"].get("ProcessingInputs", []):
            if channel["InputName"] == "code":
                uris[step["Name"]] = channel["S3Input"]["S3Uri"]
    return uris


def _server_seconds(sagemaker, arn, timeout=900):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        described = sagemaker.describe_pipeline_execution(PipelineExecutionArn=arn)
        status = described["PipelineExecutionStatus"]
        if status in ("Succeeded", "Failed", "Stopped"):
            if status != "Succeeded":
                steps = sagemaker.list_pipeline_execution_steps(PipelineExecutionArn=arn)["PipelineExecutionSteps"]
                raise RuntimeError(f"pipeline execution {status}: {[(s['StepName'], s.get('FailureReason')) for s in steps]}")
            return (described["LastModifiedTime"] - described["CreationTime"]).total_seconds()
        time.sleep(0.1)
    raise RuntimeError(f"pipeline execution {arn} did not end within {timeout} s")


def _own_share(sagebox, steps, server_seconds):
    """Server time minus the wall time of the jobs' own processes (each job's timeline: `algo-1 used … in N s`):
    what sagebox itself spends around the scripts, which the machine's other load does not inflate as much."""
    processes = 0.0
    for step in steps:
        metadata = step.get("Metadata", {})
        for kind, key in (("ProcessingJob", "ProcessingJob"), ("TrainingJob", "TrainingJob")):
            if key in metadata:
                for _, message in sagebox.timeline(metadata[key]["Arn"].split("/")[-1], kind):
                    found = re.match(r"algo-1 used [0-9.]+ CPU-seconds in ([0-9.]+) s", message)
                    if found:
                        processes += float(found.group(1))
    return server_seconds - processes


def _timed(argv, times, step, **kwargs):
    begin = time.perf_counter()
    subprocess.run(argv, check=True, capture_output=True, **kwargs)
    times[step] = time.perf_counter() - begin


def _plain_steps(ctx, data, preprocessing, evaluate, hyperparameters):
    """One run of the three scripts as plain processes; returns {step: seconds}."""
    times = {}
    opt = ctx.work / "plain-opt-ml"
    shutil.rmtree(opt, ignore_errors=True)
    processing = opt / "processing"
    (processing / "input" / "data").mkdir(parents=True)
    (opt / "output").mkdir(parents=True)
    for split in ("train", "validation", "test"):
        (processing / "output" / split).mkdir(parents=True)
    shutil.copy(data, processing / "input" / "data" / "churn.csv")
    script = opt / "preprocessing.py"
    script.write_text(preprocessing.replace("/opt/ml", str(opt)))
    _timed([str(RUNTIME_PYTHON), str(script), *SPLIT_ARGUMENTS], times, "ChurnProcess")

    training = opt / "training"
    (training / "input" / "config").mkdir(parents=True)
    (training / "model").mkdir(parents=True)
    (training / "output" / "data").mkdir(parents=True)
    config = training / "input" / "config"
    (config / "hyperparameters.json").write_text(json.dumps(hyperparameters))
    (config / "inputdataconfig.json").write_text(json.dumps({channel: {
        "ContentType": "text/csv", "RecordWrapperType": "None", "S3DistributionType": "FullyReplicated", "TrainingInputMode": "File"}
        for channel in ("train", "validation")}))
    (config / "resourceconfig.json").write_text(json.dumps({
        "current_host": "algo-1", "hosts": ["algo-1"], "current_instance_type": "ml.m5.xlarge", "network_interface_name": "eth0"}))
    for channel in ("train", "validation"):
        (training / "input" / "data" / channel).mkdir(parents=True)
        shutil.copy(processing / "output" / channel / f"{channel}.csv", training / "input" / "data" / channel)
    environment = {**os.environ, "SAGEBOX_OPT_ML": str(training), "PATH": f"{RUNTIME_PYTHON.parent}:{os.environ['PATH']}",
                   "TMPDIR": str(opt)}
    _timed([str(XGBOOST_TRAIN)], times, "ChurnTrain", env=environment)

    (processing / "model").mkdir()
    with tarfile.open(processing / "model" / "model.tar.gz", "w:gz") as archive:
        for file in (training / "model").iterdir():
            archive.add(file, arcname=file.name)
    (processing / "test").mkdir()
    shutil.copy(processing / "output" / "test" / "test.csv", processing / "test")
    (processing / "evaluation").mkdir()
    script = opt / "evaluate.py"
    script.write_text(evaluate.replace("/opt/ml", str(opt)))
    workdir = opt / "evaluate-cwd"
    workdir.mkdir()
    _timed([str(RUNTIME_PYTHON), str(script)], times, "ChurnEval", cwd=workdir)
    json.loads((processing / "evaluation" / "evaluation.json").read_text())  # the script did its work
    return times


def _hyperparameters(definition):
    """ChurnTrain's hyperparameters with the parameters' defaults substituted (what the job receives)."""
    train = next(step for step in definition["Steps"] if step["Name"] == "ChurnTrain")
    defaults = {parameter["Name"]: parameter["DefaultValue"] for parameter in definition["Parameters"]}
    values = {}
    for key, value in train["Arguments"]["HyperParameters"].items():
        if isinstance(value, dict):
            value = "".join(str(defaults[part["Get"].split(".", 1)[1]]) if isinstance(part, dict) else part
                            for part in value["Std:Join"]["Values"])
        values[key] = value
    return values


def run(ctx):
    if not RUNTIME_PYTHON.exists():
        return []
    preprocessing, evaluate, which = _scripts()
    definition = _definition()
    sb = ctx.sagebox
    data = ctx.data / "pipeline-churn.csv"
    subprocess.run([sys.executable, str(REPO / "samples/churn/generate_data.py"), "--rows", str(ROWS), "--out", str(data)],
                   check=True, capture_output=True)
    sb.make_bucket("lab")
    sb.cli("s3", "cp", data, "s3://lab/churn/raw/churn.csv")
    code = _code_uris(definition)
    for step, text in (("ChurnProcess", preprocessing), ("ChurnEval", evaluate)):
        local = ctx.work / f"{step}.py"
        local.write_text(text)
        sb.cli("s3", "cp", local, code[step])

    runs = ctx.runs(5, quick=1)
    hyperparameters = _hyperparameters(definition)
    with servers.sagebox_serve(sb) as server:
        sagemaker = server.client("sagemaker")
        sagemaker.create_pipeline(PipelineName=PIPELINE, RoleArn="arn:aws:iam::111122223333:role/SageMakerRole",
                                  PipelineDefinition=json.dumps(definition))
        # Each pipeline run is followed by a plain run, so that both sides of a pair see the same load of a
        # shared machine; the overhead is the median of the pairs' differences. The first pair warms up.
        pipeline_seconds, plain_runs, own_seconds = [], [], []
        for attempt in range(runs + 1):
            arn = sagemaker.start_pipeline_execution(PipelineName=PIPELINE, PipelineParameters=PARAMETERS)["PipelineExecutionArn"]
            seconds = _server_seconds(sagemaker, arn)
            steps = sagemaker.list_pipeline_execution_steps(PipelineExecutionArn=arn)["PipelineExecutionSteps"]
            plain = _plain_steps(ctx, data, preprocessing, evaluate, hyperparameters)
            if attempt:
                pipeline_seconds.append(seconds)
                plain_runs.append(plain)
                own_seconds.append(_own_share(sb, steps, seconds))
        step_seconds = {step["StepName"]: (step["EndTime"] - step["StartTime"]).total_seconds() for step in steps}

    plain_seconds = [sum(times.values()) for times in plain_runs]
    overhead = statistics.median(p - q for p, q in zip(pipeline_seconds, plain_seconds))
    own = statistics.median(own_seconds)
    return [Result(
        row="pipeline", figure=f"seed 002's pipeline (6 steps), churn {ROWS} rows, StartPipelineExecution → Succeeded",
        unit="ms", samples=[s * 1000 for s in pipeline_seconds], baseline_label="its 3 scripts as plain Python processes, summed",
        baseline_samples=[s * 1000 for s in plain_seconds], goal="overhead ≤ 1 s", met=overhead <= 1.0,
        note=f"overhead {overhead * 1000:.0f} ms (median of each run minus the plain run right after it); server time "
             f"minus the jobs' own processes' run time {own * 1000:.0f} ms median; scripts: {which}; the last run's steps "
             + ", ".join(f"{name} {seconds:.2f} s" for name, seconds in sorted(step_seconds.items()))
             + "; the last plain run's scripts " + ", ".join(f"{name} {seconds:.2f} s" for name, seconds in sorted(plain_runs[-1].items())),
        extra={"overhead_ms": overhead * 1000, "own_ms": [x * 1000 for x in own_seconds], "step_seconds": step_seconds,
               "plain_seconds": plain_runs})]
