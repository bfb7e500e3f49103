"""Runs the job's Spark: local mode on a single instance; with several, a standalone cluster of the job's
instances (a Master on the primary, a Worker on every instance, each in its own sandbox and cgroup, bound
to its own loopback address), the driver on the primary once every Worker has registered."""
import json
import os
import shlex
import shutil
import socket
import subprocess
import sys
import threading
import time
import urllib.request

from . import conf as spark_conf
from .errors import AlgorithmError

REGISTRATION_TIMEOUT = 180.0


def log(text):
    print(f"sagebox smspark-submit: {text}", file=sys.stderr, flush=True)


class EventLogPublisher(threading.Thread):
    """smspark's publisher: copies the event logs Spark writes under /tmp/spark-events into the local
    folder every few seconds, named without `.inprogress`, so a Continuous output uploads them."""

    def __init__(self, source, target, period=5.0):
        super().__init__(daemon=True)
        self.source, self.target, self.period = source, target, period
        self.stopped = threading.Event()
        self.copied = {}

    def run(self):
        while not self.stopped.wait(self.period):
            self.copy()

    def copy(self):
        if not os.path.isdir(self.source):
            return
        os.makedirs(self.target, exist_ok=True)
        for name in sorted(os.listdir(self.source)):
            path = os.path.join(self.source, name)
            try:
                stat = os.stat(path)
            except FileNotFoundError:
                continue  # renamed from .inprogress meanwhile: the next pass has it
            final = name.removesuffix(".inprogress")
            key = (stat.st_size, stat.st_mtime_ns)
            if self.copied.get(final) == key:
                continue
            shutil.copyfile(path, os.path.join(self.target, final))
            self.copied[final] = key

    def down(self):
        self.stopped.set()
        self.join(timeout=10)
        self.copy()


def spark_environment(instance, runtime):
    os.makedirs(spark_conf.CONF_DIR, exist_ok=True)
    environment = dict(os.environ)
    environment.update({
        "SPARK_HOME": str(runtime["spark_home"]),
        "JAVA_HOME": runtime["java_home"],
        "SPARK_LOCAL_IP": instance.address(),
        # Spark names this instance by its host name (algo-N), as the executors' hosts in the event log.
        "SPARK_LOCAL_HOSTNAME": instance.host,
        "PYSPARK_PYTHON": runtime["python"],
        "SPARK_DAEMON_MEMORY": "256m",
        # The Master and Workers only pass messages: C1 alone and the serial collector spare the instances'
        # CPU for the driver and executors (on 2 shared cores, JIT threads were a good part of start-up).
        "SPARK_DAEMON_JAVA_OPTS": "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC",
        "SPARK_WORKER_DIR": "/tmp/spark-worker",
        "SPARK_LOG_DIR": "/tmp/spark-logs",
        "SPARK_PID_DIR": "/tmp",
        "SPARK_CONF_DIR": spark_conf.CONF_DIR,
    })
    return environment


def spark_class(runtime):
    return [os.path.join(runtime["spark_home"], "bin", "spark-class")]


def port_open(host, port):
    try:
        with socket.create_connection((host, port), timeout=1.0):
            return True
    except OSError:
        return False


def wait_for(predicate, timeout, period, what):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(period)
    raise AlgorithmError(f"timed out after {int(timeout)} s waiting for {what}")


def alive_workers(instance):
    url = f"http://{instance.address(instance.primary)}:{spark_conf.MASTER_UI_PORT}/json/"
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            state = json.load(response)
    except (OSError, ValueError):
        return set()
    return {w.get("host") for w in state.get("workers", []) if w.get("state") == "ALIVE"}


def start_worker(instance, runtime, environment):
    master = f"spark://{instance.primary}:{spark_conf.MASTER_PORT}"
    command = spark_class(runtime) + ["org.apache.spark.deploy.worker.Worker", "--host", instance.host,
                                      "--cores", str(instance.cores), "--memory", spark_conf.worker_memory(instance),
                                      "--work-dir", "/tmp/spark-worker", master]
    log(f"starting a Worker on {instance.host} ({instance.cores} cores, {spark_conf.worker_memory(instance)})")
    return subprocess.Popen(command, env=environment)


def stop(process):
    """Ends a Master or Worker (spark-class execs its JVM, so the pid is the JVM's); they stay in the
    instance's process group, so a StopProcessingJob's SIGTERM reaches them too."""
    if process is None or process.poll() is not None:
        return
    process.terminate()
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def run_worker(instance, runtime):
    """A non-primary instance: a Worker that registers with the primary's Master and ends, exiting 0,
    once the Master is gone (the driver's job ended), as smspark's workers wait for the primary to go down."""
    environment = spark_environment(instance, runtime)
    primary = instance.address(instance.primary)
    wait_for(lambda: port_open(primary, spark_conf.MASTER_PORT), REGISTRATION_TIMEOUT, 0.5,
             f"the Spark Master on {instance.primary}")
    worker = start_worker(instance, runtime, environment)
    try:
        while port_open(primary, spark_conf.MASTER_PORT):
            if worker.poll() is not None:
                raise AlgorithmError(f"the Spark Worker on {instance.host} exited with code {worker.returncode}")
            time.sleep(1.0)
        log(f"the Master on {instance.primary} is down: the Worker on {instance.host} ends")
    finally:
        stop(worker)
    return 0


def run_primary(instance, runtime, submit_args, event_logs_dir):
    """The primary: local mode alone, else a Master and a Worker of its own, then the driver once every
    instance's Worker has registered; spark-submit's exit is the job's."""
    environment = spark_environment(instance, runtime)
    master = worker = None
    publisher = None
    if event_logs_dir:
        os.makedirs(spark_conf.EVENT_LOG_STAGING, exist_ok=True)
        publisher = EventLogPublisher(spark_conf.EVENT_LOG_STAGING, event_logs_dir)
        publisher.start()
    try:
        if len(instance.hosts) > 1:
            log(f"starting the Spark Master on {instance.host}")
            master = subprocess.Popen(spark_class(runtime) + [
                "org.apache.spark.deploy.master.Master", "--host", instance.host,
                "--port", str(spark_conf.MASTER_PORT), "--webui-port", str(spark_conf.MASTER_UI_PORT)],
                env=environment)
            wait_for(lambda: port_open(instance.address(), spark_conf.MASTER_PORT), REGISTRATION_TIMEOUT, 0.25,
                     "the Spark Master to listen")
            worker = start_worker(instance, runtime, environment)
            wanted = set(instance.hosts)
            wait_for(lambda: wanted <= alive_workers(instance), REGISTRATION_TIMEOUT, 0.5,
                     f"the Spark Workers of {', '.join(sorted(wanted))} to register")
            log(f"all {len(wanted)} Workers registered: {', '.join(sorted(wanted))}")
        command = [os.path.join(runtime["spark_home"], "bin", "spark-submit")] + submit_args
        log(f"running spark submit command: {shlex.join(command)}")
        completed = subprocess.run(command, env=environment)
        if completed.returncode != 0:
            error = subprocess.CalledProcessError(completed.returncode, " ".join(["spark-submit"] + submit_args))
            raise AlgorithmError("spark failed with a non-zero exit code", caused_by=error, exit_code=completed.returncode)
        log("spark submit was successful. primary node exiting.")
        return 0
    finally:
        stop(worker)
        stop(master)
        if publisher is not None:
            publisher.down()
