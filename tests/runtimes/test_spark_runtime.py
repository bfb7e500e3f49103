"""The Spark runtime (`make spark-runtime`, runtimes/spark): the pinned jar mix, and smspark-submit's own
parsing, configuration mapping and event-log publishing, run as the job runs them (its Python, real files).

The jar mix is a contract: hadoop-aws 3.3.1 beside pyspark 3.5's Hadoop 3.3.4 client is not a combination
Hadoop supports, so a bump of either side must fail here first (and then be re-checked against the S3
operations S3A sends: tests/clients/test_spark.py)."""
import json
import os
import pathlib
import subprocess
import sys
import zipfile

import pytest

REPO = pathlib.Path(__file__).resolve().parents[2]
SPARK_VENV = pathlib.Path(os.environ.get("SAGEBOX_SPARK_ENV") or REPO / ".venv-spark")
RUNTIME = REPO / "runtimes" / "spark"
sys.path.insert(0, str(RUNTIME))

from sagebox_spark import cli, cluster, conf  # noqa: E402
from sagebox_spark.errors import CustomerError  # noqa: E402

S3A_JARS = ["hadoop-aws-3.3.1.jar", "aws-java-sdk-bundle-1.11.901.jar"]


def spark_python(code):
    """Runs `code` with the Spark venv's Python and the runtime importable; returns its JSON output."""
    assert (SPARK_VENV / "bin" / "python").exists(), "no Spark runtime: run `make spark-runtime`"
    result = subprocess.run([str(SPARK_VENV / "bin" / "python"), "-c", code], capture_output=True, text=True,
                            env={**os.environ, "PYTHONPATH": str(RUNTIME)}, check=True)
    return json.loads(result.stdout)


def test_the_jar_mix_is_pinned():
    facts = spark_python(
        "import json, os, pyspark, sagemaker_pyspark\n"
        "from sagebox_spark import runtime\n"
        "jars = os.path.join(os.path.dirname(pyspark.__file__), 'jars')\n"
        "print(json.dumps({'pyspark': pyspark.__version__, 'spark_jars': sorted(os.listdir(jars)),\n"
        "  's3a': [os.path.basename(j) for j in runtime.s3a_jars()], 'home': str(runtime.spark_home()),\n"
        "  'sm': sorted(os.listdir(os.path.join(os.path.dirname(sagemaker_pyspark.__file__), 'jars')))}))")
    assert facts["pyspark"].startswith("3.5.")
    hadoop = [j for j in facts["spark_jars"] if j.startswith("hadoop-")]
    assert "hadoop-client-api-3.3.4.jar" in hadoop and "hadoop-client-runtime-3.3.4.jar" in hadoop, hadoop
    assert not [j for j in facts["spark_jars"] if "hadoop-aws" in j or "aws-java-sdk" in j]
    assert facts["s3a"] == S3A_JARS
    # sagemaker-pyspark 1.4.5 brings the unbundled SDK 1.12.262 too: present, and never used.
    assert "aws-java-sdk-s3-1.12.262.jar" in facts["sm"] and set(S3A_JARS) <= set(facts["sm"])
    jars = [pathlib.Path(facts["home"]).parent / "sagemaker_pyspark" / "jars" / name for name in S3A_JARS]
    with zipfile.ZipFile(jars[0]) as aws:
        assert "org/apache/hadoop/fs/s3a/S3AFileSystem.class" in aws.namelist()
    with zipfile.ZipFile(jars[1]) as bundle:
        assert "com/amazonaws/services/s3/AmazonS3Client.class" in bundle.namelist()


def test_only_the_two_jars_are_on_sparks_classpath(monkeypatch, tmp_path):
    class Instance:
        host, primary, hosts, cores, memory_bytes = "algo-1", "algo-1", ["algo-1", "algo-2"], 2, 8 * 2**30

        def address(self, host=None):
            return "127.0.0.2"

    monkeypatch.setattr(conf, "CONFIGURATION_JSON", str(tmp_path / "none.json"))
    jars = [f"/venv/jars/{name}" for name in S3A_JARS]
    settings = conf.spark_settings(Instance(), "/spark", jars, "/venv/bin/python", None, {})
    assert settings["spark.driver.extraClassPath"] == settings["spark.executor.extraClassPath"] == ":".join(jars)
    assert "spark.jars" not in settings
    assert settings["spark.master"] == "spark://algo-1:7077"
    assert settings["spark.cores.max"] == "4" and settings["spark.executor.cores"] == "2"


def test_java_is_17():
    version = subprocess.run(["java", "-version"], capture_output=True, text=True).stderr
    assert 'version "17' in version, version


def test_s3a_points_at_the_endpoint_with_path_style():
    settings = conf.s3a_settings({"AWS_ENDPOINT_URL": "http://127.0.0.1:9000", "AWS_ACCESS_KEY_ID": "k",
                                  "AWS_SECRET_ACCESS_KEY": "s"})
    assert settings["fs.s3a.endpoint"] == "http://127.0.0.1:9000"
    assert settings["fs.s3a.path.style.access"] == "true"
    assert settings["fs.s3a.connection.ssl.enabled"] == "false"
    assert settings["fs.s3.impl"] == "org.apache.hadoop.fs.s3a.S3AFileSystem"
    assert (settings["fs.s3a.access.key"], settings["fs.s3a.secret.key"]) == ("k", "s")
    assert "fs.s3a.endpoint" not in conf.s3a_settings({})


def test_smspark_options_and_app_arguments_pass_through():
    options, verbose, app, arguments = cli.parse(
        ["--jars", "/j", "--py-files=/p", "-v", "--local-spark-event-logs-dir", "/e", "app.py", "--jars", "x"])
    assert options == {"jars": "/j", "py-files": "/p", "local-spark-event-logs-dir": "/e"}
    assert verbose and app == "app.py" and arguments == ["--jars", "x"]
    with pytest.raises(CustomerError, match="--packages cannot be resolved offline"):
        cli.parse(["--packages", "org.apache.spark:spark-avro_2.12:3.5.1", "app.py"])
    with pytest.raises(CustomerError, match="no such option: --conf"):
        cli.parse(["--conf", "a=b", "app.py"])
    with pytest.raises(CustomerError, match="Missing argument 'APP'"):
        cli.parse(["-v"])


def test_folders_expand_to_their_files_and_s3_becomes_s3a(tmp_path):
    (tmp_path / "b.py").write_text("")
    (tmp_path / "a.py").write_text("")
    assert cli.list_of_files(str(tmp_path)) == f"{tmp_path}/a.py,{tmp_path}/b.py"
    assert cli.list_of_files("s3://bucket/lib.zip") == "s3a://bucket/lib.zip"
    with pytest.raises(CustomerError, match="must be an absolute path"):
        cli.list_of_files("relative.py")
    (tmp_path / "empty").mkdir()
    with pytest.raises(CustomerError, match="Found zero files in"):
        cli.list_of_files(str(tmp_path / "empty"))


def test_configuration_json_maps_spark_defaults_and_core_site(tmp_path, capsys):
    path = tmp_path / "configuration.json"
    path.write_text(json.dumps([
        {"Classification": "spark-defaults", "Properties": {"spark.executor.memory": "2g"}},
        {"Classification": "core-site", "Properties": {"fs.s3a.connection.maximum": "50"}},
        {"Classification": "yarn-site", "Properties": {"yarn.nodemanager.vmem-check-enabled": "false"}}]))
    spark_defaults, core_site = conf.read_configuration(str(path))
    assert spark_defaults == {"spark.executor.memory": "2g"}
    assert core_site == {"fs.s3a.connection.maximum": "50"}
    assert "classification 'yarn-site' is not applied here" in capsys.readouterr().err
    path.write_text(json.dumps({"Classification": "spark-defaults", "Properties": {"spark.jars.packages": "a:b:1"}}))
    with pytest.raises(CustomerError, match="spark.jars.packages cannot be resolved offline"):
        conf.read_configuration(str(path))


def test_event_logs_are_published_without_inprogress(tmp_path):
    source, target = tmp_path / "spark-events", tmp_path / "published"
    source.mkdir()
    (source / "local-1.inprogress").write_text('{"Event":"SparkListenerApplicationStart"}\n')
    publisher = cluster.EventLogPublisher(str(source), str(target))
    publisher.copy()
    assert sorted(os.listdir(target)) == ["local-1"]
    (source / "local-1.inprogress").rename(source / "local-1")
    with open(source / "local-1", "a") as f:
        f.write('{"Event":"SparkListenerApplicationEnd"}\n')
    publisher.copy()
    assert sorted(os.listdir(target)) == ["local-1"]
    assert (target / "local-1").read_text().count("\n") == 2


def test_event_logs_go_where_smspark_sends_them():
    # The SDK's local folder: Spark writes under /tmp and the publisher copies; an S3 URI alone: S3A directly.
    assert cli.event_log_dir({"local-spark-event-logs-dir": "/opt/ml/processing/spark-events/",
                              "spark-event-logs-s3-uri": "s3://b/events"}) == "file:///tmp/spark-events"
    assert cli.event_log_dir({"spark-event-logs-s3-uri": "s3://b/events"}) == "s3a://b/events"
    assert cli.event_log_dir({}) is None


def test_seed_004_submit_contract(monkeypatch, tmp_path):
    """/opt/program/submit: env mode python|jar (jar needs main_class), the py_files and jars folders, argv as is."""
    seen = []
    monkeypatch.setattr(cli, "run", lambda options, verbose, app, arguments: seen.append((options, app, arguments)) or 0)
    py_files, jars = tmp_path / "py_files", tmp_path / "jars"
    py_files.mkdir()
    jars.mkdir()
    (py_files / "helpers.py").write_text("")
    monkeypatch.setattr(cli, "PY_FILES", str(py_files))
    monkeypatch.setattr(cli, "JARS", str(jars))
    monkeypatch.setenv("mode", "python")
    assert cli.program_submit(["/opt/ml/processing/input/code/preprocess.py", "s3_input_bucket", "b"]) == 0
    assert seen.pop() == ({"py-files": str(py_files)}, "/opt/ml/processing/input/code/preprocess.py", ["s3_input_bucket", "b"])
    (jars / "udf.jar").write_text("")
    monkeypatch.setenv("mode", "jar")
    monkeypatch.setenv("main_class", "com.example.Main")
    assert cli.program_submit(["/opt/ml/processing/input/code/app.jar"]) == 0
    assert seen.pop() == ({"jars": str(jars), "class": "com.example.Main"}, "/opt/ml/processing/input/code/app.jar", [])
    monkeypatch.setenv("mode", "scala")
    message = tmp_path / "message"
    monkeypatch.setattr("sagebox_spark.errors.MESSAGE_FILE", str(message))
    assert cli.program_submit(["app"]) == 2
    assert message.read_text() == "Customer Error: mode must be python or jar, not 'scala'"
