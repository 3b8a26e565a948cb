"""The XGBoost 1.7-1 container's hyperparameter validation, as its algorithm mode applies it to
hyperparameters.json before training: aliases replaced, required ones checked, each value parsed by
its type, ranges checked, then the checks that depend on other hyperparameters (in dependency
order). Any problem is a UserError whose text is the container's.

Written from the behaviour of aws/sagemaker-xgboost-container (branch 1.7-1,
sagemaker_algorithm_toolkit/hyperparameter_validation.py and
algorithm_mode/hyperparameter_validation.py) as recorded in the project's research notes; no
container code is used.
"""
import ast

MAXIMIZE_METRICS = [
    "accuracy", "auc", "aucpr", "balanced_accuracy", "f1", "f1_binary", "f1_macro", "map", "ndcg",
    "precision", "r2", "recall", "precision_macro", "precision_micro", "recall_macro", "recall_micro",
]
MINIMIZE_METRICS = [
    "aft-nloglik", "cox-nloglik", "error", "gamma-deviance", "gamma-nloglik", "interval-regression-accuracy",
    "logloss", "mae", "mape", "merror", "mlogloss", "mphe", "mse", "poisson-nloglik", "rmse", "rmsle",
    "tweedie-nloglik",
]
# The metric names a tuning job may optimise (the container's own metric definitions cover validation:*).
TUNING_METRICS = ["validation:" + m for m in MAXIMIZE_METRICS + MINIMIZE_METRICS]


class ToolkitError(Exception):
    """The algorithm toolkit's errors: the message, plus ' (caused by X)' when another error caused it."""

    def __init__(self, message=None, caused_by=None):
        text = message or (str(caused_by) if caused_by else "unknown error occurred")
        if caused_by is not None:
            text += " (caused by %s)" % caused_by.__class__.__name__
        super().__init__(text)
        self.message = text


class UserError(ToolkitError):
    pass


class AlgorithmError(ToolkitError):
    pass


class Interval(object):
    def __init__(self, min_open=None, min_closed=None, max_open=None, max_closed=None):
        self.min_open, self.min_closed, self.max_open, self.max_closed = min_open, min_closed, max_open, max_closed

    def __contains__(self, value):
        return not (
            (self.min_open is not None and value <= self.min_open)
            or (self.min_closed is not None and value < self.min_closed)
            or (self.max_open is not None and value >= self.max_open)
            or (self.max_closed is not None and value > self.max_closed)
        )

    def __str__(self):
        low = "(%s, " % self.min_open if self.min_open is not None else ("[%s, " % self.min_closed if self.min_closed is not None else "(-inf, ")
        high = "%s)" % self.max_open if self.max_open is not None else ("%s]" % self.max_closed if self.max_closed is not None else "+inf)")
        return low + high


class Choices(object):
    """A range decided by a function over a list of values; prints as that list."""

    def __init__(self, values, accepts=None):
        self.values = values
        self.accepts = accepts or (lambda values, v: v in values)

    def __contains__(self, value):
        return self.accepts(self.values, value)

    def __str__(self):
        return str(self.values)


class Hyperparameter(object):
    kind = "text"

    def __init__(self, name, range=None, required=False, depends_on=(), check=None):
        self.name, self.range, self.required, self.depends_on, self.check = name, range, required, depends_on, check

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
        # The container eval()s this string; a literal is all a tuple of -1/0/1 ever needs.
        return ast.literal_eval(value) if isinstance(value, str) else value

    def validate_range(self, value):
        if any(element not in self.range for element in value):
            raise UserError("Hyperparameter {}: value {} not in range {}".format(self.name, value, self.range))


def _updater_check(value, deps):
    tree = ["grow_colmaker", "distcol", "grow_histmaker", "grow_skmaker", "sync", "refresh", "prune", "grow_quantile_histmaker"]
    tree_build = ["grow_colmaker", "distcol", "grow_histmaker", "grow_colmaker", "grow_quantile_histmaker"]
    linear = ["shotgun", "coord_descent"]
    if deps.get("booster") == "gblinear":
        if not (len(value) == 1 and value[0] in linear):
            # The container formats a generator here, so its message names no option; kept as it reads.
            raise UserError("Linear updater should be one of these options: {}.".format(", ".join("'{0}'".format(u for u in linear))))
    elif deps.get("process_type") == "update":
        if not all(x in ["refresh", "prune"] for x in value):
            raise UserError("process_type 'update' can only be used with updater 'refresh' and 'prune'")
    else:
        if not all(x in tree for x in value):
            raise UserError(
                "Tree updater should be selected from these options: 'grow_colmaker', 'distcol', 'grow_histmaker', "
                "'grow_skmaker', 'grow_quantile_histmaker', 'sync', 'refresh', 'prune', 'shortgun', 'coord_descent'."
            )
        if sum(1 for x in value if x in tree_build) > 1:
            raise UserError(
                "Only one tree grow plugin can be selected. Choose one from thefollowing: "
                "'grow_colmaker', 'distcol', 'grow_histmaker', 'grow_skmaker'"
            )


def _objective_check(value, deps):
    num_class = deps.get("num_class")
    if value in ("multi:softmax", "multi:softprob") and num_class is None:
        raise UserError("Require input for parameter 'num_class' for multi-classification")
    if value is None and num_class is not None:
        raise UserError("Do not need to setup parameter 'num_class' for learning task other than multi-classification.")


def _eval_metric_accepts(supported, metric):
    if "<function" in metric:
        raise UserError("User defined evaluation metric {} is not supported yet.".format(metric))
    if "@" in metric:
        name, threshold = metric.split("@")[0].strip(), metric.split("@")[1].strip()
        if name not in ["error", "ndcg", "map"]:
            raise UserError(
                "Metric '{}' is not supported. Parameter 'eval_metric' with customized threshold should "
                "be one of these options: 'error', 'ndcg', 'map'.".format(metric)
            )
        try:
            float(threshold)
        except ValueError:
            raise UserError("Threshold value 't' in '{}@t' expects float input.".format(name))
        return True
    return metric in supported


def _eval_metric_check(value, deps):
    # As in the container, eval_metric needs objective: without it this is a KeyError (a framework error).
    objective = deps["objective"]
    if "auc" in value and not any(objective.startswith(t) for t in ["binary:", "rank:"]):
        raise UserError("Metric 'auc' can only be applied for classification and ranking problems.")
    if "aft-nloglik" in value and objective not in ["survival:aft"]:
        raise UserError("Metric 'aft-nloglik' can only be applied for 'survival:aft' objective.")


def _monotone_check(value, deps):
    if value is not None and deps.get("tree_method") not in ("exact", "hist"):
        raise UserError("monotone_constraints can be used only when the tree_method parameter is set to either 'exact' or 'hist'.")


def _interaction_check(value, deps):
    if value is not None and deps.get("tree_method") not in ("exact", "hist", "approx"):
        raise UserError(
            "interaction_constraints can be used only when the tree_method parameter is set to either 'exact', 'hist' or 'approx'."
        )


UPDATERS = [
    "grow_colmaker", "distcol", "grow_histmaker", "grow_skmaker", "sync", "refresh", "prune", "grow_colmaker",
    "distcol", "grow_histmaker", "grow_colmaker", "shotgun", "coord_descent", "refresh", "prune",
]
OBJECTIVES = [
    "aft_loss_distribution", "binary:logistic", "binary:logitraw", "binary:hinge", "count:poisson", "multi:softmax",
    "multi:softprob", "rank:pairwise", "rank:ndcg", "rank:map", "reg:linear", "reg:squarederror", "reg:logistic",
    "reg:gamma", "reg:pseudohubererror", "reg:squaredlogerror", "reg:absoluteerror", "reg:tweedie", "survival:aft",
    "survival:cox",
]

HYPERPARAMETERS = [
    Integer("num_round", Interval(min_closed=1), required=True),
    Integer("csv_weights", Interval(min_closed=0, max_closed=1)),
    Integer("early_stopping_rounds", Interval(min_closed=1)),
    Categorical("booster", ["gbtree", "gblinear", "dart"]),
    Integer("verbosity", Interval(min_closed=0, max_closed=3)),
    Integer("nthread", Interval(min_closed=1)),
    Continuous("eta", Interval(min_closed=0, max_closed=1)),
    Continuous("gamma", Interval(min_closed=0)),
    Integer("max_depth", Interval(min_closed=0)),
    Continuous("min_child_weight", Interval(min_closed=0)),
    Continuous("max_delta_step", Interval(min_closed=0)),
    Continuous("subsample", Interval(min_open=0, max_closed=1)),
    Continuous("colsample_bytree", Interval(min_open=0, max_closed=1)),
    Continuous("colsample_bylevel", Interval(min_open=0, max_closed=1)),
    Continuous("colsample_bynode", Interval(min_open=0, max_closed=1)),
    Continuous("lambda", Interval(min_closed=0)),
    Continuous("alpha", Interval(min_closed=0)),
    Categorical("tree_method", Choices(["auto", "exact", "approx", "hist", "gpu_hist"])),
    Continuous("sketch_eps", Interval(min_open=0, max_open=1)),
    Continuous("scale_pos_weight", Interval(min_open=0)),
    CommaSeparatedList("updater", UPDATERS, depends_on=("booster", "process_type"), check=_updater_check),
    Categorical("dsplit", ["row", "col"]),
    Integer("refresh_leaf", Interval(min_closed=0, max_closed=1)),
    Categorical("process_type", ["default", "update"]),
    Categorical("grow_policy", ["depthwise", "lossguide"]),
    Integer("max_leaves", Interval(min_closed=0)),
    Integer("max_bin", Interval(min_closed=0)),
    Categorical("predictor", Choices(["auto", "cpu_predictor", "gpu_predictor"])),
    Tuple("monotone_constraints", [-1, 0, 1], depends_on=("tree_method",), check=_monotone_check),
    NestedList("interaction_constraints", Interval(min_closed=1), depends_on=("tree_method",), check=_interaction_check),
    Categorical("sample_type", ["uniform", "weighted"]),
    Categorical("normalize_type", ["tree", "forest"]),
    Continuous("rate_drop", Interval(min_closed=0, max_closed=1)),
    Integer("one_drop", Interval(min_closed=0, max_closed=1)),
    Continuous("skip_drop", Interval(min_closed=0, max_closed=1)),
    Continuous("lambda_bias", Interval(min_closed=0, max_closed=1)),
    Continuous("tweedie_variance_power", Interval(min_open=1, max_open=2)),
    Categorical("objective", OBJECTIVES, depends_on=("num_class",), check=_objective_check),
    Integer("num_class", Interval(min_closed=2)),
    Continuous("base_score", Interval(min_closed=0)),
    Integer("_kfold", Interval(min_closed=2)),
    Integer("_num_cv_round", Interval(min_closed=1)),
    Categorical("_tuning_objective_metric", TUNING_METRICS),
    CommaSeparatedList(
        "eval_metric", Choices(MAXIMIZE_METRICS + MINIMIZE_METRICS, _eval_metric_accepts), depends_on=("objective",), check=_eval_metric_check
    ),
    Integer("seed", Interval(min_open=-(2 ** 31), max_open=2 ** 31 - 1)),
    Integer("num_parallel_tree", Interval(min_closed=1)),
    Categorical("save_model_on_termination", ["true", "false"]),
    Categorical("aft_loss_distribution", ["normal", "logistic", "extreme"]),
    Continuous("aft_loss_distribution_scale", Interval(min_closed=0)),
    Categorical("deterministic_histogram", ["true", "false"]),
    Categorical("sampling_method", ["uniform", "gradient_based"]),
    Integer("prob_buffer_row", Interval(min_open=1.0)),
    Categorical("use_dask_gpu_training", ["true", "false"]),
]
BY_NAME = {h.name: h for h in HYPERPARAMETERS}
ALIASES = {"learning_rate": "eta", "min_split_loss": "gamma", "reg_lambda": "lambda", "reg_alpha": "alpha"}


def _dependency_order(names):
    """Each hyperparameter after the ones it depends on (a depth-first topological order)."""
    order = []
    visited = {n: False for n in names}

    def visit(name):
        visited[name] = True
        for dep in BY_NAME[name].depends_on:
            if dep in visited and not visited[dep]:
                visit(dep)
        order.insert(0, name)

    for n in names:
        if not visited[n]:
            visit(n)
    return order


def validate(raw):
    """hyperparameters.json's strings -> parsed values, or the container's UserError."""
    given = {ALIASES.get(k, k): v for k, v in raw.items()}
    for h in HYPERPARAMETERS:
        if h.name not in given and h.required:
            raise UserError("Missing required hyperparameter: {}".format(h.name))
    parsed = {}
    for name, value in given.items():
        h = BY_NAME.get(name)
        if h is None:
            raise UserError("Extraneous hyperparameter found: {}".format(name))
        try:
            parsed[name] = h.parse(value)
        except (ValueError, SyntaxError) as e:
            raise UserError("Hyperparameter {}: could not parse value".format(name), caused_by=e)
    for name, value in parsed.items():
        try:
            BY_NAME[name].validate_range(value)
        except UserError:
            raise
        except Exception as e:
            raise AlgorithmError("Hyperparameter {}: unexpected failure when validating {}".format(name, value), caused_by=e)
    pending = _dependency_order(list(parsed))
    validated = {}
    while pending:
        name = pending.pop()
        h = BY_NAME[name]
        if h.check is not None:
            h.check(parsed[name], {d: validated[d] for d in h.depends_on if d in validated})
        validated[name] = parsed[name]
    return validated
