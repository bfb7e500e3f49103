"""The Spark configuration smspark would build, for this machine: S3A at the sagebox endpoint, the
instance's cores and memory, event logs, and the user's configuration.json."""
import json
import os
import sys
from urllib.parse import urlparse

from .errors import CustomerError

CONFIGURATION_JSON = "/opt/ml/processing/input/conf/configuration.json"
EVENT_LOG_STAGING = "/tmp/spark-events"
MASTER_PORT = 7077
MASTER_UI_PORT = 8080


def s3a_settings(environment):
    """S3A pointed at AWS_ENDPOINT_URL with path-style addresses, and `s3://` read as S3A (the image's
    core-site does the same). hadoop-aws 3.3.1 and the AWS SDK v1 ignore AWS_ENDPOINT_URL, so it is passed
    explicitly; without it S3A talks to AWS as usual."""
    settings = {
        "fs.s3.impl": "org.apache.hadoop.fs.s3a.S3AFileSystem",
        "fs.s3a.impl": "org.apache.hadoop.fs.s3a.S3AFileSystem",
        "fs.AbstractFileSystem.s3.impl": "org.apache.hadoop.fs.s3a.S3A",
        "mapreduce.fileoutputcommitter.algorithm.version": "2",
    }
    endpoint = environment.get("AWS_ENDPOINT_URL_S3") or environment.get("AWS_ENDPOINT_URL")
    if endpoint:
        settings.update({
            "fs.s3a.endpoint": endpoint,
            "fs.s3a.path.style.access": "true",
            "fs.s3a.connection.ssl.enabled": "true" if urlparse(endpoint).scheme == "https" else "false",
        })
    if environment.get("AWS_ACCESS_KEY_ID") and environment.get("AWS_SECRET_ACCESS_KEY"):
        # Only the environment's keys: the default chain would wait on EC2's metadata service offline.
        settings.update({
            "fs.s3a.aws.credentials.provider": "org.apache.hadoop.fs.s3a.SimpleAWSCredentialsProvider",
            "fs.s3a.access.key": environment["AWS_ACCESS_KEY_ID"],
            "fs.s3a.secret.key": environment["AWS_SECRET_ACCESS_KEY"],
        })
    return settings


def read_configuration(path=CONFIGURATION_JSON):
    """configuration.json's classifications as (spark-defaults, core-site); the others are warned about,
    since there is no YARN, HDFS or Hive here. A dict or a list of {Classification, Properties}."""
    if not os.path.exists(path):
        return {}, {}
    with open(path) as f:
        document = json.load(f)
    classifications = document if isinstance(document, list) else [document]
    spark_defaults, core_site = {}, {}
    for item in classifications:
        name = item.get("Classification")
        properties = item.get("Properties", {}) or {}
        if name == "spark-defaults":
            spark_defaults.update(properties)
        elif name == "core-site":
            core_site.update(properties)
        else:
            print(f"sagebox smspark-submit: WARNING: configuration classification {name!r} is not applied here "
                  "(sagebox runs Spark standalone, without YARN, HDFS or Hive); only spark-defaults and core-site are",
                  file=sys.stderr, flush=True)
    if "spark.jars.packages" in spark_defaults:
        raise CustomerError(packages_refusal("spark.jars.packages"))
    return spark_defaults, core_site


def packages_refusal(what):
    return (f"{what} cannot be resolved offline: sagebox has no Maven repository to download packages from. "
            "Put the jars in an input and pass them with --jars (PySparkProcessor's submit_jars)")


def megabytes(size_bytes, fraction):
    return f"{max(256, int(size_bytes * fraction / 2**20))}m"


def spark_settings(instance, spark_home, jars, python, event_logs, environment):
    """Every --conf of the job's spark-submit, in order; the user's configuration.json comes last, so it wins."""
    address = instance.address()
    count = len(instance.hosts)
    conf = {
        "spark.driver.host": instance.primary,
        "spark.driver.bindAddress": address,
        # Only the two S3A jars, from the same path on every instance (the runtime is mounted on each).
        "spark.driver.extraClassPath": ":".join(jars),
        "spark.executor.extraClassPath": ":".join(jars),
        "spark.pyspark.python": python,
        "spark.pyspark.driver.python": python,
        "spark.ui.enabled": "false",
        "spark.rpc.askTimeout": "300s",
        "spark.default.parallelism": str(2 * count * instance.cores),
        "spark.sql.shuffle.partitions": str(2 * count * instance.cores),
    }
    if count == 1:
        conf["spark.master"] = f"local[{instance.cores}]"
        # Local mode's executor is the driver: most of the instance, the rest for Python workers.
        conf["spark.driver.memory"] = megabytes(instance.memory_bytes, 0.6)
    else:
        conf["spark.master"] = f"spark://{instance.primary}:{MASTER_PORT}"
        conf["spark.driver.memory"] = megabytes(instance.memory_bytes, 0.25)
        conf["spark.executor.memory"] = megabytes(instance.memory_bytes, 0.5)
        conf["spark.executor.cores"] = str(instance.cores)
        conf["spark.cores.max"] = str(count * instance.cores)
    if event_logs:
        conf["spark.eventLog.enabled"] = "true"
        conf["spark.eventLog.dir"] = event_logs
    spark_defaults, core_site = read_configuration()
    conf.update({f"spark.hadoop.{k}": v for k, v in s3a_settings(environment).items()})
    conf.update({f"spark.hadoop.{k}": str(v) for k, v in core_site.items()})
    conf.update({k: str(v) for k, v in spark_defaults.items()})
    return conf


CONF_DIR = "/tmp/sagebox-spark-conf"


def write_defaults(settings, folder=CONF_DIR):
    """spark-defaults.conf in SPARK_CONF_DIR: Java properties, one `key=value` a line."""
    os.makedirs(folder, exist_ok=True)
    def escape(text):
        return str(text).replace("\\", "\\\\").replace("\n", "\\n")
    with open(os.path.join(folder, "spark-defaults.conf"), "w") as f:
        for key, value in settings.items():
            f.write(f"{escape(key)}={escape(value)}\n")


def worker_memory(instance):
    return megabytes(instance.memory_bytes, 0.5)
