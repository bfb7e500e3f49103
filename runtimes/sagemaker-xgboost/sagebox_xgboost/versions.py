"""The sagemaker-xgboost image version a job asked for, and what differs between versions.

The Swift side's image table parses the tag of the image URI (`…/sagemaker-xgboost:1.7-1`,
`…:1.0-1-cpu-py3`, `…/xgboost:latest`) into SAGEBOX_XGBOOST_IMAGE_VERSION; without it the runtime
behaves as 1.7-1.
"""
import os
import re

DEFAULT = "1.7-1"
ENVIRONMENT_VARIABLE = "SAGEBOX_XGBOOST_IMAGE_VERSION"

# Hyperparameter names per image, read from each branch of aws/sagemaker-xgboost-container.
_NAMES_0_90_1 = set("""_tuning_objective_metric alpha base_score booster colsample_bylevel colsample_bynode
colsample_bytree csv_weights dsplit early_stopping_rounds eta eval_metric gamma grow_policy lambda lambda_bias
max_bin max_delta_step max_depth max_leaves min_child_weight normalize_type nthread num_class num_round
objective one_drop predictor process_type rate_drop refresh_leaf sample_type scale_pos_weight seed silent
sketch_eps skip_drop subsample tree_method tweedie_variance_power updater verbosity""".split())
_ADDED = [
    ((0, 90, 2), {"num_parallel_tree"}, set()),
    ((1, 0, 1), {"interaction_constraints", "monotone_constraints", "save_model_on_termination"}, set()),
    ((1, 2, 1), {"_nfold", "aft_loss_distribution", "aft_loss_distribution_scale", "deterministic_histogram",
                 "single_precision_histogram"}, {"silent"}),
    ((1, 2, 2), {"_kfold", "_num_cv_round"}, {"_nfold"}),
    ((1, 3, 1), {"prob_buffer_row", "sampling_method"}, set()),
    ((1, 5, 1), {"use_dask_gpu_training"}, set()),
    ((1, 7, 1), set(), {"single_precision_histogram"}),
]


class ImageVersion:
    def __init__(self, tag):
        self.tag = tag
        match = re.match(r"^(\d+)\.(\d+)-(\d+)", tag)
        if match:
            self.full_key = tuple(int(part) for part in match.groups())
        else:
            # `xgboost:latest` / `xgboost:1` is the legacy XGBoost algorithm (0.72); the closest
            # container this runtime reproduces is 0.90-1.
            self.full_key = (0, 90, 1)
        self.key = self.full_key[:2]

    @classmethod
    def from_environment(cls):
        return cls(os.environ.get(ENVIRONMENT_VARIABLE) or DEFAULT)

    def hyperparameter_names(self):
        names = set(_NAMES_0_90_1)
        for since, added, removed in _ADDED:
            if self.full_key >= since:
                names = (names | added) - removed
        return names

    @property
    def has_aliases(self):
        # 0.90-1 declared no aliases (learning_rate etc. are unknown names there).
        return self.full_key >= (0, 90, 2)

    @property
    def pickles_model(self):
        """0.90, 1.0 and 1.2 images pickle the Booster; 1.3-1 and later call Booster.save_model."""
        return self.key < (1, 3)

    def __str__(self):
        return self.tag
