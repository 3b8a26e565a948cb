/**
 * Shared fixtures for the hosting tests: a temporary home with a local S3 store, and the model
 * artifacts one Python run builds (a LogisticRegression trained on synthetic data, packed as
 * SageMaker packs model.tar.gz; inference scripts; broken and hostile archives).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { S3Store } from '../../src/emulators/s3/index.js';
import type { HostingContext, JobContext } from '../../src/emulators/sagemaker/contracts.js';

export const PYTHON = process.env['MLOPS_SFN_PYTHON'] ?? '/usr/bin/python3';
export const BUCKET = 'hosting-tests';

/** A user inference script in the style of the SageMaker scikit-learn examples. */
export const INFERENCE_PY = `
import json, os
import joblib
import numpy as np
from sagemaker_containers.beta.framework import encoders, worker


MODEL_DIR = None


def model_fn(model_dir):
    global MODEL_DIR
    MODEL_DIR = model_dir
    if os.environ.get('SPAWN_MARKER'):
        # Long-lived child processes (SPAWN_COUNT of them, default 1), to check that stopping the
        # server ends them too; many of them make the kernel's teardown take measurably long.
        import subprocess, sys
        for _ in range(int(os.environ.get('SPAWN_COUNT', '1'))):
            subprocess.Popen([sys.executable, '-c', 'import time; time.sleep(3600)', os.environ['SPAWN_MARKER']])
    return joblib.load(os.path.join(model_dir, 'model.joblib'))


def input_fn(request_body, content_type):
    if content_type == 'text/csv':
        return np.atleast_2d(encoders.decode(request_body, content_type).astype(np.float32))
    if content_type == 'application/json':
        return np.atleast_2d(np.array(json.loads(request_body)['instances'], dtype=np.float32))
    raise ValueError('unsupported content type: ' + content_type)


def predict_fn(data, model):
    return model.predict_proba(data)[:, 1]


def output_fn(prediction, accept):
    if accept == 'text/csv':
        return worker.Response(encoders.encode(np.round(prediction, 4), accept), mimetype=accept)
    version = os.environ.get('MODEL_VERSION', 'v1')
    body = {'version': version, 'model_dir': MODEL_DIR, 'cwd': os.getcwd(), 'probabilities': [round(float(p), 4) for p in prediction]}
    return json.dumps(body), 'application/json'


def execution_parameters_fn():
    body = json.dumps({'BatchStrategy': 'SINGLE_RECORD', 'MaxConcurrentTransforms': 2, 'MaxPayloadInMB': 1})
    return worker.Response(body, mimetype='application/json')
`;

/** A transparent "model" for batch transform tests: each record's output is the sum of its values. */
export const SUM_PY = `
import json


def model_fn(model_dir):
    return 'sum'


def _rows(body, content_type):
    lines = [l for l in body.splitlines() if l.strip()]
    if content_type == 'text/csv':
        return [[float(x) for x in l.split(',')] for l in lines]
    rows = []
    for l in lines:
        v = json.loads(l)
        rows.append(v['features'] if isinstance(v, dict) else v)
    return rows


def transform_fn(model, body, content_type, accept):
    sums = [float(sum(r)) for r in _rows(body, content_type)]
    if accept == 'text/csv':
        return '\\n'.join(repr(s) for s in sums), accept
    return '\\n'.join(json.dumps({'sum': s}) for s in sums), 'application/json'
`;

const BUILD_PY = `
import io, json, os, sys, tarfile
import joblib
import numpy as np
from sklearn.linear_model import LogisticRegression

out = sys.argv[1]
rng = np.random.default_rng(7)
X = rng.normal(size=(400, 4)).round(3)
y = (X[:, 0] + X[:, 1] > 0).astype(int)
model = LogisticRegression().fit(X, y)
buf = io.BytesIO()
joblib.dump(model, buf)

def pack(name, members):
    with tarfile.open(os.path.join(out, name), 'w:gz') as tar:
        for m in members:
            info = tarfile.TarInfo(m['name'])
            kind = m.get('type', 'file')
            if kind == 'file':
                data = m['data']
                info.size = len(data)
                info.mode = 0o644
                tar.addfile(info, io.BytesIO(data))
            elif kind == 'symlink':
                info.type = tarfile.SYMTYPE
                info.linkname = m['target']
                tar.addfile(info)

pack('model.tar.gz', [{'name': 'model.joblib', 'data': buf.getvalue()}])
pack('bad-model.tar.gz', [{'name': 'model.joblib', 'data': b'this is not a joblib file'}])
pack('traversal.tar.gz', [{'name': 'model.joblib', 'data': buf.getvalue()}, {'name': '../escaped.txt', 'data': b'owned'}])
pack('symlink.tar.gz', [{'name': 'model.joblib', 'type': 'symlink', 'target': '/etc/passwd'}])
pack('sourcedir.tar.gz', [{'name': 'inference.py', 'data': sys.argv[2].encode()}])
pack('sum-sourcedir.tar.gz', [{'name': 'sum.py', 'data': sys.argv[3].encode()}])

def csv_rows(n, seed):
    r = np.random.default_rng(seed).normal(size=(n, 4)).round(3)
    return r, ''.join(','.join(repr(float(v)) for v in row) + '\\n' for row in r.tolist())

big, big_text = csv_rows(50000, 11)
small, small_text = csv_rows(7, 12)
open(os.path.join(out, 'big.csv'), 'w').write(big_text)
open(os.path.join(out, 'small.csv'), 'w').write(small_text)
for name, rows in (('big', big), ('small', small)):
    pred = model.predict(rows.astype(np.float32))
    open(os.path.join(out, name + '.pred'), 'w').write(''.join('%d\\n' % p for p in pred))
json.dump({'first_row_csv': ','.join(repr(float(v)) for v in small[0].tolist())}, open(os.path.join(out, 'info.json'), 'w'))
`;

/** The log file's text once it matches `pattern` (logs are written asynchronously); fails after 5 s. */
export async function waitForLog(file: string, pattern: RegExp): Promise<string> {
  const deadline = Date.now() + 5_000;
  for (;;) {
    let text = '';
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      // not written yet
    }
    if (pattern.test(text) || Date.now() > deadline) return text;
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** How many processes have `marker` among their arguments (read from /proc). */
export function processesWithArgument(marker: string): number {
  let n = 0;
  for (const pid of readdirSync('/proc')) {
    if (!/^\d+$/.test(pid)) continue;
    try {
      if (readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').includes(marker)) n++;
    } catch {
      // the process ended meanwhile
    }
  }
  return n;
}

export interface Fixtures {
  dir: string;
  file(name: string): Buffer;
}

let built: Fixtures | undefined;

/** Builds the fixtures once per test process. */
export function fixtures(): Fixtures {
  if (built) return built;
  const dir = mkdtempSync(join(tmpdir(), 'mlops-sfn-hosting-fixtures-'));
  execFileSync(PYTHON, ['-c', BUILD_PY, dir, INFERENCE_PY, SUM_PY], { stdio: ['ignore', 'ignore', 'inherit'], timeout: 120_000 });
  built = { dir, file: (name) => readFileSync(join(dir, name)) };
  process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
  return built;
}

export interface TestHome {
  home: string;
  s3: S3Store;
  put(key: string, body: Buffer | string): Promise<string>;
  get(key: string): Promise<Buffer | undefined>;
  hostingContext(name: string): HostingContext;
  jobContext(name: string, signal?: AbortSignal): JobContext;
  cleanup(): void;
}

export async function testHome(): Promise<TestHome> {
  const home = mkdtempSync(join(tmpdir(), 'mlops-sfn-hosting-'));
  const s3 = new S3Store(join(home, 's3'));
  await s3.createBucket({ Bucket: BUCKET });
  return {
    home,
    s3,
    async put(key, body) {
      await s3.putObject({ Bucket: BUCKET, Key: key, Body: body });
      return `s3://${BUCKET}/${key}`;
    },
    async get(key) {
      try {
        return (await s3.getObject({ Bucket: BUCKET, Key: key })).Body;
      } catch {
        return undefined;
      }
    },
    hostingContext: (name) => ({ home, workDir: join(home, 'endpoints', name), logFile: join(home, 'logs', `${name}.log`), s3, region: 'us-east-1' }),
    jobContext: (name, signal) => ({
      home,
      workDir: join(home, 'jobs', name),
      logFile: join(home, 'logs', `${name}.log`),
      s3,
      region: 'us-east-1',
      accountId: '123456789012',
      signal: signal ?? new AbortController().signal,
    }),
    cleanup: () => rmSync(home, { recursive: true, force: true }),
  };
}
