import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { dirname } from 'node:path';
import { describe, it } from 'node:test';
import { serveScript } from '../../../../../src/emulators/sagemaker/hosting/model-backend.js';
import { fixtures, PYTHON } from '../../../../support/hosting.js';

/** Runs Python checks against the serving package; each prints one JSON line. */
function python(code: string, ...args: string[]): unknown {
  const out = execFileSync(PYTHON, ['-c', code, ...args], {
    env: { PATH: '/usr/bin:/bin', PYTHONPATH: dirname(serveScript()), PYTHONDONTWRITEBYTECODE: '1' },
    encoding: 'utf8',
    timeout: 60_000,
  });
  return JSON.parse(out.trim().split('\n').pop()!);
}

describe('the Python serving package', { timeout: 120_000 }, () => {
  it('decodes large CSV bodies to exactly the float32 array the container would build', () => {
    const result = python(`
import json, numpy as np
from mlops_sfn_serving import codecs
rng = np.random.default_rng(3)
pad = '\\n'.join(['1.5,2.5'] * 2000) + '\\n'
cases = {
  'typical': '\\n'.join(','.join(repr(v) for v in r) for r in np.round(rng.normal(size=(3000, 5)) * 100, 3).tolist()) + '\\n',
  'long digits': '\\n'.join(','.join(repr(v) for v in r) for r in (rng.normal(size=(3000, 3)) * 1e-3).tolist()),
  'crlf': pad.replace('\\n', '\\r\\n'),
  'lone cr': pad.replace('\\n', '\\r'),
  'blank line': pad + '\\n1,2\\n',
  'ragged': pad + '1\\n',
  'nan and inf': pad + 'nan,inf\\n',
  'underscore': pad + '1_0,2\\n',
  'quoted': pad + '"1",2\\n',
  'float32 midpoint': pad + '16777217,1\\n',
  'single column': '\\n'.join(['3.25'] * 3000) + '\\n',
  'subnormal': pad + '1e-45,1\\n',
}
def exact(text):
    try:
        return ('ok', codecs.csv_to_numpy(text).astype(np.float32))
    except Exception as e:
        return ('error', type(e).__name__)
def fast(body):
    try:
        return ('ok', codecs.csv_to_float32(body))
    except Exception as e:
        return ('error', type(e).__name__)
bad = []
for name, text in cases.items():
    a = exact(text)
    for kind, b in (('str', fast(text)), ('bytes', fast(text.encode()))):
        same = a[0] == b[0] and (a[0] == 'error' or (a[1].shape == b[1].shape and a[1].dtype == b[1].dtype and a[1].flags['C_CONTIGUOUS'] and np.array_equal(a[1], b[1], equal_nan=True)))
        if not same:
            bad.append(name + ' (' + kind + ')')
raw = (pad + '1').encode() + b'\\xff,2\\n'
if exact(raw.decode('utf-8', 'replace'))[0] != 'error' or fast(raw)[0] != 'error':
    bad.append('invalid utf-8')
fast_taken = codecs._fast_csv_applies(cases['typical'].encode()) and codecs._float32_rounding_is_certain(np.array([1.5, 0.1, 123.456]))
if not fast_taken:
    bad.append('the fast route is not taken for typical data')
print(json.dumps(bad))
`);
    assert.deepEqual(result, []);
  });

  it('encodes predictions to CSV exactly as the csv module does', () => {
    const result = python(`
import csv, io, json, numpy as np
from mlops_sfn_serving import codecs
def reference(a):
    a = np.array(a)
    if len(a.shape) == 1:
        a = a.reshape(a.shape[0], 1)
    s = io.StringIO()
    csv.writer(s, lineterminator='\\n').writerows(a)
    return s.getvalue()
rng = np.random.default_rng(5)
arrays = [rng.integers(0, 3, 500), rng.normal(size=(300, 3)) * 10.0 ** rng.integers(-30, 30, size=(300, 3)),
          np.array([0.0, -0.0, 1e16, 1e-5, np.nan, np.inf]), rng.normal(size=40).astype(np.float32), np.array(['a,b', 'c']),
          np.array([-5, 10, 123]), np.array([7], dtype=np.uint8), np.array([[1, 2], [3, 4]])]
print(json.dumps([i for i, a in enumerate(arrays) if codecs.array_to_csv(a) != reference(a)]))
`);
    assert.deepEqual(result, []);
  });

  it('offers the sagemaker_containers names inference scripts import', () => {
    const result = python(`
import json, numpy as np
from sagemaker_containers.beta.framework import content_types, encoders, env, modules, transformer, worker
r = worker.Response(encoders.encode(np.array([1, 0]), content_types.CSV), mimetype=content_types.CSV)
print(json.dumps([r.status_code, r.content_type, r.get_data().decode(), encoders.decode('[[1, 2]]', content_types.JSON).tolist()]))
`);
    assert.deepEqual(result, [200, 'text/csv; charset=utf-8', '1\n0\n', [[1, 2]]]);
  });

  it('unpacks archives only inside the target folder', () => {
    const f = fixtures();
    const result = python(
      `
import json, os, sys, tempfile
from mlops_sfn_serving import archive
out = {}
for name in ('traversal.tar.gz', 'symlink.tar.gz', 'model.tar.gz'):
    root = tempfile.mkdtemp()
    dest = os.path.join(root, 'model')
    try:
        archive.extract(os.path.join(sys.argv[1], name), dest)
        out[name] = sorted(os.listdir(dest))
    except archive.ArchiveError as e:
        out[name] = str(e)
    out[name + ' escaped'] = os.path.exists(os.path.join(root, 'escaped.txt'))
try:
    archive.extract(os.path.join(sys.argv[1], 'model.tar.gz'), tempfile.mkdtemp(), max_bytes=10)
except archive.ArchiveError as e:
    out['cap'] = str(e)
print(json.dumps(out))
`,
      f.dir,
    ) as Record<string, unknown>;
    assert.match(String(result['traversal.tar.gz']), /member '\.\.\/escaped\.txt' has a "\.\." path segment/);
    assert.match(String(result['symlink.tar.gz']), /member 'model\.joblib' is a symbolic link/);
    assert.deepEqual(result['model.tar.gz'], ['model.joblib']);
    assert.equal(result['traversal.tar.gz escaped'], false);
    assert.match(String(result['cap']), /unpacks to more than 10 bytes/);
  });
});
