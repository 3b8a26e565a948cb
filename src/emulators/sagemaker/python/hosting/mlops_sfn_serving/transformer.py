"""The scikit-learn container's handler chain: model_fn, then input_fn -> predict_fn -> output_fn
(or one transform_fn), each taken from the user's inference script when it defines it.

As in the container, every handler runs wrapped so that any exception it raises is a generic
ClientError, which Flask turns into a 500 "Internal Server Error" page; the 415/406 branches of the
default chain are therefore unreachable with the sklearn defaults, and are kept only for fidelity.
"""
import importlib
import json
import os
import sys
import threading
import traceback

import numpy as np

from . import codecs
from .response import (
    INTERNAL_SERVER_ERROR, HtmlResponse, Response, body_bytes, error_page, jsonify_body,
)

MODEL_FILE_SUFFIXES = ('.joblib', '.pkl', '.pickle', '.sav')


class UserError(Exception):
    pass


def find_model_file(model_dir):
    preferred = os.path.join(model_dir, 'model.joblib')
    if os.path.isfile(preferred):
        return preferred
    candidates = sorted(
        name for name in os.listdir(model_dir)
        if name.endswith(MODEL_FILE_SUFFIXES) and os.path.isfile(os.path.join(model_dir, name))
    )
    if len(candidates) == 1:
        return os.path.join(model_dir, candidates[0])
    found = ', '.join(candidates) if candidates else 'none'
    raise FileNotFoundError(
        'the default model_fn loads %s/model.joblib, or the only *.joblib/*.pkl file there (found: %s); '
        'define model_fn(model_dir) in your inference script to load anything else' % (model_dir, found)
    )


def default_model_fn(model_dir):
    import joblib

    return joblib.load(find_model_file(model_dir))


def default_input_fn(input_data, content_type):
    if content_type == codecs.CSV:
        return codecs.csv_to_float32(input_data)
    np_array = codecs.decode(input_data, content_type)
    return np_array.astype(np.float32) if content_type in codecs.UTF8_TYPES else np_array


def default_predict_fn(input_data, model):
    return model.predict(input_data)


def default_output_fn(prediction, accept):
    return Response(codecs.encode(prediction, accept), mimetype=accept)


def _wrapped(fn):
    def call(*args):
        try:
            return fn(*args)
        except Exception as e:
            raise codecs.ClientError(e) from e

    return call


SKLEARN_DEFAULTS = {
    'model_fn': default_model_fn,
    'input_fn': default_input_fn,
    'predict_fn': default_predict_fn,
    'output_fn': default_output_fn,
}


class Transformer(object):
    def __init__(self, user_module=None, defaults=None):
        """The user's handlers over the image's defaults (the scikit-learn image's unless given)."""
        defaults = defaults or SKLEARN_DEFAULTS
        get = (lambda name: getattr(user_module, name, None)) if user_module is not None else (lambda name: None)
        model_fn = get('model_fn')
        input_fn, predict_fn, output_fn, transform_fn = get('input_fn'), get('predict_fn'), get('output_fn'), get('transform_fn')
        if transform_fn and (input_fn or predict_fn or output_fn):
            raise UserError('Cannot use transform_fn implementation with input_fn, predict_fn, and/or output_fn')
        self.uses_default_model_fn = model_fn is None
        self._model_fn = _wrapped(model_fn or defaults['model_fn'])
        self._input_fn = _wrapped(input_fn or defaults['input_fn'])
        self._predict_fn = _wrapped(predict_fn or defaults['predict_fn'])
        self._output_fn = _wrapped(output_fn or defaults['output_fn'])
        self._transform_fn = _wrapped(transform_fn) if transform_fn else self._default_transform_fn
        # With the default input_fn the body is decoded there, and only when it has to be: the
        # fast CSV route reads the bytes as they came.
        self._raw_csv = transform_fn is None and input_fn is None
        self.execution_parameters_fn = get('execution_parameters_fn')
        self.model = None
        # One gevent worker runs one request at a time; user code may rely on that.
        self.lock = threading.Lock()

    def initialize(self, model_dir):
        self.model = self._model_fn(model_dir)

    def _default_transform_fn(self, model, content, content_type, accept):
        try:
            data = self._input_fn(content, content_type)
        except codecs.UnsupportedFormatError as e:
            return _error_response(e, 415)
        prediction = self._predict_fn(data, model)
        try:
            return self._output_fn(prediction, accept)
        except codecs.UnsupportedFormatError as e:
            return _error_response(e, 406)

    def transform(self, body, content_type, accept):
        if content_type in codecs.UTF8_TYPES and not (self._raw_csv and content_type == codecs.CSV):
            content = body.decode('utf-8', 'replace')
        else:
            content = body
        with self.lock:
            result = self._transform_fn(self.model, content, content_type, accept)
        if isinstance(result, tuple):
            return Response(response=result[0], mimetype=result[1])
        return view_result(result)


def _error_response(error, status):
    body = json.dumps({'error': error.__class__.__name__, 'error-message': str(error), 'stack-trace': traceback.format_exc()})
    return Response(body, status=status, mimetype=codecs.JSON)


def view_result(result):
    """Flask 1.1's make_response for what a view returned."""
    if isinstance(result, Response):
        return result
    if hasattr(result, 'status_code') and hasattr(result, 'get_data'):
        headers = list(getattr(result, 'headers', {}).items()) if hasattr(getattr(result, 'headers', None), 'items') else []
        return Response(result.get_data(), status=result.status_code, headers=headers)
    if isinstance(result, dict):
        return Response(jsonify_body(result), mimetype=codecs.JSON)
    if isinstance(result, (str, bytes, bytearray)):
        return HtmlResponse(result)
    if result is None:
        raise TypeError('The view function did not return a valid response. The function either returned None or ended without a return statement.')
    raise TypeError('The view function did not return a valid response. The return type must be a string, dict, tuple, Response instance, or WSGI callable, but it was a %s.' % type(result).__name__)


def log_exception(path, method):
    sys.stderr.write('ERROR - Exception on %s [%s]\n%s' % (path, method, traceback.format_exc()))
    sys.stderr.flush()


def internal_error():
    return error_page(500, INTERNAL_SERVER_ERROR)


def load_user_module(program, code_dir):
    """Imports SAGEMAKER_PROGRAM ("inference.py" -> module "inference") from the code folder."""
    module_name = program[:-3] if program.endswith('.py') else program
    if code_dir not in sys.path:
        sys.path.insert(0, code_dir)
    if not os.path.exists(os.path.join(code_dir, module_name + '.py')) and not os.path.isdir(os.path.join(code_dir, module_name)):
        raise UserError('SAGEMAKER_PROGRAM %r was not found in the submitted code (%s)' % (program, code_dir))
    return importlib.import_module(module_name)


def finish(response):
    """(status, headers, body bytes) for the HTTP layer."""
    return response.status_code, response.headers, body_bytes(response.response)
