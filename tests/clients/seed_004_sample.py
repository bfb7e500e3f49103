"""Seed 004 (the SDK's Processing page) as the SDK v2 and v3 tests run it: its preprocessing.py,
the data it reads and the check of what it writes. Standard library and boto3 only, so both test
venvs (.venv with the SDK v2, .venv-sdk3 with the SDK v3) import it.

The data are `id,age,income,label` rows with a header, in two files under the seed's own prefix
`path/to/your/data` (one of them a level down), or in one file for the local-file variant.
"""
import copy
import csv
import math
import pathlib

SCRIPT_DIR = pathlib.Path(__file__).resolve().parent / "seed_004"  # holds preprocessing.py
SOURCE_PREFIX = "path/to/your/data"  # the seed's `s3://your-bucket/path/to/your/data`, bucket filled in
SPLIT_RATIO = 0.2  # the seed's `--train-test-split-ratio 0.2`
HEADER = ["id", "age", "income", "label"]
# Relative path -> the ids of its rows; 205 rows in all, so the split is not a round 80/20 of 100.
LAYOUT = {"part-1.csv": range(1, 121), "more/part-2.csv": range(121, 206)}
ONE_FILE = {"data.csv": range(1, 206)}
ROLE = "arn:aws:iam::000000000000:role/SageMakerRole"  # the seed's "[Your SageMaker-compatible IAM role]"
# The image SKLearnProcessor(framework_version="0.20.0") names in us-east-1 (run on the host by sagebox).
SKLEARN_0_20_IMAGE = "683313688378.dkr.ecr.us-east-1.amazonaws.com/sagemaker-scikit-learn:0.20.0-cpu-py3"
OUTPUTS = {"train_data": ("/opt/ml/processing/train", "train"), "test_data": ("/opt/ml/processing/test", "test")}


def row(row_id):
    """One deterministic input row; the label is a function of the id, so a label file can be checked."""
    return [str(row_id), str(20 + row_id * 7 % 50), str(1000 * (row_id * 13 % 97)), str(row_id % 3 % 2)]


def write_data(folder, layout=LAYOUT):
    """Writes the layout's CSV files under folder; returns folder."""
    folder = pathlib.Path(folder)
    for relative, ids in layout.items():
        path = folder / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("w", newline="") as f:
            csv.writer(f).writerows([HEADER] + [row(i) for i in ids])
    return folder


def upload_data(s3, bucket, folder):
    """Uploads LAYOUT to s3://bucket/SOURCE_PREFIX/...; returns the seed's source URI (no trailing slash)."""
    for relative in LAYOUT:
        s3.upload_file(str(pathlib.Path(folder) / relative), bucket, f"{SOURCE_PREFIX}/{relative}")
    return f"s3://{bucket}/{SOURCE_PREFIX}"


def local_source(folder, layout):
    """Writes `layout` under folder/data; returns the seed's source as a local path: the folder, or the
    one file of ONE_FILE."""
    data = write_data(pathlib.Path(folder) / "data", layout)
    return str(data / "data.csv") if layout is ONE_FILE else str(data)


def uploaded_uri(default_bucket, job_name, layout):
    """Where the SDK uploads a local source: s3://<default bucket>/<job>/input/input-1, a prefix without
    trailing slash for a folder (its files land directly in /opt/ml/processing/input), the object under
    it for a file (at /opt/ml/processing/input/<name>)."""
    return f"s3://{default_bucket}/{job_name}/input/input-1" + ("/data.csv" if layout is ONE_FILE else "")


def printed_lines(layout):
    """What preprocessing.py prints about its input when the job staged `layout` at /opt/ml/processing/input."""
    total = sum(len(ids) for ids in layout.values())
    return ["Code folder: preprocessing.py", f"Input files: {', '.join(sorted(layout))}", f"Read {total} rows"]


def read_csv(s3, bucket, key):
    lines = s3.get_object(Bucket=bucket, Key=key)["Body"].read().decode().splitlines()
    return list(csv.reader(lines))


def check_outputs(s3, description, layout):
    """Checks the train and test splits the job uploaded (from its DescribeProcessingJob answer): test
    holds ceil(ratio * rows) rows as scikit-learn's train_test_split does, every input row is in exactly
    one split, features and labels line up. Returns {split: number of rows}."""
    ids = [i for rows in layout.values() for i in rows]
    expected = {"test": math.ceil(SPLIT_RATIO * len(ids))}
    expected["train"] = len(ids) - expected["test"]
    outputs = {o["OutputName"]: o["S3Output"] for o in description["ProcessingOutputConfig"]["Outputs"]}
    assert sorted(outputs) == sorted(OUTPUTS), outputs
    seen = {}
    for name, (local_path, split) in OUTPUTS.items():
        assert outputs[name]["LocalPath"] == local_path
        bucket, _, prefix = outputs[name]["S3Uri"].removeprefix("s3://").partition("/")
        listed = s3.list_objects_v2(Bucket=bucket, Prefix=prefix + "/")
        assert sorted(o["Key"] for o in listed.get("Contents", [])) == \
            [f"{prefix}/{split}_features.csv", f"{prefix}/{split}_labels.csv"], listed.get("Contents")
        features = read_csv(s3, bucket, f"{prefix}/{split}_features.csv")
        labels = read_csv(s3, bucket, f"{prefix}/{split}_labels.csv")
        assert features[0] == HEADER[:3] and labels[0] == ["label"], (features[0], labels[0])
        assert len(features) - 1 == expected[split] and len(labels) == len(features), (split, len(features))
        for feature, label in zip(features[1:], labels[1:]):
            assert feature + label == row(int(feature[0])), (split, feature, label)
        seen[split] = [int(f[0]) for f in features[1:]]
    assert not set(seen["train"]) & set(seen["test"]), "a row is in both splits"
    assert sorted(seen["train"] + seen["test"]) == sorted(ids), "rows lost or repeated"
    return {split: len(rows) for split, rows in seen.items()}


def record_create_request(client, requests):
    """Appends to `requests` every CreateProcessingJob request `client` (a boto3 SageMaker client) sends."""
    client.meta.events.register("provide-client-params.sagemaker.CreateProcessingJob",
                                lambda params, **_: requests.append(copy.deepcopy(params)))


def check_description(description, sent, input_uri, default_bucket):
    """Checks seed 004's job as DescribeProcessingJob reports it: Completed, its inputs exactly as the SDK
    sent them (the user's at /opt/ml/processing/input, the SDK's code input nested inside it), the
    framework image, the entrypoint on the uploaded script, the seed's arguments, and outputs in the
    SDK's default bucket."""
    name = description["ProcessingJobName"]
    assert description["ProcessingJobStatus"] == "Completed", description.get("FailureReason")
    assert description["ProcessingInputs"] == sent["ProcessingInputs"]
    inputs = {i["InputName"]: (i["S3Input"]["S3Uri"], i["S3Input"]["LocalPath"]) for i in description["ProcessingInputs"]}
    assert inputs == {"input-1": (input_uri, "/opt/ml/processing/input"),
                      "code": (f"s3://{default_bucket}/{name}/input/code/preprocessing.py", "/opt/ml/processing/input/code")}
    assert description["AppSpecification"] == {
        "ImageUri": SKLEARN_0_20_IMAGE,
        "ContainerEntrypoint": ["python3", "/opt/ml/processing/input/code/preprocessing.py"],
        "ContainerArguments": ["--train-test-split-ratio", "0.2"]}
    assert description["ProcessingResources"]["ClusterConfig"]["InstanceType"] == "ml.m5.xlarge"
    assert description["RoleArn"] == ROLE
    outputs = {o["OutputName"]: o["S3Output"]["S3Uri"] for o in description["ProcessingOutputConfig"]["Outputs"]}
    assert outputs == {output: f"s3://{default_bucket}/{name}/output/{output}" for output in OUTPUTS}


def check_seed_job(s3, description, sent, input_uri, default_bucket, printed, layout):
    """Every check of a seed 004 run: the job as described (check_description) against the one request
    sent, the input files the script printed (`printed`: the job's log, which the SDK printed), and the
    splits it uploaded (check_outputs)."""
    assert len(sent) == 1, sent
    check_description(description, sent[0], input_uri, default_bucket)
    for line in printed_lines(layout):
        assert line in printed, printed
    assert check_outputs(s3, description, layout) == {"train": 164, "test": 41}
