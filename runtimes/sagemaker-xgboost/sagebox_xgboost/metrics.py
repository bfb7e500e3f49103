"""The container's own evaluation metrics (sagemaker_xgboost_container/metrics/custom_metrics.py):
names in eval_metric that it computes with scikit-learn instead of xgboost's built-in ones.
"""
import logging

import numpy as np


def _class_labels(predictions):
    # The container compares raw margins: log-odds > 0 is class 1; a row per class takes the argmax.
    if predictions.ndim > 1:
        return np.argmax(predictions, axis=-1)
    return (predictions > 0.0).astype(int)


def _classification(score):
    def metric(predictions, dmatrix):
        if predictions.size == 0:
            return 0.0
        return score(dmatrix.get_label(), _class_labels(predictions))
    return metric


def _regression(score):
    return lambda predictions, dmatrix: score(dmatrix.get_label(), predictions)


def _metrics():
    from sklearn import metrics as m

    def rmse(y, p):
        return float(np.sqrt(m.mean_squared_error(y, p)))

    return {
        "accuracy": _classification(m.accuracy_score),
        "balanced_accuracy": _classification(m.balanced_accuracy_score),
        "f1": _classification(lambda y, p: m.f1_score(y, p, average="macro")),
        "f1_binary": _classification(lambda y, p: m.f1_score(y, p, average="binary")),
        "f1_macro": _classification(lambda y, p: m.f1_score(y, p, average="macro")),
        "mse": _regression(m.mean_squared_error),
        "rmse": _regression(rmse),
        "mae": _regression(m.mean_absolute_error),
        "precision": _classification(m.precision_score),
        "precision_macro": _classification(lambda y, p: m.precision_score(y, p, average="macro")),
        "precision_micro": _classification(lambda y, p: m.precision_score(y, p, average="micro")),
        "r2": _regression(m.r2_score),
        "recall": _classification(m.recall_score),
        "recall_macro": _classification(lambda y, p: m.recall_score(y, p, average="macro")),
        "recall_micro": _classification(lambda y, p: m.recall_score(y, p, average="micro")),
    }


CUSTOM_METRIC_NAMES = ["accuracy", "balanced_accuracy", "f1", "f1_binary", "f1_macro", "mse", "rmse", "mae",
                       "precision", "precision_macro", "precision_micro", "r2", "recall", "recall_macro",
                       "recall_micro"]


def eval_metrics_and_custom_metric(tuning_objective_metric_param, eval_metric):
    """(xgboost's own metrics, a custom_metric function or None, the tuning metric names)
    as train_utils.get_eval_metrics_and_feval splits them."""
    tuning_objective_metric = None
    if tuning_objective_metric_param is not None:
        metric_name = tuning_objective_metric_param.split(":")[1]
        tuning_objective_metric = metric_name.split(",")
        logging.info("Setting up HPO optimized metric to be : {}".format(metric_name))

    if tuning_objective_metric is None or eval_metric is None:
        union = tuning_objective_metric or eval_metric
    else:
        union = sorted(set(tuning_objective_metric) | set(eval_metric))
    if union is None:
        return None, None, tuning_objective_metric

    custom = [name for name in union if name in CUSTOM_METRIC_NAMES]
    if not custom:
        return union, None, tuning_objective_metric
    return list(set(union) - set(custom)), custom_metric_on_margins(custom), tuning_objective_metric


def custom_metric_on_margins(names):
    """The container's feval, given raw margins as xgboost 1.7 gave `feval`. xgboost >= 2 hands a
    `custom_metric` transformed predictions (probabilities) with a built-in objective, so this is also a
    callback that keeps the booster, and the metric asks it for the margins."""
    import xgboost as xgb
    functions = _metrics()

    class CustomMetric(xgb.callback.TrainingCallback):
        booster = None

        def before_training(self, model):
            self.booster = model
            return model

        def __call__(self, predictions, dmatrix):
            margins = self.booster.predict(dmatrix, output_margin=True, training=False)
            return [(name, functions[name](margins, dmatrix)) for name in names]

    return CustomMetric()
