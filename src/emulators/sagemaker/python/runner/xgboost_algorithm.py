"""The SageMaker XGBoost 1.7-1 image's algorithm mode (a training job with no sagemaker_program):
validate hyperparameters.json and inputdataconfig.json, read the train (and validation) channels
into DMatrix objects, train with xgboost.train printing every round's evaluation as
`[i]<TAB>train-rmse:...<TAB>validation-rmse:...` (which the job log shows as `[i]#011train-rmse:...`,
the form SageMaker's metric definitions for the image match), save the model as
/opt/ml/model/xgboost-model, and write XGBoost's checkpoints where CheckpointConfig points.

Run by the training toolkit shim (train_toolkit.py) in the job's sandbox; errors are raised as the
algorithm toolkit's UserError/AlgorithmError so the shim records them as the container does
("framework error: <traceback> <message>").

Written from the behaviour of aws/sagemaker-xgboost-container (branch 1.7-1, algorithm_mode/train.py,
train_utils.py, callback.py, checkpointing.py, metrics/custom_metrics.py); no container code is used.
The library is Debian's python3-xgboost 1.7.4, the version the image pins.
"""
import json
import logging
import os
import re
import signal

from xgboost_data import content_type_of, data_size, load_dmatrix, validate_channels, validate_data_path
from xgboost_hyperparameters import MAXIMIZE_METRICS, AlgorithmError, UserError, validate

MODEL_NAME = "xgboost-model"
CHECKPOINT_FILENAME = "xgboost-checkpoint"

# Messages of XGBoost errors that are the user's data or settings, not the algorithm's fault.
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


def setup_logging():
    """The container's log lines: `[2024-01-01:12:00:00:INFO] message`."""
    root = logging.getLogger()
    for h in list(root.handlers):
        root.removeHandler(h)
    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("[%(asctime)s:%(levelname)s] %(message)s", "%Y-%m-%d:%H:%M:%S"))
    root.addHandler(handler)
    root.setLevel(logging.INFO)


# --- metrics the container computes itself (with scikit-learn) rather than XGBoost --------------

def _class_labels(preds):
    import numpy as np

    if len(preds.shape) > 1:
        return np.argmax(preds, axis=-1)
    return (preds > 0.0).astype(int)


def _classification(score_fn):
    def metric(preds, dtrain):
        if preds.size == 0:
            return 0.0
        return score_fn(dtrain.get_label(), _class_labels(preds))

    return metric


def _custom_metrics():
    from sklearn import metrics as m

    return {
        "accuracy": _classification(m.accuracy_score),
        "balanced_accuracy": _classification(m.balanced_accuracy_score),
        "f1": _classification(lambda y, p: m.f1_score(y, p, average="macro")),
        "f1_binary": _classification(lambda y, p: m.f1_score(y, p, average="binary")),
        "f1_macro": _classification(lambda y, p: m.f1_score(y, p, average="macro")),
        "mse": lambda preds, d: m.mean_squared_error(d.get_label(), preds),
        "rmse": lambda preds, d: m.mean_squared_error(d.get_label(), preds, squared=False),
        "mae": lambda preds, d: m.mean_absolute_error(d.get_label(), preds),
        "precision": _classification(m.precision_score),
        "precision_macro": _classification(lambda y, p: m.precision_score(y, p, average="macro")),
        "precision_micro": _classification(lambda y, p: m.precision_score(y, p, average="micro")),
        "r2": lambda preds, d: m.r2_score(d.get_label(), preds),
        "recall": _classification(m.recall_score),
        "recall_macro": _classification(lambda y, p: m.recall_score(y, p, average="macro")),
        "recall_micro": _classification(lambda y, p: m.recall_score(y, p, average="micro")),
    }


CUSTOM_METRIC_NAMES = [
    "accuracy", "balanced_accuracy", "f1", "f1_binary", "f1_macro", "mse", "rmse", "mae", "precision",
    "precision_macro", "precision_micro", "r2", "recall", "recall_macro", "recall_micro",
]


def eval_metrics_and_feval(tuning_metric, eval_metric):
    """XGBoost's own metrics, a feval for the container-computed ones, and the tuning metric's names."""
    tuning = None
    if tuning_metric is not None:
        tuning = tuning_metric.split(":")[1].split(",")
        logging.info("Setting up HPO optimized metric to be : {}".format(tuning_metric.split(":")[1]))
    if tuning is None and eval_metric is None:
        return None, None, None
    if tuning is None:
        union = eval_metric
    elif eval_metric is None:
        union = tuning
    else:
        union = sorted(set(tuning).union(eval_metric))
    custom = [m for m in union if m in CUSTOM_METRIC_NAMES]
    if not custom:
        return union, None, tuning
    table = _custom_metrics()

    def feval(preds, dtrain):
        return [(name, table[name](preds, dtrain)) for name in custom]

    return list(set(union) - set(custom)), feval, tuning


# --- checkpoints ------------------------------------------------------------------------------

def load_checkpoint(checkpoint_dir):
    """The newest `xgboost-checkpoint.<n>` in the folder and the round after it, or (None, 0)."""
    if not checkpoint_dir or not os.path.isdir(checkpoint_dir):
        return None, 0
    found = [f for f in os.listdir(checkpoint_dir) if re.match(r"^{}\.[0-9]+$".format(CHECKPOINT_FILENAME), f)]
    if not found:
        return None, 0
    newest = max(found, key=lambda f: int(f.split(".")[-1]))
    return os.path.join(checkpoint_dir, newest), int(newest.split(".")[-1]) + 1


def callbacks_for(model_dir, checkpoint_dir, stop_data, stop_metric, stop_rounds, save_on_termination):
    import xgboost as xgb

    xgb_model, iteration = load_checkpoint(checkpoint_dir)
    if xgb_model is not None:
        logging.info("Checkpoint loaded from %s", xgb_model)
        logging.info("Resuming from iteration %s", iteration)
    callbacks = [xgb.callback.EvaluationMonitor()]
    if checkpoint_dir:
        # As the container does: XGBoost's TrainingCheckPoint with `iterations` set to the resume round.
        callbacks.append(xgb.callback.TrainingCheckPoint(directory=checkpoint_dir, iterations=iteration, name=CHECKPOINT_FILENAME))
    if save_on_termination == "true":
        callbacks.append(SaveIntermediateModel(model_dir))

        def on_sigterm(signo, frame):
            for name in os.listdir(model_dir):
                path = os.path.join(model_dir, name)
                if os.path.isfile(path) and not name.startswith(MODEL_NAME):
                    os.remove(path)
            os._exit(0)

        signal.signal(signal.SIGTERM, on_sigterm)
    if stop_data and stop_metric and stop_rounds:
        callbacks.append(
            xgb.callback.EarlyStopping(
                rounds=stop_rounds, data_name=stop_data, metric_name=stop_metric, maximize=stop_metric in MAXIMIZE_METRICS, save_best=True
            )
        )
    return xgb_model, iteration, callbacks


def _intermediate_model_callback():
    import xgboost as xgb

    class SaveIntermediate(xgb.callback.TrainingCallback):
        """save_model_on_termination: the model after every round, so a stopped job still has one."""

        def __init__(self, model_dir):
            super().__init__()
            self.path = os.path.join(model_dir, MODEL_NAME)

        def after_iteration(self, model, epoch, evals_log):
            tmp = self.path + ".sagemaker-ignore"
            model.save_model(tmp)
            os.replace(tmp, self.path)
            return False

    return SaveIntermediate


def SaveIntermediateModel(model_dir):
    return _intermediate_model_callback()(model_dir)


# --- the job ------------------------------------------------------------------------------------

def train(config_dir, channel_dirs, model_dir):
    """Runs algorithm mode; raises UserError/AlgorithmError as the container does."""
    import xgboost as xgb

    with open(os.path.join(config_dir, "hyperparameters.json")) as f:
        train_config = json.load(f)
    with open(os.path.join(config_dir, "inputdataconfig.json")) as f:
        data_config = json.load(f)
    checkpoint_config = {}
    checkpoint_file = os.path.join(config_dir, "checkpointconfig.json")
    if os.path.exists(checkpoint_file):
        with open(checkpoint_file) as f:
            checkpoint_config = json.load(f)

    params = validate(train_config)
    if params.get("updater"):
        params["updater"] = ",".join(params["updater"])
    channels = validate_channels(data_config)
    if params.pop("use_dask_gpu_training", "false") == "true":
        raise UserError(
            "Some configurations unsuitable for Dask GPU training were found: GPU training is not available locally (no GPU)"
        )
    if "_kfold" in params:
        raise UserError("_kfold (cross-validation training) is not supported by the local XGBoost runtime")

    content_type = channels["train"].get("ContentType")
    content_type_of(content_type)
    if channels["train"].get("TrainingInputMode") == "Pipe":
        raise UserError("Pipe input mode is not supported by the local XGBoost runtime")
    csv_weights = params.get("csv_weights", 0)
    train_path = channel_dirs["train"]
    val_path = channel_dirs.get("validation")
    if val_path is not None and os.path.basename(train_path) == os.path.basename(val_path):
        logging.warning("Found same path for training and validation. This is not recommended and results may not be correct.")
    logging.info("Determined 0 GPU(s) available on the instance.")

    train_size = data_size(train_path)
    val_size = data_size(val_path) if val_path else 0
    if train_size > 0:
        validate_data_path(train_path, content_type)
    if val_size > 0:
        validate_data_path(val_path, content_type)
    dtrain = load_dmatrix([train_path], content_type, csv_weights) if train_size > 0 else None
    dval = load_dmatrix([val_path], content_type, csv_weights) if val_size > 0 else None
    if dtrain is None:
        raise UserError("No data in training channel path {}".format(train_path))
    if "validation" in channels and dval is None:
        raise UserError("No data in validation channel path {}".format(val_path))
    logging.info("Single node training.")

    num_round = params.pop("num_round")
    save_on_termination = params.pop("save_model_on_termination", "false")
    tuning_metric = params.pop("_tuning_objective_metric", None)
    params.pop("_num_cv_round", None)
    eval_metric = params.get("eval_metric")
    native, feval, tuning = eval_metrics_and_feval(tuning_metric, eval_metric)
    if native:
        params["eval_metric"] = native
    else:
        params.pop("eval_metric", None)
    stop_rounds = params.pop("early_stopping_rounds", None)
    stop_metric = None
    if stop_rounds:
        stop_metric = tuning[-1] if tuning else (eval_metric[-1] if eval_metric else None)

    logging.info("Train matrix has {} rows and {} columns".format(dtrain.num_row(), dtrain.num_col()))
    if dval is not None:
        logging.info("Validation matrix has {} rows".format(dval.num_row()))
    watchlist = [(dtrain, "train")] + ([(dval, "validation")] if dval is not None else [])
    checkpoint_dir = checkpoint_config.get("LocalPath")
    if checkpoint_dir:
        os.makedirs(checkpoint_dir, exist_ok=True)
    try:
        xgb_model, iteration, callbacks = callbacks_for(
            model_dir, checkpoint_dir, "validation" if dval is not None else None, stop_metric, stop_rounds, save_on_termination
        )
        booster = xgb.train(
            params,
            dtrain,
            num_boost_round=num_round - iteration,
            evals=watchlist,
            feval=feval,
            callbacks=callbacks,
            xgb_model=xgb_model,
            verbose_eval=False,
        )
    except Exception as e:
        for message in CUSTOMER_ERRORS:
            if message in str(e):
                raise UserError(str(e))
        raise AlgorithmError("XGB train call failed with exception:\n {}".format(e))
    os.makedirs(model_dir, exist_ok=True)
    booster.save_model(os.path.join(model_dir, MODEL_NAME))
