"""The sagemaker-xgboost runtime's `train` (runtimes/sagemaker-xgboost), run as a real subprocess over a
/opt/ml laid out in a temporary folder (SAGEBOX_OPT_ML), the way a training job's container sees it.

The data is the churn sample's: samples/churn/generate_data.py, then the preprocessing script's own
transform and split (label first, no header), as the course's pipeline feeds the built-in algorithm.
"""
import importlib.util
import json
import os
import pathlib
import pickle
import re
import subprocess
import sys
import tarfile
import warnings

import numpy as np
import pandas as pd
import pytest
import xgboost

REPO = pathlib.Path(__file__).resolve().parents[2]
TRAIN = REPO / "runtimes" / "sagemaker-xgboost" / "bin" / "train"
HYPERPARAMETERS = {"objective": "binary:logistic", "num_round": "40", "max_depth": "5", "eta": "0.2",
                   "eval_metric": "logloss", "seed": "7"}
CSV_CHANNEL = {"ContentType": "text/csv", "TrainingInputMode": "File", "S3DistributionType": "FullyReplicated",
               "RecordWrapperType": "None"}
MONITOR_LINE = re.compile(r"^\[(\d+)\]\ttrain-logloss:(\d+\.\d+)\tvalidation-logloss:(\d+\.\d+)$")


@pytest.fixture(scope="module")
def churn(tmp_path_factory):
    """(train, validation, test) frames of the preprocessed churn sample, label first."""
    folder = tmp_path_factory.mktemp("churn")
    raw = folder / "churn.csv"
    subprocess.run([sys.executable, str(REPO / "samples/churn/generate_data.py"), "--rows", "3000",
                    "--out", str(raw)], check=True, capture_output=True)
    spec = importlib.util.spec_from_file_location("preprocessing", REPO / "samples/churn/preprocessing.py")
    preprocessing = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(preprocessing)
    model_data = preprocessing.transform(pd.read_csv(raw))
    return preprocessing.split(model_data, 1729, 0.7)


class Job:
    """One training container: /opt/ml under a temporary folder, and the finished `train` process."""

    def __init__(self, root):
        self.root = root
        self.opt_ml = root / "opt_ml"
        (self.opt_ml / "input" / "config").mkdir(parents=True)
        (self.opt_ml / "input" / "data").mkdir()
        # The platform makes these before `train` starts.
        (self.opt_ml / "model").mkdir()
        (self.opt_ml / "output" / "data").mkdir(parents=True)
        self.channels = {}
        self.hyperparameters = {}
        self.write_config("resourceconfig.json",
                          {"current_host": "algo-1", "hosts": ["algo-1"], "network_interface_name": "eth0"})

    def write_config(self, name, value):
        (self.opt_ml / "input" / "config" / name).write_text(json.dumps(value))

    def channel(self, name, config=CSV_CHANNEL, files=None):
        folder = self.opt_ml / "input" / "data" / name
        folder.mkdir(parents=True, exist_ok=True)
        for file_name, text in (files or {}).items():
            (folder / file_name).write_text(text)
        self.channels[name] = dict(config)
        return folder

    def csv_channel(self, name, frame):
        return self.channel(name, files={f"{name}.csv": frame.to_csv(header=False, index=False)})

    def run(self, hyperparameters, version=None, hosts_file=False):
        self.write_config("hyperparameters.json", hyperparameters)
        self.write_config("inputdataconfig.json", self.channels)
        env = dict(os.environ, SAGEBOX_OPT_ML=str(self.opt_ml), TMPDIR=str(self.root),
                   PATH=os.path.dirname(sys.executable) + os.pathsep + os.environ["PATH"])
        env.pop("SAGEBOX_XGBOOST_IMAGE_VERSION", None)
        if version:
            env["SAGEBOX_XGBOOST_IMAGE_VERSION"] = version
        command = [str(TRAIN)]
        if hosts_file:
            # sagemaker-training waits until every host of resourceconfig.json resolves (algo-1); a
            # training container's /etc/hosts names them, so give the process one in a mount namespace.
            hosts = self.root / "hosts"
            hosts.write_text("127.0.0.1 localhost\n127.0.0.1 algo-1\n")
            command = ["unshare", "--map-root-user", "--mount", "sh", "-c",
                       'mount --bind "$0" /etc/hosts && exec "$1"', str(hosts), str(TRAIN)]
        self.process = subprocess.run(command, env=env, capture_output=True, text=True, timeout=120)
        return self.process

    @property
    def failure(self):
        path = self.opt_ml / "output" / "failure"
        return path.read_text() if path.exists() else None

    @property
    def model(self):
        return self.opt_ml / "model" / "xgboost-model"

    def monitor_lines(self):
        return [m for m in map(MONITOR_LINE.match, self.process.stdout.splitlines()) if m]


@pytest.fixture
def job(tmp_path):
    return Job(tmp_path)


@pytest.fixture(scope="module")
def trained(churn, tmp_path_factory):
    """One 1.7-1 training of the churn sample, shared by the tests that only read its results."""
    job = Job(tmp_path_factory.mktemp("trained"))
    train_and_validation(job, churn)
    job.run(HYPERPARAMETERS)
    return job


def train_and_validation(job, churn):
    train, validation, _ = churn
    job.csv_channel("train", train)
    job.csv_channel("validation", validation)


def packed_and_unpacked(job, folder):
    """The model as the platform uploads it (model.tar.gz, members at its root), then untarred."""
    archive = folder / "model.tar.gz"
    with tarfile.open(archive, "w:gz") as tar:
        for path in (job.opt_ml / "model").iterdir():
            tar.add(path, arcname=path.name)
    with tarfile.open(archive) as tar:
        assert tar.getnames() == ["xgboost-model"]
        tar.extractall(folder / "unpacked")
    return folder / "unpacked" / "xgboost-model"


def test_churn_csv_trains_with_the_monitor_lines_and_a_model_load_model_reads(trained, tmp_path):
    job, process = trained, trained.process
    assert process.returncode == 0, process.stderr
    assert job.failure is None

    rounds = job.monitor_lines()
    assert [int(m.group(1)) for m in rounds] == list(range(40))
    # Real TABs on stdout: the server's log layer is what renders them as #011 for CloudWatch.
    assert "#011" not in process.stdout
    assert float(rounds[-1].group(2)) < float(rounds[0].group(2))

    log = process.stderr
    assert "Saving model in the UBJSON format" not in log  # xgboost 3's warning, which the image never printed
    for line in ["Running XGBoost Sagemaker in algorithm mode", "Determined delimiter of CSV input is ','",
                 "Single node training.", "Train matrix has 2100 rows and 69 columns", "Validation matrix has 600 rows"]:
        assert re.search(r"^\[\d{4}-\d\d-\d\d:\d\d:\d\d:\d\d:INFO\] " + re.escape(line) + "$", log, re.M), line

    booster = xgboost.Booster()
    booster.load_model(str(packed_and_unpacked(job, tmp_path)))
    assert booster.num_boosted_rounds() == 40
    with pytest.raises(pickle.UnpicklingError):
        pickle.loads(job.model.read_bytes())


def test_early_stopping_on_the_last_eval_metric_keeps_the_best_round(job, churn):
    """Early stopping watches the last eval_metric on the validation set. Here it is `accuracy`, one of the
    container's own metrics (computed from margins with scikit-learn) and maximized. The model kept
    (save_best) is the round with the best validation-accuracy, and it scores that."""
    train_and_validation(job, churn)
    process = job.run(dict(HYPERPARAMETERS, num_round="200", eval_metric="logloss,accuracy",
                           early_stopping_rounds="4"))
    assert process.returncode == 0, process.stderr
    line = re.compile(r"^\[(\d+)\]\ttrain-logloss:\S+\ttrain-accuracy:(\S+)\tvalidation-logloss:\S+"
                      r"\tvalidation-accuracy:(\S+)$")
    rounds = [m for m in map(line.match, process.stdout.splitlines()) if m]
    accuracies = [float(m.group(3)) for m in rounds]
    best = int(np.argmax(accuracies))
    assert len(rounds) == best + 1 + 4
    booster = xgboost.Booster()
    booster.load_model(str(job.model))
    assert booster.num_boosted_rounds() == best + 1
    validation = churn[1]
    predictions = booster.predict(xgboost.DMatrix(validation.iloc[:, 1:].values))
    assert abs(float(((predictions > 0.5) == validation.iloc[:, 0].to_numpy()).mean()) - accuracies[best]) < 1e-4


def test_a_checkpoint_is_resumed_and_the_containers_checkpoint_saved(job, churn, tmp_path):
    """checkpointconfig.json's LocalPath: training resumes from `xgboost-checkpoint.<round>`, and the
    container's TrainingCheckPoint (its interval is the resumed round count) saves once, 10 rounds later."""
    train, validation, _ = churn
    train_and_validation(job, churn)
    checkpoints = tmp_path / "checkpoints"
    checkpoints.mkdir()
    params = {k: v for k, v in HYPERPARAMETERS.items() if k != "num_round"}
    first = xgboost.train(params, xgboost.DMatrix(train.iloc[:, 1:].values, label=train.iloc[:, 0].values),
                          num_boost_round=10)
    first.save_model(str(checkpoints / "xgboost-checkpoint.9"))
    job.write_config("checkpointconfig.json", {"LocalPath": str(checkpoints)})
    process = job.run(HYPERPARAMETERS)
    assert process.returncode == 0, process.stderr
    assert f"Checkpoint loaded from {checkpoints / 'xgboost-checkpoint.9'}" in process.stderr
    assert "Resuming from iteration 10" in process.stderr
    # The monitor counts the rounds of this run from 0, as xgboost 1.7 did after a resume.
    assert [int(m.group(1)) for m in job.monitor_lines()] == list(range(30))
    booster = xgboost.Booster()
    booster.load_model(str(job.model))
    assert booster.num_boosted_rounds() == 40
    assert sorted(p.name for p in checkpoints.iterdir()) == [
        "xgboost-checkpoint.9", "xgboost-checkpoint_20.ubj", "xgboost-checkpoint_30.ubj"]


def test_a_1_2_image_pickles_the_booster(job, churn):
    train_and_validation(job, churn)
    process = job.run(HYPERPARAMETERS, version="1.2-2")
    assert process.returncode == 0, process.stderr
    raw = job.model.read_bytes()
    assert raw[:2] == b"\x80\x04"  # pickle protocol 4
    booster = pickle.loads(raw)
    assert isinstance(booster, xgboost.Booster) and booster.num_boosted_rounds() == 40
    # As on AWS with these images: load_model fails on a pickle (its error text is not UTF-8 here).
    with pytest.raises((xgboost.core.XGBoostError, UnicodeDecodeError)):
        xgboost.Booster().load_model(str(job.model))


def test_libsvm_is_the_default_content_type(job, churn):
    train, validation, _ = churn

    def libsvm(frame):
        lines = []
        for row in frame.to_numpy():
            features = " ".join(f"{i}:{v:g}" for i, v in enumerate(row[1:]) if v != 0)
            lines.append(f"{row[0]:g} {features}")
        return "\n".join(lines) + "\n"

    no_content_type = {k: v for k, v in CSV_CHANNEL.items() if k != "ContentType"}
    job.channel("train", no_content_type, {"train.libsvm": libsvm(train)})
    job.channel("validation", no_content_type, {"validation.libsvm": libsvm(validation)})
    process = job.run(HYPERPARAMETERS)
    assert process.returncode == 0, process.stderr
    assert len(job.monitor_lines()) == 40
    # LibSVM has no width: the matrix ends at the highest index any row of train names.
    columns = max(i for row in train.to_numpy() for i, v in enumerate(row[1:]) if v != 0) + 1
    assert f"Train matrix has 2100 rows and {columns} columns" in process.stderr


def failure_case(name, hyperparameters=None, version=None, expected=None):
    return pytest.param(name, hyperparameters or HYPERPARAMETERS, version, expected, id=name)


def header_of(churn):
    return churn[0].to_csv(header=False, index=False).splitlines()[0][:50]


@pytest.mark.parametrize("case,hyperparameters,version,expected", [
    failure_case("max_depth_float", dict(HYPERPARAMETERS, max_depth="5.0"),
                 expected="Hyperparameter max_depth: could not parse value (caused by ValueError)"),
    failure_case("missing_num_round", {k: v for k, v in HYPERPARAMETERS.items() if k != "num_round"},
                 expected="Missing required hyperparameter: num_round"),
    failure_case("unknown_name", dict(HYPERPARAMETERS, max_dept="5"),
                 expected="Extraneous hyperparameter found: max_dept"),
    failure_case("out_of_range", dict(HYPERPARAMETERS, eta="1.5"), expected="Hyperparameter eta: 1.5 is not in [0, 1]"),
    failure_case("alias_out_of_range", dict(HYPERPARAMETERS, learning_rate="-1"),
                 expected="Hyperparameter eta: -1.0 is not in [0, 1]"),
    failure_case("name_of_a_later_image", dict(HYPERPARAMETERS, use_dask_gpu_training="false"), version="1.3-1",
                 expected="Extraneous hyperparameter found: use_dask_gpu_training"),
    failure_case("no_aliases_in_0_90_1", dict(HYPERPARAMETERS, learning_rate="0.1"), version="0.90-1",
                 expected="Extraneous hyperparameter found: learning_rate"),
    failure_case("name_of_a_later_image_tag_with_suffix", dict(HYPERPARAMETERS, deterministic_histogram="true"),
                 version="1.0-1-cpu-py3", expected="Extraneous hyperparameter found: deterministic_histogram"),
    failure_case("name_of_an_earlier_image", dict(HYPERPARAMETERS, single_precision_histogram="maybe"),
                 version="1.5-1",
                 expected="Hyperparameter single_precision_histogram: maybe is not in ['true', 'false']"),
    failure_case("auc_for_regression", dict(HYPERPARAMETERS, objective="reg:squarederror", eval_metric="auc"),
                 expected="Metric 'auc' can only be applied for classification and ranking problems."),
    # The container reads dependencies["objective"]: eval_metric without an objective is a KeyError.
    failure_case("eval_metric_without_objective",
                 {k: v for k, v in HYPERPARAMETERS.items() if k != "objective"}, expected="'objective'"),
    failure_case("multi_without_num_class", dict(HYPERPARAMETERS, objective="multi:softmax", eval_metric="merror"),
                 expected="Require input for parameter 'num_class' for multi-classification"),
    failure_case("missing_train_channel", expected="Missing required channel: train"),
    failure_case("csv_without_content_type", expected="First line '{header}...' of file 'train.csv' is not 'LIBSVM' "
                 "format. Please ensure the file is in 'LIBSVM' format."),
    failure_case("extraneous_channel", expected="Extraneous channel found: test"),
    failure_case("unaccepted_content_type", expected="Channel configuration for 'train' channel is not supported: "
                 "{'ContentType': 'application/json', 'TrainingInputMode': 'File', "
                 "'S3DistributionType': 'FullyReplicated', 'RecordWrapperType': 'None'}"),
    failure_case("hidden_file", expected="Hidden file found in the data path! Remove that before training."),
    failure_case("empty_train_channel", expected="No data in training channel path {train}"),
    failure_case("empty_validation_channel", expected="No data in validation channel path {validation}"),
])
def test_bad_input_fails_with_the_containers_text(job, churn, case, hyperparameters, version, expected):
    train, validation, test = churn
    data = job.opt_ml / "input" / "data"
    if case == "missing_train_channel":
        job.csv_channel("validation", validation)
    elif case == "csv_without_content_type":
        job.channel("train", {k: v for k, v in CSV_CHANNEL.items() if k != "ContentType"},
                    {"train.csv": train.to_csv(header=False, index=False)})
    elif case == "extraneous_channel":
        train_and_validation(job, churn)
        job.csv_channel("test", test)
    elif case == "unaccepted_content_type":
        job.channel("train", dict(CSV_CHANNEL, ContentType="application/json"), {"train.json": "{}"})
    elif case == "hidden_file":
        train_and_validation(job, churn)
        (data / "validation" / ".validation.csv.swp").write_text("x")
    elif case == "empty_train_channel":
        job.channel("train")
        job.csv_channel("validation", validation)
    elif case == "empty_validation_channel":
        job.csv_channel("train", train)
        job.channel("validation")
    else:
        train_and_validation(job, churn)

    process = job.run(hyperparameters, version)
    assert process.returncode == 1, process.stderr
    expected = expected.replace("{header}", header_of(churn)).replace("{train}", str(data / "train")) \
        .replace("{validation}", str(data / "validation"))
    failure = job.failure
    assert failure.startswith("framework error: \nTraceback (most recent call last):\n")
    assert failure.endswith("\n" + expected)
    assert "^^^" not in failure  # printed as the images' Python (< 3.11) prints a traceback
    if case == "unknown_name":
        # As AWS reports it (the container raises while handling the KeyError of its lookup).
        assert "\nKeyError: 'max_dept'\n\nDuring handling of the above exception, another exception occurred:\n" in failure
    assert "Reporting training FAILURE" in process.stderr
    assert not job.model.exists()


def test_evaluate_py_pattern_matches_plain_python(trained, churn, tmp_path):
    """The course's evaluate.py: untar model.tar.gz into the working directory, Booster.load_model,
    predict on test.csv read with header=None. Its accuracy is that of the same xgboost.train call made
    in plain Python on the same data."""
    train, validation, test = churn
    job = trained
    assert job.process.returncode == 0
    evaluation = tmp_path / "evaluation"
    evaluation.mkdir()
    (evaluation / "test.csv").write_text(test.to_csv(header=False, index=False))
    with tarfile.open(evaluation / "model.tar.gz", "w:gz") as tar:
        tar.add(job.model, arcname="xgboost-model")
    script = """
import json, tarfile, pandas as pd, xgboost
with tarfile.open("model.tar.gz") as tar:
    tar.extractall(path=".")
model = xgboost.Booster()
model.load_model("xgboost-model")
df = pd.read_csv("test.csv", header=None)
y = df.iloc[:, 0].to_numpy()
predictions = model.predict(xgboost.DMatrix(df.iloc[:, 1:].values))
print(json.dumps({"accuracy": float(((predictions > 0.5) == y).mean())}))
"""
    result = subprocess.run([sys.executable, "-c", script], cwd=evaluation, capture_output=True, text=True,
                            check=True)
    accuracy = json.loads(result.stdout)["accuracy"]

    params = {k: v for k, v in HYPERPARAMETERS.items() if k != "num_round"}
    plain = xgboost.train(params, xgboost.DMatrix(train.iloc[:, 1:].values, label=train.iloc[:, 0].values),
                          num_boost_round=40)
    expected = float(((plain.predict(xgboost.DMatrix(test.iloc[:, 1:].values)) > 0.5) ==
                      test.iloc[:, 0].to_numpy()).mean())
    assert accuracy > 0.75
    assert abs(accuracy - expected) <= 0.02


def runtime_data():
    sys.path.insert(0, str(TRAIN.parent.parent))
    from sagebox_xgboost import data
    return data


def dmlc_reference(uri):
    """What the container's xgb.DMatrix(uri) reads, while this xgboost still reads text files (deprecated in 3.1)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            return xgboost.DMatrix(uri)
        except xgboost.core.XGBoostError:
            pytest.skip("this xgboost no longer reads text files through a URI")


def test_csv_cells_are_read_as_dmlcs_uri_loader_reads_them(tmp_path):
    """What the container's xgb.DMatrix("<dir>?format=csv&label_column=0") makes of a header row, text,
    empty cells and numbers with trailing text, compared cell by cell with the runtime's own parser."""
    folder = tmp_path / "files"
    folder.mkdir()
    (folder / "a.csv").write_text("label,a,b\n1,2.5,abc\n0,,3\n1,1.5x,4\n0,1e2,  5 \n,nan,0\n 1 ,-2,+3\n")
    reference = dmlc_reference(f"{folder}?format=csv&label_column=0&delimiter=,")
    ours = runtime_data().load_csv(str(folder), csv_weights=0)
    assert ours.get_label().tolist() == reference.get_label().tolist() == [0, 1, 0, 1, 0, 0, 1]
    theirs, mine = reference.get_data(), ours.get_data()
    assert mine.toarray().tolist() == theirs.toarray().tolist()
    assert mine.indices.tolist() == theirs.indices.tolist()  # the same cells missing


def test_libsvm_lines_are_read_as_dmlcs_uri_loader_reads_them(tmp_path):
    folder = tmp_path / "files"
    folder.mkdir()
    (folder / "a.libsvm").write_text("1 1:2 3:4\n0 2:1.5\n\n1 0:1 2:2e1 3:-3\n0\n")
    reference = dmlc_reference(f"{folder}?format=libsvm")
    ours = runtime_data().load_libsvm(str(folder))
    assert ours.get_label().tolist() == reference.get_label().tolist() == [1, 0, 1, 0]
    assert ours.num_col() == reference.num_col() == 4
    assert ours.get_data().toarray().tolist() == reference.get_data().toarray().tolist()


def test_script_mode_runs_the_users_script_through_sagemaker_training(job, churn, tmp_path):
    train, _, _ = churn
    job.csv_channel("train", train)
    source = tmp_path / "source"
    source.mkdir()
    (source / "train.py").write_text("""
import argparse, json, os
import pandas as pd, xgboost
parser = argparse.ArgumentParser()
parser.add_argument("--max_depth", type=int)
parser.add_argument("--eta", type=float)
parser.add_argument("--model-dir", default=os.environ.get("SM_MODEL_DIR"))
args = parser.parse_args()
df = pd.read_csv(os.path.join(os.environ["SM_CHANNEL_TRAIN"], "train.csv"), header=None)
booster = xgboost.train({"max_depth": args.max_depth, "eta": args.eta, "objective": "binary:logistic"},
                        xgboost.DMatrix(df.iloc[:, 1:].values, label=df.iloc[:, 0].values), num_boost_round=5)
booster.save_model(os.path.join(args.model_dir, "xgboost-model"))
json.dump({"max_depth": args.max_depth, "eta": args.eta, "hosts": json.loads(os.environ["SM_HOSTS"]),
           "module_dir": os.environ["SM_MODULE_DIR"]}, open(os.path.join(args.model_dir, "run.json"), "w"))
""")
    with tarfile.open(tmp_path / "sourcedir.tar.gz", "w:gz") as tar:
        tar.add(source / "train.py", arcname="train.py")
    # As the SDK's framework estimators write them: every value JSON-encoded.
    process = job.run({"max_depth": "3", "eta": "0.3", "sagemaker_program": '"train.py"',
                       "sagemaker_submit_directory": json.dumps(str(tmp_path / "sourcedir.tar.gz")),
                       "sagemaker_container_log_level": "20", "sagemaker_region": '"us-east-1"'}, hosts_file=True)
    assert process.returncode == 0, process.stdout + process.stderr
    assert (job.opt_ml / "model" / "run.json").exists(), process.stdout + process.stderr
    run = json.loads((job.opt_ml / "model" / "run.json").read_text())
    assert run == {"max_depth": 3, "eta": 0.3, "hosts": ["algo-1"], "module_dir": str(tmp_path / "sourcedir.tar.gz")}
    assert (job.opt_ml / "output" / "success").exists()
    booster = xgboost.Booster()
    booster.load_model(str(job.model))
    assert booster.num_boosted_rounds() == 5


def test_script_mode_failure_is_reported_by_the_toolkit(job, churn, tmp_path):
    job.csv_channel("train", churn[0])
    (tmp_path / "code").mkdir()
    (tmp_path / "code" / "train.py").write_text("raise ValueError('no model for you')\n")
    process = job.run({"sagemaker_program": '"train.py"',
                       "sagemaker_submit_directory": json.dumps(str(tmp_path / "code"))}, hosts_file=True)
    assert process.returncode == 1
    # The toolkit's text: the script's traceback goes to the log, not into the failure file.
    assert job.failure == f'ExecuteUserScriptError:\nExitCode 1\nErrorMessage ""\nCommand "{sys.executable}3 -- train.py"' \
        or job.failure == f'ExecuteUserScriptError:\nExitCode 1\nErrorMessage ""\nCommand "{sys.executable} -- train.py"'
    assert "ValueError: no model for you" in process.stdout + process.stderr
    assert not (job.opt_ml / "output" / "success").exists()
