"""Hyperparameter validation of the XGBoost container's algorithm mode.

A port of sagemaker_algorithm_toolkit/hyperparameter_validation.py and
sagemaker_xgboost_container/algorithm_mode/hyperparameter_validation.py (branch 1.7-1): the same order
(aliases, required and defaults, unknown names and parsing in the request's order, ranges, dependencies)
and the same texts, because those texts are what a failed job shows as its FailureReason.
Which names exist depends on the image version (see ImageVersion.hyperparameter_names).
"""
import ast

from .errors import AlgorithmError, UserError

MAXIMIZE_METRICS = [
    "accuracy", "auc", "aucpr", "balanced_accuracy", "f1", "f1_binary", "f1_macro", "map", "ndcg",
    "precision", "r2", "recall", "precision_macro", "precision_micro", "recall_macro", "recall_micro",
]
MINIMIZE_METRICS = [
    "aft-nloglik", "cox-nloglik", "error", "gamma-deviance", "gamma-nloglik", "interval-regression-accuracy",
    "logloss", "mae", "mape", "merror", "mlogloss", "mphe", "mse", "poisson-nloglik", "rmse", "rmsle",
    "tweedie-nloglik",
]


class Interval:
    def __init__(self, min_open=None, min_closed=None, max_open=None, max_closed=None):
        self.min_open, self.min_closed = min_open, min_closed
        self.max_open, self.max_closed = max_open, max_closed

    def __str__(self):
        if self.min_open is not None:
            s = "({}, ".format(self.min_open)
        elif self.min_closed is not None:
            s = "[{}, ".format(self.min_closed)
        else:
            s = "(-inf, "
        if self.max_open is not None:
            s += "{})".format(self.max_open)
        elif self.max_closed is not None:
            s += "{}]".format(self.max_closed)
        else:
            s += "+inf)"
        return s

    def __contains__(self, value):
        return not (
            (self.min_open is not None and value <= self.min_open)
            or (self.min_closed is not None and value < self.min_closed)
            or (self.max_open is not None and value >= self.max_open)
            or (self.max_closed is not None and value > self.max_closed)
        )


class Choices:
    """A range decided by a function (the toolkit's range_validator); prints as its list."""

    def __init__(self, values, accepts):
        self.values, self.accepts = values, accepts

    def __str__(self):
        return str(self.values)

    def __contains__(self, value):
        return self.accepts(self.values, value)


class Hyperparameter:
    """Free text: kept as given (the toolkit's base class)."""

    def __init__(self, name, range=None, dependencies=None, required=False):
        self.name, self.range, self.required = name, range, required
        # dependencies: (names it reads, function(value, {name: value})).
        self.dependencies = dependencies

    def parse(self, value):
        return value

    def validate_range(self, value):
        if self.range is not None and value not in self.range:
            raise UserError("Hyperparameter {}: {} is not in {}".format(self.name, value, self.range))


class Integer(Hyperparameter):
    def parse(self, value):
        return int(value)


class Continuous(Hyperparameter):
    def parse(self, value):
        return float(value)


class Categorical(Hyperparameter):
    pass


class CommaSeparatedList(Hyperparameter):
    def parse(self, value):
        return value.split(",")

    def validate_range(self, value):
        if any(v not in self.range for v in value):
            raise UserError("Hyperparameter {}: value {} not in range {}".format(self.name, value, self.range))


class NestedList(Hyperparameter):
    def parse(self, value):
        return ast.literal_eval(value) if isinstance(value, str) else value

    def validate_range(self, value):
        if any(element not in self.range for outer in value for element in outer):
            raise UserError("Hyperparameter {}: value {} not in range {}".format(self.name, value, self.range))


class Tuple(Hyperparameter):
    def parse(self, value):
        # The container evaluates the text as Python (`eval`); literal_eval accepts the same tuples.
        return ast.literal_eval(value) if isinstance(value, str) else value

    def validate_range(self, value):
        if any(element not in self.range for element in value):
            raise UserError("Hyperparameter {}: value {} not in range {}".format(self.name, value, self.range))


class Hyperparameters:
    def __init__(self, definitions, aliases):
        self.definitions = {d.name: d for d in definitions}
        self.aliases = aliases

    def _dependency_order(self, names):
        # The toolkit's depth-first sort: a hyperparameter is validated after those it depends on.
        stack, visited = [], {name: False for name in names}

        def visit(name):
            visited[name] = True
            dependencies = self.definitions[name].dependencies
            if dependencies:
                for dependency in dependencies[0]:
                    if dependency in visited and not visited[dependency]:
                        visit(dependency)
            stack.insert(0, name)

        for name in names:
            if not visited[name]:
                visit(name)
        return stack

    def validate(self, user_hyperparameters):
        given = {self.aliases.get(name, name): value for name, value in user_hyperparameters.items()}

        for name, definition in self.definitions.items():
            if name not in given and definition.required:
                raise UserError("Missing required hyperparameter: {}".format(name))

        converted = {}
        for name, value in given.items():
            # Raised while handling the KeyError, as the container does: the failure file's traceback
            # shows both (`KeyError: 'silent'` … `During handling of the above exception`).
            try:
                definition = self.definitions[name]
            except KeyError:
                raise UserError("Extraneous hyperparameter found: {}".format(name))
            try:
                converted[name] = definition.parse(value)
            except ValueError as e:
                raise UserError("Hyperparameter {}: could not parse value".format(name), caused_by=e)

        for name, value in converted.items():
            try:
                self.definitions[name].validate_range(value)
            except UserError:
                raise
            except Exception as e:
                raise AlgorithmError(
                    "Hyperparameter {}: unexpected failure when validating {}".format(name, value), caused_by=e)

        order = self._dependency_order(list(converted))
        validated = {}
        while order:
            name = order.pop()
            value = converted[name]
            dependencies = self.definitions[name].dependencies
            if dependencies:
                names, check = dependencies
                check(value, {d: validated[d] for d in names if d in validated})
            validated[name] = value
        return validated


# --- The XGBoost definitions (1.7-1), with the image versions' differences ---------------------------

TREE_PLUGINS = ["grow_colmaker", "distcol", "grow_histmaker", "grow_skmaker", "sync", "refresh", "prune",
                "grow_quantile_histmaker"]
TREE_BUILD_PLUGINS = ["grow_colmaker", "distcol", "grow_histmaker", "grow_colmaker", "grow_quantile_histmaker"]
LINEAR_PLUGINS = ["shotgun", "coord_descent"]
UPDATE_PLUGINS = ["refresh", "prune"]
UPDATER_RANGE = ["grow_colmaker", "distcol", "grow_histmaker", "grow_skmaker", "sync", "refresh", "prune",
                 "grow_colmaker", "distcol", "grow_histmaker", "grow_colmaker", "shotgun", "coord_descent",
                 "refresh", "prune"]

OBJECTIVES = [
    "aft_loss_distribution", "binary:logistic", "binary:logitraw", "binary:hinge", "count:poisson",
    "multi:softmax", "multi:softprob", "rank:pairwise", "rank:ndcg", "rank:map", "reg:linear",
    "reg:squarederror", "reg:logistic", "reg:gamma", "reg:pseudohubererror", "reg:squaredlogerror",
    "reg:absoluteerror", "reg:tweedie", "survival:aft", "survival:cox",
]
# 0.90 and 1.0 images list fewer objectives (no AFT, pseudo-Huber or squared log error).
OBJECTIVES_BEFORE_1_2 = [
    "binary:logistic", "binary:logitraw", "binary:hinge", "count:poisson", "multi:softmax", "multi:softprob",
    "rank:pairwise", "rank:ndcg", "rank:map", "reg:linear", "reg:squarederror", "reg:logistic", "reg:gamma",
    "reg:tweedie", "survival:cox",
]


def _updater(local_histmaker):
    tree_plugins = TREE_PLUGINS + (["grow_local_histmaker"] if local_histmaker else [])
    build_plugins = TREE_BUILD_PLUGINS + (["grow_local_histmaker"] if local_histmaker else [])
    local = "'grow_local_histmaker', " if local_histmaker else ""

    def check(value, dependencies):
        if dependencies.get("booster") == "gblinear":
            if not (len(value) == 1 and value[0] in LINEAR_PLUGINS):
                # The container formats a generator here; its text is reproduced as the user sees it.
                raise UserError("Linear updater should be one of these options: {}.".format(
                    ", ".join("'{0}'".format(v for v in LINEAR_PLUGINS))))
        elif dependencies.get("process_type") == "update":
            if not all(x in UPDATE_PLUGINS for x in value):
                raise UserError("process_type 'update' can only be used with updater 'refresh' and 'prune'")
        else:
            if not all(x in tree_plugins for x in value):
                raise UserError(
                    "Tree updater should be selected from these options: 'grow_colmaker', 'distcol', "
                    "'grow_histmaker', " + local + "'grow_skmaker', 'grow_quantile_histmaker', 'sync', "
                    "'refresh', 'prune', 'shortgun', 'coord_descent'.")
            if sum(1 for x in value if x in build_plugins) > 1:
                raise UserError(
                    "Only one tree grow plugin can be selected. Choose one from the"
                    "following: 'grow_colmaker', 'distcol', 'grow_histmaker', " + local + "'grow_skmaker'")

    updater_range = UPDATER_RANGE + (["grow_local_histmaker"] if local_histmaker else [])
    return CommaSeparatedList("updater", range=updater_range, dependencies=(["booster", "process_type"], check))


def _objective_check(value, dependencies):
    num_class = dependencies.get("num_class")
    if value in ("multi:softmax", "multi:softprob") and num_class is None:
        raise UserError("Require input for parameter 'num_class' for multi-classification")
    if value is None and num_class is not None:
        raise UserError("Do not need to setup parameter 'num_class' for learning task other than "
                        "multi-classification.")


def _eval_metric_accepts(supported, metric):
    if "<function" in metric:
        raise UserError("User defined evaluation metric {} is not supported yet.".format(metric))
    if "@" in metric:
        metric_name = metric.split("@")[0].strip()
        metric_threshold = metric.split("@")[1].strip()
        if metric_name not in ["error", "ndcg", "map"]:
            raise UserError(
                "Metric '{}' is not supported. Parameter 'eval_metric' with customized threshold should "
                "be one of these options: 'error', 'ndcg', 'map'.".format(metric))
        try:
            float(metric_threshold)
        except ValueError:
            raise UserError("Threshold value 't' in '{}@t' expects float input.".format(metric_name))
        return True
    return metric in supported


def _eval_metric_check(value, dependencies):
    # As in the container: eval_metric without objective fails with KeyError('objective').
    objective = dependencies["objective"]
    if "auc" in value:
        if not any(objective.startswith(kind) for kind in ["binary:", "rank:"]):
            raise UserError("Metric 'auc' can only be applied for classification and ranking problems.")
    if "aft-nloglik" in value:
        if objective not in ["survival:aft"]:
            raise UserError("Metric 'aft-nloglik' can only be applied for 'survival:aft' objective.")


def _monotone_check(value, dependencies):
    if value is not None and dependencies.get("tree_method") not in ("exact", "hist"):
        raise UserError("monotone_constraints can be used only when the tree_method parameter is set to "
                        "either 'exact' or 'hist'.")


def _interaction_check(value, dependencies):
    if value is not None and dependencies.get("tree_method") not in ("exact", "hist", "approx"):
        raise UserError("interaction_constraints can be used only when the tree_method parameter is set to "
                        "either 'exact', 'hist' or 'approx'.")


def _in_list(values, value):
    return value in values


def definitions(version):
    """Every hyperparameter any image version knows; `version` picks list contents that changed."""
    objectives = OBJECTIVES_BEFORE_1_2 if version.key < (1, 2) else (
        OBJECTIVES if version.key >= (1, 7) else [o for o in OBJECTIVES if o != "reg:absoluteerror"])
    true_false = ["true", "false"]
    return [
        Integer("num_round", range=Interval(min_closed=1), required=True),
        Integer("csv_weights", range=Interval(min_closed=0, max_closed=1)),
        Integer("early_stopping_rounds", range=Interval(min_closed=1)),
        Categorical("booster", range=["gbtree", "gblinear", "dart"]),
        Integer("silent", range=Interval(min_closed=0, max_closed=1)),
        Integer("verbosity", range=Interval(min_closed=0, max_closed=3)),
        Integer("nthread", range=Interval(min_closed=1)),
        Continuous("eta", range=Interval(min_closed=0, max_closed=1)),
        Continuous("gamma", range=Interval(min_closed=0)),
        Integer("max_depth", range=Interval(min_closed=0)),
        Continuous("min_child_weight", range=Interval(min_closed=0)),
        Continuous("max_delta_step", range=Interval(min_closed=0)),
        Continuous("subsample", range=Interval(min_open=0, max_closed=1)),
        Continuous("colsample_bytree", range=Interval(min_open=0, max_closed=1)),
        Continuous("colsample_bylevel", range=Interval(min_open=0, max_closed=1)),
        Continuous("colsample_bynode", range=Interval(min_open=0, max_closed=1)),
        Continuous("lambda", range=Interval(min_closed=0)),
        Continuous("alpha", range=Interval(min_closed=0)),
        Categorical("tree_method", range=Choices(["auto", "exact", "approx", "hist", "gpu_hist"], _in_list)),
        Continuous("sketch_eps", range=Interval(min_open=0, max_open=1)),
        Continuous("scale_pos_weight", range=Interval(min_open=0)),
        _updater(local_histmaker=version.key < (1, 7)),
        Categorical("dsplit", range=["row", "col"]),
        Integer("refresh_leaf", range=Interval(min_closed=0, max_closed=1)),
        Categorical("process_type", range=["default", "update"]),
        Categorical("grow_policy", range=["depthwise", "lossguide"]),
        Integer("max_leaves", range=Interval(min_closed=0)),
        Integer("max_bin", range=Interval(min_closed=0)),
        Categorical("predictor", range=Choices(["auto", "cpu_predictor", "gpu_predictor"], _in_list)),
        Tuple("monotone_constraints", range=[-1, 0, 1], dependencies=(["tree_method"], _monotone_check)),
        NestedList("interaction_constraints", range=Interval(min_closed=1),
                   dependencies=(["tree_method"], _interaction_check)),
        Categorical("sample_type", range=["uniform", "weighted"]),
        Categorical("normalize_type", range=["tree", "forest"]),
        Continuous("rate_drop", range=Interval(min_closed=0, max_closed=1)),
        Integer("one_drop", range=Interval(min_closed=0, max_closed=1)),
        Continuous("skip_drop", range=Interval(min_closed=0, max_closed=1)),
        Continuous("lambda_bias", range=Interval(min_closed=0, max_closed=1)),
        Continuous("tweedie_variance_power", range=Interval(min_open=1, max_open=2)),
        Categorical("objective", range=objectives, dependencies=(["num_class"], _objective_check)),
        Integer("num_class", range=Interval(min_closed=2)),
        Continuous("base_score", range=Interval(min_closed=0)),
        Integer("_nfold", range=Interval(min_closed=2)),
        Integer("_kfold", range=Interval(min_closed=2)),
        Integer("_num_cv_round", range=Interval(min_closed=1)),
        Categorical("_tuning_objective_metric",
                    range=["validation:" + m for m in MAXIMIZE_METRICS + MINIMIZE_METRICS]),
        CommaSeparatedList("eval_metric", range=Choices(MAXIMIZE_METRICS + MINIMIZE_METRICS, _eval_metric_accepts),
                           dependencies=(["objective"], _eval_metric_check)),
        Integer("seed", range=Interval(min_open=-(2 ** 31), max_open=2 ** 31 - 1)),
        Integer("num_parallel_tree", range=Interval(min_closed=1)),
        Categorical("save_model_on_termination", range=true_false),
        Categorical("aft_loss_distribution", range=["normal", "logistic", "extreme"]),
        Continuous("aft_loss_distribution_scale", range=Interval(min_closed=0)),
        Categorical("deterministic_histogram", range=true_false),
        Categorical("single_precision_histogram", range=true_false),
        Categorical("sampling_method", range=["uniform", "gradient_based"]),
        Integer("prob_buffer_row", range=Interval(min_open=1.0)),
        # Not an XGBoost parameter: the container's choice of distributed GPU training.
        Categorical("use_dask_gpu_training", range=true_false),
    ]


ALIASES = {"learning_rate": "eta", "min_split_loss": "gamma", "reg_lambda": "lambda", "reg_alpha": "alpha"}


def for_version(version):
    """The image version's hyperparameters, in the container's declaration order."""
    names = version.hyperparameter_names()
    chosen = [d for d in definitions(version) if d.name in names]
    return Hyperparameters(chosen, ALIASES if version.has_aliases else {})
