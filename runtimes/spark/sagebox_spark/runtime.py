"""Where Spark, its S3A jars and Java are, and what this instance is (resourceconfig.json, its cgroup)."""
import glob
import json
import math
import os
import pathlib
import shutil
import socket

# The only two jars on Spark's classpath besides pyspark's own: hadoop-aws of the 3.3 line and the AWS SDK
# bundle it was built against, from sagemaker-pyspark 1.4.5 (the only PyPI source of them). Its other jars
# (the unbundled SDK 1.12.262, sagemaker-spark) must stay off it. tests/runtimes/test_spark_runtime.py pins this.
S3A_JARS = ("hadoop-aws-3.3.1.jar", "aws-java-sdk-bundle-1.11.901.jar")


def spark_home():
    import pyspark
    return pathlib.Path(pyspark.__file__).resolve().parent


def s3a_jars():
    import sagemaker_pyspark
    folder = pathlib.Path(sagemaker_pyspark.__file__).resolve().parent / "jars"
    jars = [folder / name for name in S3A_JARS]
    missing = [str(j) for j in jars if not j.is_file()]
    if missing:
        raise RuntimeError(f"the Spark runtime lacks {', '.join(missing)}: run `make spark-runtime`")
    return [str(j) for j in jars]


def java_home():
    """JAVA_HOME, else Debian's Java 17 (openjdk-17-jre-headless, what `make spark-runtime` installs: Spark
    3.5 runs on 8, 11 and 17, and the `java` on PATH may be newer), else the installation of that `java`."""
    if os.environ.get("JAVA_HOME"):
        return os.environ["JAVA_HOME"]
    for candidate in sorted(glob.glob("/usr/lib/jvm/java-17-openjdk-*")):
        if os.access(os.path.join(candidate, "bin", "java"), os.X_OK):
            return candidate
    java = shutil.which("java")
    if java is None:
        raise RuntimeError("no java on PATH: the Spark runtime needs openjdk-17-jre-headless (`make spark-runtime`)")
    return str(pathlib.Path(java).resolve().parents[1])


class Instance:
    """This instance of the job: its host name, every host, its loopback address, its cores and memory."""

    def __init__(self, opt_ml="/opt/ml"):
        config = {}
        for path in (f"{opt_ml}/config/resourceconfig.json", f"{opt_ml}/input/config/resourceconfig.json"):
            if os.path.exists(path):
                with open(path) as f:
                    config = json.load(f)
                break
        self.host = config.get("current_host", "algo-1")
        self.hosts = config.get("hosts", [self.host])
        # smspark's rule: the primary is the first host name in sorted order.
        self.primary = sorted(self.hosts)[0]
        self.is_primary = self.host == self.primary
        self.cores, self.memory_bytes = cgroup_resources()

    def address(self, host=None):
        """The loopback address /etc/hosts gives the host (127.0.0.K+1 for algo-K)."""
        return socket.gethostbyname(host or self.host)


def _cgroup_paths():
    paths = {}
    with open("/proc/self/cgroup") as f:
        for line in f:
            _, controllers, path = line.rstrip("\n").split(":", 2)
            for controller in controllers.split(",") if controllers else [""]:
                paths[controller] = path
    return paths


def _read(path):
    try:
        with open(path) as f:
            return f.read().strip()
    except OSError:
        return None


def cgroup_resources():
    """The instance's vCPUs (its CPU quota, rounded up) and memory limit in bytes, from its cgroup (v1 or v2);
    the machine's where no limit is set."""
    cores = os.cpu_count() or 1
    with open("/proc/meminfo") as f:
        memory = int(next(line for line in f if line.startswith("MemTotal:")).split()[1]) * 1024
    paths = _cgroup_paths()
    quota = period = limit = None
    if "cpu" in paths:
        base = glob.glob("/sys/fs/cgroup/cpu") + glob.glob("/sys/fs/cgroup/cpu,cpuacct")
        for root in base:
            q = _read(f"{root}{paths['cpu']}/cpu.cfs_quota_us")
            p = _read(f"{root}{paths['cpu']}/cpu.cfs_period_us")
            if q and p and int(q) > 0:
                quota, period = int(q), int(p)
                break
    if "memory" in paths:
        value = _read(f"/sys/fs/cgroup/memory{paths['memory']}/memory.limit_in_bytes")
        if value and int(value) < memory:
            limit = int(value)
    if "" in paths and (quota is None or limit is None):
        cpu_max = _read(f"/sys/fs/cgroup{paths['']}/cpu.max")
        if quota is None and cpu_max and not cpu_max.startswith("max"):
            quota, period = (int(x) for x in cpu_max.split())
        mem_max = _read(f"/sys/fs/cgroup{paths['']}/memory.max")
        if limit is None and mem_max and mem_max != "max" and int(mem_max) < memory:
            limit = int(mem_max)
    if quota is not None:
        cores = max(1, min(cores, math.ceil(quota / period)))
    return cores, (limit or memory)
