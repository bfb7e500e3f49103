"""The image's `train`: what sagemaker-containers' trainer and the XGBoost container's training.main do.

- With a `sagemaker_program` hyperparameter (script mode) the job is handed to the sagemaker-training
  toolkit, which gives the user's script the framework containers' contract (SM_* variables,
  sagemaker_submit_directory, hyperparameters as arguments).
- Otherwise algorithm mode. A failure writes `framework error: \n<traceback>\n<message>` to
  /opt/ml/output/failure (the platform reports its first 1024 characters as FailureReason) and exits 1.
  Success exits 0 without a success file and without "Reporting training SUCCESS": training.main ends
  with sys.exit(0), which skips sagemaker-containers' success branch.
"""
import json
import logging
import logging.config
import os
import sys
import traceback

from .versions import ImageVersion

LOG_FORMAT = {"format": "[%(asctime)s:%(levelname)s] %(message)s", "datefmt": "%Y-%m-%d:%H:%M:%S"}


class OptML:
    """The container's paths under /opt/ml, or under $SAGEBOX_OPT_ML (tests run the program without a sandbox)."""

    def __init__(self, root=None):
        self.root = root or os.environ.get("SAGEBOX_OPT_ML") or "/opt/ml"
        config = os.path.join(self.root, "input", "config")
        self.hyperparameters = os.path.join(config, "hyperparameters.json")
        self.input_data_config = os.path.join(config, "inputdataconfig.json")
        self.resource_config = os.path.join(config, "resourceconfig.json")
        self.checkpoint_config = os.path.join(config, "checkpointconfig.json")
        self.model = os.path.join(self.root, "model")
        self.output = os.path.join(self.root, "output")
        self.failure = os.path.join(self.output, "failure")

    def channel(self, name):
        return os.path.join(self.root, "input", "data", name)


def configure_logging():
    # The container's console logging (algorithm_mode/integration.py), set before anything logs.
    logging.config.dictConfig({
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"verbose": LOG_FORMAT},
        "handlers": {"console": {"level": "INFO", "formatter": "verbose", "class": "logging.StreamHandler"}},
        "root": {"handlers": ["console"], "level": "INFO"},
    })


def read_hyperparameters(paths):
    try:
        with open(paths.hyperparameters) as f:
            return json.load(f)
    except FileNotFoundError:
        return {}


def run_script_mode(paths):
    """Hand over to sagemaker-training, which reads /opt/ml itself (SAGEMAKER_BASE_DIR moves it)."""
    if paths.root != "/opt/ml":
        os.environ["SAGEMAKER_BASE_DIR"] = paths.root
    # The toolkit would import this module instead of running the user's script.
    os.environ.pop("SAGEMAKER_TRAINING_MODULE", None)
    # image-site hides the toolkit from the image's scripts (the real image has none); this stand-in for
    # sagemaker-containers imports the host's, while the user's script, a child, still meets the stub.
    image_site = os.path.join(os.path.dirname(os.path.dirname(os.path.realpath(__file__))), "image-site")
    sys.path[:] = [entry for entry in sys.path if os.path.realpath(entry or ".") != image_site]
    from sagemaker_training import trainer
    trainer.train()  # exits itself, with the toolkit's success or failure file


def log_environment(hyperparameters):
    """The lines sagemaker-containers logs while it builds the training environment."""
    logging.info("Imported framework sagemaker_xgboost_container.training")
    for name, value in hyperparameters.items():
        try:
            json.loads(value)
        except (ValueError, TypeError):
            logging.info("Failed to parse hyperparameter %s value %s to Json.\nReturning the value itself",
                         name, value)
    logging.info("No GPUs detected (normal if no gpus installed)")


def traceback_text(error):
    """The traceback of `error` as the image's Python (3.7 to 3.10) prints it (without 3.11's `^^^^` marker
    lines), with each chained exception's last frame only: the container writes the whole chained
    traceback, then the error's text, and the platform keeps the first 1024 characters as FailureReason,
    where the text that says what to fix was usually cut off (README: deviations)."""
    text = "".join(traceback.format_exception(type(error), error, error.__traceback__, limit=-1))
    lines = text.splitlines(keepends=True)
    return "".join(line for line in lines if not (line.strip() and set(line.strip()) <= set("^~")))


def write_failure(paths, text):
    os.makedirs(paths.output, exist_ok=True)
    with open(paths.failure, "w") as f:
        f.write(text)


def main():
    paths = OptML()
    hyperparameters = read_hyperparameters(paths)
    if "sagemaker_program" in hyperparameters:
        run_script_mode(paths)
        return
    # Line by line, so that the job's log stream shows each round as it ends (and before a stop).
    sys.stdout.reconfigure(line_buffering=True)
    configure_logging()
    try:
        log_environment(hyperparameters)
        logging.info("Running XGBoost Sagemaker in algorithm mode")
        from . import algorithm
        algorithm.run(paths, ImageVersion.from_environment())
    except Exception as e:
        failure = "framework error: \n%s\n%s" % (traceback_text(e), str(e))
        write_failure(paths, failure)
        logging.error("Reporting training FAILURE")
        logging.error(failure)
        errno = getattr(e, "errno", None)
        sys.stdout.flush()
        os._exit(errno if isinstance(errno, int) and errno > 0 else 1)
    sys.stdout.flush()
    sys.exit(0)
