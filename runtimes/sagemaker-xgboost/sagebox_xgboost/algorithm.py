"""Algorithm mode: validate, load the channels, train, save `xgboost-model`
(sagemaker_xgboost_container/algorithm_mode/train.py, single instance, File mode).
"""
import json
import logging
import os
import pickle
import re
import sys
import warnings

from . import channels, data, hyperparameters
from .errors import AlgorithmError, PlatformError, UserError
from .metrics import eval_metrics_and_custom_metric
from .hyperparameters import MAXIMIZE_METRICS

MODEL_NAME = "xgboost-model"
CHECKPOINT_FILENAME = "xgboost-checkpoint"

# xgboost failures the container reports as the user's (xgb_constants.CUSTOMER_ERRORS).
CUSTOMER_ERRORS = [
    "label must be in [0,1] for logistic regression",
    "label must be in [0, num_class)",
    "Target is multiclass but average='binary'",
    "feature_names mismatch",
    "Check failed: preds.size() == info.labels_.size()",
    "Check failed: !auc_error AUC: the dataset only contains pos or neg samples",
    "Check failed: base_score > 0.0f && base_score < 1.0f base_score must be in (0,1) for logistic loss",
    "Check failed: label_correct PoissonRegression: label must be nonnegative",
    "Check failed: label_correct TweedieRegression: label must be nonnegative",
    "Parameter reg_lambda should be greater equal to 0",
]


def import_xgboost():
    """xgboost imports scikit-learn when it is installed, for its scikit-learn estimators that algorithm
    mode never uses: about a second of CPU in a job of a few. It is hidden during that import only (the
    container's own metrics import scikit-learn later, as usual)."""
    if "xgboost" in sys.modules:
        return
    hidden = "sklearn" not in sys.modules
    if hidden:
        sys.modules["sklearn"] = None
    try:
        import xgboost  # noqa: F401
    finally:
        if hidden:
            del sys.modules["sklearn"]


def run(paths, version):
    """run_algorithm_mode: the container reads the config files, then sagemaker_train."""
    with open(paths.hyperparameters) as f:
        train_config = json.load(f)
    with open(paths.input_data_config) as f:
        data_config = json.load(f)
    checkpoint_config = {}
    if os.path.exists(paths.checkpoint_config):
        with open(paths.checkpoint_config) as f:
            checkpoint_config = json.load(f)
    with open(paths.resource_config) as f:
        hosts = json.load(f).get("hosts", ["algo-1"])

    validated = hyperparameters.for_version(version).validate(train_config)
    if validated.get("updater"):
        validated["updater"] = ",".join(validated["updater"])
    validated_channels = channels.validate(data_config)

    train_path = paths.channel("train")
    val_path = paths.channel("validation") if "validation" in data_config else None
    content_type = channels.parse_content_type(validated_channels["train"].get("ContentType"))
    if validated_channels["train"].get("TrainingInputMode") == "Pipe":
        raise UserError("sagebox runs the XGBoost algorithm in File mode only")
    csv_weights = validated.get("csv_weights", 0)
    if val_path is not None:
        if train_path == val_path or os.path.basename(train_path) == os.path.basename(val_path):
            logging.warning("Found same path for training and validation. This is not recommended and results "
                            "may not be correct.")
        else:
            data.check_data_redundancy(train_path, val_path)

    logging.info("Determined 0 GPU(s) available on the instance.")
    validated.pop("use_dask_gpu_training", None)

    import_xgboost()
    train_size = data.get_size(train_path)
    val_size = data.get_size(val_path) if val_path else 0
    if train_size > 0:
        data.validate_data_file_path(train_path, content_type)
    if val_size > 0:
        data.validate_data_file_path(val_path, content_type)
    train_dmatrix = data.get_dmatrix(train_path, content_type, csv_weights) if train_size > 0 else None
    val_dmatrix = data.get_dmatrix(val_path, content_type, csv_weights) if val_size > 0 else None

    if len(hosts) > 1:
        raise PlatformError("sagebox runs the XGBoost algorithm on one instance only")
    if len(hosts) != 1:
        raise PlatformError("Number of hosts should be an int greater than or equal to 1")
    if train_dmatrix is None:
        raise UserError(f"No data in training channel path {train_path}")
    if "validation" in validated_channels and val_dmatrix is None:
        raise UserError(f"No data in validation channel path {val_path}")
    logging.info("Single node training.")
    train_job(validated, train_dmatrix, val_dmatrix, paths.model, checkpoint_config.get("LocalPath"), version)


def _latest_checkpoint(checkpoint_dir):
    """(path, rounds done) of the newest `xgboost-checkpoint.<round>` (checkpointing.load_checkpoint)."""
    if not checkpoint_dir or not os.path.exists(checkpoint_dir):
        return None, 0
    rounds = [int(name.split(".")[1]) for name in os.listdir(checkpoint_dir)
              if re.match(r"^{0}\.[0-9]+$".format(CHECKPOINT_FILENAME), name)]
    if not rounds:
        return None, 0
    return os.path.join(checkpoint_dir, f"{CHECKPOINT_FILENAME}.{max(rounds)}"), max(rounds) + 1


def _callbacks(checkpoint_dir, start_round, early_stopping_data, early_stopping_metric, early_stopping_rounds):
    import xgboost as xgb

    # EvaluationMonitor prints `[i]\ttrain-<metric>:<v>\tvalidation-<metric>:<v>` with real tabs on stdout;
    # CloudWatch shows them as #011, which is the log layer's business (sagebox's server renders it), not ours.
    callbacks = [xgb.callback.EvaluationMonitor()]
    if checkpoint_dir:
        # The platform makes LocalPath before the job starts; made here too so that a run outside it works.
        os.makedirs(checkpoint_dir, exist_ok=True)
        # As the container (callback.get_callbacks): the resumed round count is passed as the interval,
        # so a fresh job saves `xgboost-checkpoint_0.<ext>` once, a name load_checkpoint never matches.
        callbacks.append(xgb.callback.TrainingCheckPoint(
            directory=checkpoint_dir, interval=start_round, name=CHECKPOINT_FILENAME))
    if early_stopping_data and early_stopping_metric and early_stopping_rounds:
        callbacks.append(xgb.callback.EarlyStopping(
            rounds=early_stopping_rounds, data_name=early_stopping_data, metric_name=early_stopping_metric,
            maximize=early_stopping_metric in MAXIMIZE_METRICS, save_best=True))
    return callbacks


def train_job(train_cfg, train_dmatrix, val_dmatrix, model_dir, checkpoint_dir, version):
    import xgboost as xgb

    num_round = train_cfg.pop("num_round")
    train_cfg.pop("save_model_on_termination", None)
    tuning_objective_metric_param = train_cfg.pop("_tuning_objective_metric", None)
    eval_metric = train_cfg.get("eval_metric")
    cleaned, custom_metric, tuning_objective_metric = eval_metrics_and_custom_metric(
        tuning_objective_metric_param, eval_metric)
    if cleaned:
        train_cfg["eval_metric"] = cleaned
    else:
        train_cfg.pop("eval_metric", None)

    early_stopping_rounds = train_cfg.pop("early_stopping_rounds", None)
    early_stopping_data = "validation" if val_dmatrix else None
    early_stopping_metric = None
    if early_stopping_rounds:
        if tuning_objective_metric:
            early_stopping_metric = tuning_objective_metric[-1]
        elif eval_metric:
            early_stopping_metric = eval_metric[-1]

    logging.info(f"Train matrix has {train_dmatrix.num_row()} rows and {train_dmatrix.num_col()} columns")
    if val_dmatrix:
        logging.info(f"Validation matrix has {val_dmatrix.num_row()} rows")

    for name in ("_kfold", "_nfold", "_num_cv_round"):
        if name in train_cfg:
            raise UserError("sagebox does not run the XGBoost algorithm's cross validation (_kfold)")

    try:
        watchlist = [(train_dmatrix, "train")]
        if val_dmatrix is not None:
            watchlist.append((val_dmatrix, "validation"))
        checkpoint, start_round = _latest_checkpoint(checkpoint_dir)
        if checkpoint is not None:
            logging.info("Checkpoint loaded from %s", checkpoint)
            logging.info("Resuming from iteration %s", start_round)
        booster = xgb.train(
            train_cfg, train_dmatrix, num_boost_round=num_round - start_round, evals=watchlist,
            custom_metric=custom_metric, xgb_model=checkpoint, verbose_eval=False,
            callbacks=([custom_metric] if custom_metric else []) + _callbacks(
                checkpoint_dir, start_round, early_stopping_data, early_stopping_metric, early_stopping_rounds))
    except Exception as e:
        for message in CUSTOMER_ERRORS:
            if message in str(e):
                raise UserError(str(e))
        raise AlgorithmError(f"XGB train call failed with exception:\n {str(e)}")

    os.makedirs(model_dir, exist_ok=True)
    location = os.path.join(model_dir, MODEL_NAME)
    if version.pickles_model:
        with open(location, "wb") as f:
            pickle.dump(booster, f, protocol=4)
    else:
        # xgboost >= 2.1 writes UBJSON for a name without extension (1.7.4, in the real 1.7-1 image,
        # wrote its legacy binary); Booster.load_model reads either. Its warning about that choice is
        # not one the real image prints, so it stays out of the job's log.
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", message=".*Saving model in the UBJSON format as default")
            booster.save_model(location)
    logging.debug(f"Stored trained model at {location}")
