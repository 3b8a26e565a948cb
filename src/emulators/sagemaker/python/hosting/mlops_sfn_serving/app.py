"""Routes of the serving container: nginx in front of a Flask app.

nginx passes /ping, /invocations and /execution-parameters to Flask and answers anything else with
404 "{}"; Flask answers a wrong method with 405 and a missing route with 404.

Every request must carry the per-server token the launcher chose, so other local processes (or a
web page, through DNS rebinding) cannot talk to the model server around the front.
"""
import hmac
import time

from . import codecs
from .response import METHOD_NOT_ALLOWED, NOT_FOUND, Response, error_page
from .transformer import finish, internal_error, log_exception, view_result

TOKEN_HEADER = 'x-mlops-sfn-token'
MODEL_LATENCY_HEADER = 'X-Mlops-Sfn-Model-Latency-Us'


class App(object):
    def __init__(self, transformer, token, default_accept):
        self.transformer = transformer
        self.token = token.encode('utf-8')
        self.default_accept = default_accept

    def __call__(self, req):
        supplied = req.headers.get(TOKEN_HEADER, '').encode('utf-8')
        if not hmac.compare_digest(supplied, self.token):
            return 403, [('Content-Type', 'text/plain; charset=utf-8')], b'Forbidden\n'
        path = req.path
        if path == '/invocations':
            if req.method != 'POST':
                return self._not_allowed('POST, OPTIONS')
            return self._invocations(req)
        if path == '/ping':
            if req.method not in ('GET', 'HEAD'):
                return self._not_allowed('GET, HEAD, OPTIONS')
            return finish(Response(status=200))
        if path == '/execution-parameters':
            fn = self.transformer.execution_parameters_fn
            if fn is None:
                return finish(error_page(404, NOT_FOUND))
            if req.method not in ('GET', 'HEAD'):
                return self._not_allowed('GET, HEAD, OPTIONS')
            try:
                return finish(view_result(fn()))
            except Exception:
                log_exception(path, req.method)
                return finish(internal_error())
        return 404, [('Content-Type', 'application/octet-stream')], b'{}'

    @staticmethod
    def _not_allowed(allow):
        return finish(error_page(405, METHOD_NOT_ALLOWED, headers=[('Allow', allow)]))

    def _invocations(self, req):
        h = req.headers
        if getattr(self.transformer, 'raw_headers', False):
            # XGBoost's algorithm mode reads the headers itself (no Content-Type means LIBSVM there).
            content_type, accept = h.get('content-type'), h.get('accept')
        else:
            content_type = h.get('contenttype') or h.get('content-type') or codecs.JSON
            accept = h.get('accept')
            if not accept or accept == codecs.ANY:
                accept = self.default_accept
        started = time.perf_counter()
        try:
            status, headers, body = finish(self.transformer.transform(req.body, content_type, accept))
        except Exception:
            log_exception(req.path, req.method)
            status, headers, body = finish(internal_error())
        micros = int((time.perf_counter() - started) * 1e6)
        return status, headers + [(MODEL_LATENCY_HEADER, str(micros))], body
