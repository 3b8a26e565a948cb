import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { UserError } from '../../../src/core/errors.js';
import { tarGz } from '../../../src/engine/source-archive.js';

test('GNU tar lists and extracts the archive exactly', { timeout: 60_000 }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'mlops-sfn-tar-'));
  try {
    const long = `${'d'.repeat(80)}/${'e'.repeat(60)}/inference.py`;
    const files = [
      { name: 'train.py', body: Buffer.from('print("train")\n') },
      { name: 'lib/util.py', body: Buffer.alloc(1500, 0x41) },
      { name: long, body: Buffer.from('def model_fn(d): pass\n') },
      { name: 'empty.txt', body: Buffer.alloc(0) },
    ];
    const archive = join(dir, 'source.tar.gz');
    writeFileSync(archive, tarGz(files));
    const list = spawnSync('tar', ['-tvzf', archive], { encoding: 'utf8' });
    assert.equal(list.status, 0, list.stderr);
    assert.deepEqual(
      list.stdout.trim().split('\n').map((l) => l.split(/\s+/).slice(-1)[0]),
      [long, 'empty.txt', 'lib/util.py', 'train.py'],
    );
    assert.ok(list.stdout.split('\n')[0]!.startsWith('-rw-r--r-- root/root'));
    const out = join(dir, 'out');
    spawnSync('mkdir', [out]);
    const x = spawnSync('tar', ['-xzf', archive, '-C', out], { encoding: 'utf8' });
    assert.equal(x.status, 0, x.stderr);
    for (const f of files) assert.deepEqual(readFileSync(join(out, f.name)), f.body);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the same files give the same bytes', () => {
  const a = tarGz([{ name: 'b.py', body: Buffer.from('b') }, { name: 'a.py', body: Buffer.from('a') }]);
  const b = tarGz([{ name: 'a.py', body: Buffer.from('a') }, { name: 'b.py', body: Buffer.from('b') }]);
  assert.deepEqual(a, b);
});

test('members cannot leave the folder', { timeout: 60_000 }, () => {
  for (const name of ['../x.py', '/etc/passwd', 'a/../../b', '']) {
    assert.throws(() => tarGz([{ name, body: Buffer.from('x') }]), UserError, name);
  }
});
