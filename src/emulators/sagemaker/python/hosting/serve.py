"""Local stand-in for `docker run <image> serve`: unpack the model (and the submitted code), then
load it as the image's model server does, and serve /ping and /invocations on the unix socket named
by --socket. `--serving sklearn` (the default) is the scikit-learn image's server: it imports the
inference script named by SAGEMAKER_PROGRAM and calls its model_fn. `--serving xgboost` is the
XGBoost image's: the same with XGBoost's default handlers, or, without SAGEMAKER_PROGRAM, its
algorithm-mode scoring service over /opt/ml/model/xgboost-model.

The launcher reads one JSON line from this process's standard output: {"event": "ready"}
or {"event": "failed", "stage": ..., "error": ...}. Everything else the process prints (including
the user's prints) goes to standard error, which the launcher appends to the endpoint's log.
It exits as soon as its standard input closes, so it never outlives the launcher.
"""
import json
import logging
import os
import sys
import threading
import traceback


def _args(argv):
    out = {}
    it = iter(argv)
    for key in it:
        if not key.startswith('--'):
            raise SystemExit('serve.py: unexpected argument %r' % key)
        out[key[2:].replace('-', '_')] = next(it)
    return out


def _watch_stdin():
    try:
        while sys.stdin.buffer.read(65536):
            pass
    finally:
        os._exit(0)


def _import_pandas():
    try:
        import pandas  # noqa: F401
    except Exception:
        pass


def main():
    control = os.fdopen(os.dup(1), 'w', buffering=1)
    os.dup2(2, 1)
    logging.basicConfig(format='%(asctime)s %(levelname)s - %(name)s - %(message)s', level=logging.INFO, stream=sys.stderr)
    log = logging.getLogger('mlops_sfn.serving')
    threading.Thread(target=_watch_stdin, daemon=True).start()

    args = _args(sys.argv[1:])
    token = os.environ.pop('MLOPS_SFN_SERVER_TOKEN', '')
    model_dir = os.path.abspath(args['model_dir'])
    code_dir = os.path.abspath(args['code_dir'])
    stage = 'start'
    try:
        from mlops_sfn_serving import archive

        os.makedirs(model_dir, exist_ok=True)
        os.makedirs(code_dir, exist_ok=True)
        max_bytes = int(args.get('max_archive_bytes', archive.DEFAULT_MAX_BYTES))
        max_members = int(args.get('max_archive_members', archive.DEFAULT_MAX_MEMBERS))
        if args.get('model_archive'):
            stage = 'model_archive'
            archive.extract(args['model_archive'], model_dir, max_bytes, max_members)
        if args.get('code_archive'):
            stage = 'code_archive'
            archive.extract(args['code_archive'], code_dir, max_bytes, max_members)

        stage = 'import'
        serving = args.get('serving', 'sklearn')
        if serving == 'xgboost':
            # The XGBoost image runs one thread per model server process unless told otherwise.
            os.environ.setdefault('OMP_NUM_THREADS', '1')
        from mlops_sfn_serving.transformer import Transformer, load_user_module
        from mlops_sfn_serving.app import App
        from mlops_sfn_serving.http_server import HttpServer

        program = os.environ.get('SAGEMAKER_PROGRAM', '')
        # requirements.txt was installed by mlops-sfn before this started, into a layer on PYTHONPATH.
        user_module = load_user_module(program, code_dir) if program else None
        if serving == 'xgboost':
            from mlops_sfn_serving import xgboost_serving

            if user_module is None:
                transformer = xgboost_serving.XgboostAlgorithm()
            else:
                transformer = Transformer(user_module, xgboost_serving.SCRIPT_MODE_DEFAULTS)
        elif serving == 'sklearn':
            transformer = Transformer(user_module)
        else:
            raise SystemExit('serve.py: unknown serving stack %r' % serving)
        if serving == 'sklearn' and transformer.uses_default_model_fn and user_module is not None:
            log.warning('%s defines no model_fn: loading the model with joblib (the SageMaker scikit-learn image itself requires model_fn)', program)

        stage = 'model_fn'
        os.chdir(code_dir)
        transformer.initialize(model_dir)
        if os.environ.get('SAGEMAKER_BATCH') == 'true':
            import pandas  # noqa: F401  (batch transform parses large CSV bodies with it)

        stage = 'bind'
        default_accept = os.environ.get('SAGEMAKER_DEFAULT_INVOCATIONS_ACCEPT', 'application/json')
        server = HttpServer(args['socket'], App(transformer, token, default_accept))
    except BaseException as e:
        cause = e.__cause__ if e.__class__.__name__ == 'ClientError' and e.__cause__ is not None else e
        traceback.print_exc()
        sys.stderr.flush()
        control.write(json.dumps({'event': 'failed', 'stage': stage, 'error': '%s: %s' % (type(cause).__name__, cause)}) + '\n')
        control.flush()
        os._exit(3)

    log.info('model server listening on %s', server.path)
    control.write(json.dumps({'event': 'ready'}) + '\n')
    control.flush()
    if 'pandas' not in sys.modules:
        # Endpoints rarely get CSV bodies large enough for the pandas route; load it after ready.
        threading.Thread(target=_import_pandas, daemon=True).start()
    server.serve_forever()


if __name__ == '__main__':
    main()
