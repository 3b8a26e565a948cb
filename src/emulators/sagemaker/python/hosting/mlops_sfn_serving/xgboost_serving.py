"""The SageMaker XGBoost 1.7-1 image's model server, in its two modes.

Algorithm mode (no SAGEMAKER_PROGRAM): the image's own scoring service. The model is the first
file of /opt/ml/model (every file when SAGEMAKER_INFERENCE_ENSEMBLE is not "false": predictions are
then averaged, or voted for multi:softmax and binary:hinge), unpickled or loaded with
Booster.load_model, one thread per booster. /invocations reads the request's Content-Type (none
means LIBSVM): text/csv (no label column, delimiter sniffed from the first line, empty cells are
missing values) or text/libsvm; answers 204 to an empty body, 415 to a body it cannot read, 400 when
XGBoost cannot predict on it, 406 for an Accept it does not offer; a missing or */* Accept is
SAGEMAKER_DEFAULT_INVOCATIONS_ACCEPT or text/csv. Answers: one prediction per line for text/csv,
{"predictions": [{"score": p}, ...]} for application/json; in a batch transform (SAGEMAKER_BATCH set)
one prediction per line whatever the Accept. application/jsonlines and
application/x-recordio-protobuf pass the Accept check but have no encoder there, so they end in a
500, as in the image.

Script mode (SAGEMAKER_PROGRAM): the user's handlers with the framework's defaults: input_fn decodes
text/csv and text/libsvm into a DMatrix, predict_fn is model.predict(data, validate_features=False),
output_fn encodes JSON/CSV/NPY, and there is no default model_fn.

Written from the behaviour of aws/sagemaker-xgboost-container (branch 1.7-1: serving.py,
algorithm_mode/serve.py, serve_utils.py, encoder.py); no container code is used. Reading
application/x-recordio-protobuf needs the image's mlio library, which the local runtime does not
have: such a request gets a 415 that says so.
"""
import csv
import json
import logging
import multiprocessing
import os
import pickle
import tempfile
import threading

import numpy as np

from . import codecs
from .response import HtmlResponse, Response

SUPPORTED_ACCEPTS = ["application/json", "application/jsonlines", "application/x-recordio-protobuf", "text/csv"]
VALID_CONTENT_TYPES = [
    "csv", "libsvm", "parquet", "recordio-protobuf", "text/csv", "text/libsvm", "text/x-libsvm",
    "application/x-parquet", "application/x-recordio-protobuf",
]
MAX_CONTENT_LENGTH = int(os.environ.get("MAX_CONTENT_LENGTH", "6291456"))

log = logging.getLogger("sagemaker_xgboost_container")


def media_type(value):
    """The media type of a header value, lower-cased, parameters dropped ('' for none)."""
    return (value or "").split(";")[0].strip().lower()


def content_kind(content_type):
    """csv / libsvm / parquet / recordio-protobuf for a Content-Type (None: libsvm), else ValueError."""
    if content_type is None:
        return "libsvm"
    media = media_type(content_type)
    params = dict(
        (p.split("=", 1)[0].strip(), p.split("=", 1)[1].strip()) for p in content_type.lower().split(";")[1:] if "=" in p
    )
    if media in ("csv", "text/csv"):
        if params.get("label_size", "1") != "1":
            raise ValueError(
                "{} is not an accepted csv ContentType. Optional parameter label_size must be equal to 1".format(content_type)
            )
        return "csv"
    if media in ("libsvm", "text/libsvm", "text/x-libsvm"):
        return "libsvm"
    if media in ("parquet", "application/x-parquet"):
        return "parquet"
    if media in ("recordio-protobuf", "application/x-recordio-protobuf"):
        return "recordio-protobuf"
    raise ValueError("{} is not an accepted ContentType: {}.".format(content_type, ", ".join(VALID_CONTENT_TYPES)))


def csv_to_dmatrix(text):
    import xgboost as xgb

    if isinstance(text, (bytes, bytearray)):
        text = text.decode("utf-8")
    sniffed = csv.Sniffer().sniff(text.split("\n")[0][:512]).delimiter
    delimiter = "," if sniffed.isalnum() else sniffed
    log.info("Determined delimiter of CSV input is '{}'".format(delimiter))
    rows = [["nan" if cell == "" else cell for cell in line.split(delimiter)] for line in text.split("\n")]
    return xgb.DMatrix(np.array(rows).astype(float))


def libsvm_to_dmatrix(text):
    """LIBSVM rows (labels ignored) -> a sparse DMatrix, as the algorithm-mode server parses them."""
    import xgboost as xgb
    from scipy.sparse import csr_matrix

    rows, cols, values = [], [], []
    for i, line in enumerate(text.split("\n")):
        for item in line.split(" "):
            if ":" in item:
                index, value = item.split(":")[0], item.split(":")[1]
                rows.append(i)
                cols.append(index)
                values.append(value)
    matrix = csr_matrix((np.array(values).astype(float), (np.array(rows), np.array(cols).astype(int))))
    return xgb.DMatrix(matrix)


def libsvm_file_to_dmatrix(body):
    """Script mode's LIBSVM decoder: XGBoost's own reader over the body written to a temporary file."""
    import xgboost as xgb

    fd, path = tempfile.mkstemp(suffix=".libsvm")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(body if isinstance(body, (bytes, bytearray)) else body.encode("utf-8"))
        return xgb.DMatrix(path + "?format=libsvm")
    finally:
        os.remove(path)


class RecordIOUnavailable(RuntimeError):
    pass


def no_recordio(_body):
    raise RecordIOUnavailable(
        "the local XGBoost runtime cannot read application/x-recordio-protobuf (the image decodes it with its mlio "
        "library); send text/csv or text/libsvm"
    )


def parse_payload(body, content_type):
    kind = content_kind(content_type)
    if kind == "csv":
        try:
            return csv_to_dmatrix(body.strip().decode("utf-8"))
        except Exception as e:
            raise RuntimeError(
                "Loading csv data failed with Exception, please ensure data is in csv format:\n {}\n {}".format(type(e), e)
            )
    if kind == "libsvm":
        try:
            return libsvm_to_dmatrix(body.strip().decode("utf-8"))
        except Exception as e:
            raise RuntimeError(
                "Loading libsvm data failed with Exception, please ensure data is in libsvm format:\n {}\n {}".format(type(e), e)
            )
    if kind == "recordio-protobuf":
        try:
            return no_recordio(body)
        except Exception as e:
            raise RuntimeError(
                "Loading recordio-protobuf data failed with Exception, please ensure data is in recordio-protobuf format: {} {}".format(
                    type(e), e
                )
            )
    raise RuntimeError("Content-type {} is not supported.".format(content_type))


def load_boosters(model_dir, ensemble):
    """The model file(s) of model_dir: (booster, 'pkl_format'|'xgb_format') or lists of them."""
    import xgboost as xgb

    paths = []
    for name in os.listdir(model_dir):
        path = os.path.join(model_dir, name)
        if os.path.isfile(path):
            if name.startswith("."):
                log.warning(
                    "Ignoring dotfile '%s' found in model directory - please exclude dotfiles from model archives" % path
                )
            else:
                paths.append(path)
    if not paths:
        raise RuntimeError("no model file in %s" % model_dir)
    paths = paths if ensemble else paths[:1]
    boosters, formats = [], []
    for path in paths:
        log.info("Loading the model from {}".format(path))
        try:
            with open(path, "rb") as f:
                booster = pickle.load(f)
            model_format = "pkl_format"
        except Exception as pkl_error:
            try:
                booster = xgb.Booster()
                booster.load_model(path)
                model_format = "xgb_format"
            except Exception as xgb_error:
                raise RuntimeError(
                    "Model {} cannot be loaded:\nPickle load error={}\nXGB load model error={}".format(path, pkl_error, xgb_error)
                )
        booster.set_param("nthread", 1)
        boosters.append(booster)
        formats.append(model_format)
    if ensemble and len(boosters) > 1:
        return boosters, formats
    return boosters[0], formats[0]


def predict(model, model_format, dtest, content_type, objective):
    bst, bst_format = (model[0], model_format[0]) if isinstance(model, list) else (model, model_format)
    if bst_format == "pkl_format":
        trained = bst.num_features()
        given = len(dtest.feature_names) if dtest.feature_names is not None else dtest.num_col()
        kind = content_kind(content_type)
        if kind == "libsvm":
            if given > trained + 1:
                raise ValueError(
                    "Feature size of libsvm inference data {} is larger than feature size of trained model {}.".format(given, trained)
                )
        elif kind in ("csv", "recordio-protobuf"):
            if not (trained == given or trained == given + 1):
                raise ValueError(
                    "Feature size of {} inference data {} is not consistent with feature size of trained model {}.".format(
                        kind, given, trained
                    )
                )
    if isinstance(model, list):
        outputs = [b.predict(dtest, ntree_limit=getattr(b, "best_ntree_limit", 0), validate_features=False) for b in model]
        if objective in ("multi:softmax", "binary:hinge"):
            from scipy import stats

            log.info("Vote ensemble prediction of {} with {} models".format(objective, len(model)))
            return stats.mode(outputs).mode[0]
        log.info("Average ensemble prediction of {} with {} models".format(objective, len(model)))
        return np.mean(outputs, axis=0)
    return model.predict(dtest, ntree_limit=getattr(model, "best_ntree_limit", 0), validate_features=False)


def _array_to_csv(values):
    array = np.array(values)
    if len(array.shape) == 1:
        array = np.reshape(array, (array.shape[0], 1))
    return codecs.array_to_csv(array)


class XgboostAlgorithm(object):
    """The algorithm-mode scoring service, behind the same App as the script-mode transformer."""

    # The App hands this one the request's own Content-Type and Accept (None when absent).
    raw_headers = True
    uses_default_model_fn = False

    def __init__(self):
        self.model = None
        self.format = None
        self.objective = None
        # One booster answers one request at a time (XGBoost's predict is not thread-safe; the image
        # gives each gunicorn worker its own).
        self.lock = threading.Lock()

    def initialize(self, model_dir):
        ensemble = os.environ.get("SAGEMAKER_INFERENCE_ENSEMBLE", "true") == "true"
        self.model, self.format = load_boosters(model_dir, ensemble)
        booster = self.model[0] if isinstance(self.model, list) else self.model
        self.objective = json.loads(booster.save_config())["learner"]["objective"]["name"]
        log.info("Model objective : {}".format(self.objective))

    def execution_parameters_fn(self):
        return Response(
            json.dumps(
                {
                    "MaxConcurrentTransforms": multiprocessing.cpu_count(),
                    "BatchStrategy": "MULTI_RECORD",
                    "MaxPayloadInMB": int(MAX_CONTENT_LENGTH / (1024 ** 2)),
                }
            ),
            mimetype="application/json",
        )

    def transform(self, body, content_type, accept):
        if len(body) == 0:
            return HtmlResponse("", status=204)
        try:
            dtest = parse_payload(body, content_type)
        except Exception as e:
            log.exception(e)
            return HtmlResponse(str(e), status=415)
        try:
            with self.lock:
                preds = predict(self.model, self.format, dtest, content_type, self.objective)
        except Exception as e:
            log.exception(e)
            return HtmlResponse("Unable to evaluate payload provided: %s" % e, status=400)
        accept_type = media_type(accept)
        if not accept_type or accept_type == "*/*":
            accept_type = os.environ.get("SAGEMAKER_DEFAULT_INVOCATIONS_ACCEPT", "text/csv")
        elif accept_type not in SUPPORTED_ACCEPTS:
            message = "Accept type {} is not supported. Please use supported accept types: {}.".format(accept_type, SUPPORTED_ACCEPTS)
            log.error(message)
            return HtmlResponse(message, status=406)
        if os.environ.get("SAGEMAKER_INFERENCE_OUTPUT"):
            raise RuntimeError("SAGEMAKER_INFERENCE_OUTPUT (selectable inference output) is not supported by the local XGBoost runtime")
        values = preds.tolist()
        if os.environ.get("SAGEMAKER_BATCH"):
            data = "\n".join(map(str, values)) + "\n"
        elif accept_type == "application/json":
            data = json.dumps({"predictions": [{"score": v} for v in values]})
        elif accept_type == "text/csv":
            data = _array_to_csv(values)
        else:
            # The image's encoders know JSON, CSV and NPY only: this Accept ends in an unhandled error (500).
            raise codecs.UnsupportedFormatError(accept_type)
        return Response(data, status=200, mimetype=accept_type)


# --- script mode: the framework's default handlers --------------------------------------------

def default_model_fn(model_dir):
    raise NotImplementedError(
        "Please provide a model_fn implementation.\nSee documentation for model_fn at https://github.com/aws/sagemaker-python-sdk"
    )


def default_input_fn(input_data, content_type):
    media = media_type(content_type)
    if media == "text/csv":
        return csv_to_dmatrix(input_data)
    if media in ("text/libsvm", "text/x-libsvm"):
        return libsvm_file_to_dmatrix(input_data)
    if media == "application/x-recordio-protobuf":
        return no_recordio(input_data)
    raise codecs.UnsupportedFormatError(media)


def default_predict_fn(input_data, model):
    return model.predict(input_data, validate_features=False)


def default_output_fn(prediction, accept):
    return Response(codecs.encode(prediction, accept), mimetype=accept)


SCRIPT_MODE_DEFAULTS = {
    "model_fn": default_model_fn,
    "input_fn": default_input_fn,
    "predict_fn": default_predict_fn,
    "output_fn": default_output_fn,
}
