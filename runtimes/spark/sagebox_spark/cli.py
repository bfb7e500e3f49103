"""The command lines: smspark-submit (the sagemaker-spark-processing images' ENTRYPOINT) and seed 004's
/opt/program/submit. Both end in one spark-submit on the primary instance (cluster.py)."""
import os
import pathlib
import sys
import traceback
from urllib.parse import urlparse

from . import cluster, conf, runtime
from .errors import AlgorithmError, CustomerError, SmsparkError

# smspark-submit's options (smspark/cli.py): every one takes a value but -v/--verbose.
OPTIONS = {"--class": "class", "--jars": "jars", "--py-files": "py-files", "--files": "files",
           "--spark-event-logs-s3-uri": "spark-event-logs-s3-uri",
           "--local-spark-event-logs-dir": "local-spark-event-logs-dir"}


def parse(argv):
    """smspark's click command with allow_interspersed_args=False: options, then APP, then APP's arguments verbatim."""
    options, verbose, index = {}, False, 0
    while index < len(argv) and argv[index].startswith("-"):
        word = argv[index]
        name, _, inline = word.partition("=")
        if name in ("-v", "--verbose"):
            verbose = True
            index += 1
            continue
        if name == "--packages":
            raise CustomerError(conf.packages_refusal("--packages"))
        if name not in OPTIONS:
            raise CustomerError(f"no such option: {name}")
        if inline:
            options[OPTIONS[name]] = inline
            index += 1
        elif index + 1 < len(argv):
            options[OPTIONS[name]] = argv[index + 1]
            index += 2
        else:
            raise CustomerError(f"Option '{name}' requires an argument.")
    if index >= len(argv):
        raise CustomerError("Missing argument 'APP'.")
    return options, verbose, argv[index], argv[index + 1:]


def list_of_files(value):
    """smspark's rendering of --jars/--py-files/--files: a folder becomes the comma list of its files;
    s3:// and s3a:// URIs stay as given; local paths must be absolute and exist."""
    expanded = []
    for path in value.split(","):
        scheme = urlparse(path).scheme
        if scheme in ("s3", "s3a"):
            expanded.append("s3a" + path[len(scheme):])
            continue
        file_path = pathlib.Path(path[len("file://"):] if scheme == "file" else path)
        if not file_path.is_absolute():
            raise CustomerError(f"file path {file_path} must be an absolute path to a file or directory")
        file_path = file_path.resolve()
        if not file_path.exists():
            raise CustomerError(f"file path {file_path} does not exist")
        if file_path.is_dir():
            files = sorted(str(f.resolve()) for f in file_path.iterdir() if f.is_file())
            if not files:
                raise CustomerError(f"Found zero files in {file_path}")
            expanded.extend(files)
        else:
            expanded.append(str(file_path))
    return ",".join(expanded)


def event_log_dir(options):
    """Where Spark writes its event logs: staged under /tmp for a local folder (copied without .inprogress),
    else straight to an S3 URI (as s3a://), else nowhere."""
    if options.get("local-spark-event-logs-dir"):
        return "file://" + conf.EVENT_LOG_STAGING
    uri = options.get("spark-event-logs-s3-uri")
    if uri:
        scheme = urlparse(uri).scheme
        return "s3a" + uri[len(scheme):] if scheme in ("s3", "s3a") else uri
    return None


def run(options, verbose, app, app_arguments):
    instance = runtime.Instance()
    paths = {"spark_home": str(runtime.spark_home()), "java_home": runtime.java_home(), "python": sys.executable}
    if not instance.is_primary:
        return cluster.run_worker(instance, paths)
    settings = conf.spark_settings(instance, paths["spark_home"], runtime.s3a_jars(), sys.executable,
                                   event_log_dir(options), os.environ)
    # As smspark does, the settings go to spark-defaults.conf (in the job's own SPARK_CONF_DIR), and the
    # command holds only the master and the user's options.
    conf.write_defaults(settings)
    submit_args = ["--master", settings.pop("spark.master"), "--deploy-mode", "client"]
    for name in ("class", "jars", "py-files", "files"):
        if options.get(name):
            value = options[name] if name == "class" else list_of_files(options[name])
            submit_args += [f"--{name}", value]
    if verbose:
        submit_args.append("--verbose")
    submit_args += [app] + list(app_arguments)
    return cluster.run_primary(instance, paths, submit_args, options.get("local-spark-event-logs-dir"))


def guarded(body):
    """Runs `body`; a failure writes smspark's failure message and exits with its code."""
    try:
        return body()
    except SmsparkError as error:
        return error.report()
    except Exception as error:  # smspark turns anything else into an AlgorithmError
        traceback.print_exc()
        wrapped = AlgorithmError("error occurred during spark-submit execution. Please see logs for details.", caused_by=error)
        return wrapped.report()


def smspark_submit(argv):
    cluster.log(f"Parsing arguments. argv: {['smspark-submit'] + list(argv)}")
    return guarded(lambda: run(*parse(argv)))


PY_FILES = "/opt/ml/processing/input/py_files"
JARS = "/opt/ml/processing/input/jars"


def program_submit(argv):
    """Seed 004's container contract (program/submit of the Feature Transformation example): env `mode`
    python or jar (`main_class` for jar), the files of /opt/ml/processing/input/{py_files,jars}, then
    the arguments passed through to spark-submit as they are."""
    def body():
        mode = os.environ.get("mode", "python")
        if mode not in ("python", "jar"):
            raise CustomerError(f"mode must be python or jar, not {mode!r}")
        if not argv:
            raise CustomerError("Missing argument 'APP'.")
        options = {}
        if mode == "python" and os.path.isdir(PY_FILES) and any(os.scandir(PY_FILES)):
            options["py-files"] = PY_FILES
        if os.path.isdir(JARS) and any(os.scandir(JARS)):
            options["jars"] = JARS
        if mode == "jar":
            if not os.environ.get("main_class"):
                raise CustomerError("mode jar needs the main_class environment variable")
            options["class"] = os.environ["main_class"]
        return run(options, False, argv[0], argv[1:])
    return guarded(body)
