import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readlinkSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { UserError } from '../../../src/core/errors.js';
import { tarGzFiles as tarGz, tarGzFolder } from '../../../src/core/tar-gz.js';

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
    const list = spawnSync('tar', ['--numeric-owner', '-tvzf', archive], { encoding: 'utf8' });
    assert.equal(list.status, 0, list.stderr);
    assert.deepEqual(
      list.stdout.trim().split('\n').map((l) => l.split(/\s+/).slice(-1)[0]),
      [long, 'empty.txt', 'lib/util.py', 'train.py'],
    );
    for (const row of list.stdout.trim().split('\n')) assert.match(row, /^-rw-r--r-- 0\/0 /);
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

test('a folder archive: members relative and sorted as GNU tar --sort=name, owner 0:0, links kept as links, odd names as data', { timeout: 60_000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'mlops-sfn-tar-'));
  try {
    const src = join(dir, 'model');
    mkdirSync(join(src, 'sub', 'deep'), { recursive: true });
    writeFileSync(join(src, 'model.joblib'), Buffer.alloc(2000, 7));
    writeFileSync(join(src, 'sub', 'b.txt'), 'b');
    writeFileSync(join(src, 'sub', 'a.txt'), 'a');
    writeFileSync(join(src, 'sub', 'deep', 'z'), 'z');
    // "@x" would make tar.create copy in the archive "x"; "-v" looks like an option to a command line.
    writeFileSync(join(src, '@passwd'), 'at');
    writeFileSync(join(src, '-v'), 'dash');
    symlinkSync('/etc/passwd', join(src, 'link'));
    const archive = join(dir, 'model.tar.gz');
    await tarGzFolder(src, archive);
    const list = spawnSync('tar', ['--numeric-owner', '-tvzf', archive], { encoding: 'utf8' });
    assert.equal(list.status, 0, list.stderr);
    const rows = list.stdout.trim().split('\n');
    assert.deepEqual(
      rows.map((l) => l.split(/\s+/)[5]),
      ['-v', '@passwd', 'link', 'model.joblib', 'sub/', 'sub/a.txt', 'sub/b.txt', 'sub/deep/', 'sub/deep/z'],
    );
    for (const r of rows) assert.equal(r.split(/\s+/)[1], '0/0', r);
    assert.match(rows[2]!, /^l.* link -> \/etc\/passwd$/);
    const out = join(dir, 'out');
    mkdirSync(out);
    const x = spawnSync('tar', ['-xzf', archive, '-C', out], { encoding: 'utf8' });
    assert.equal(x.status, 0, x.stderr);
    assert.deepEqual(readFileSync(join(out, 'model.joblib')), Buffer.alloc(2000, 7));
    assert.equal(readFileSync(join(out, '@passwd'), 'utf8'), 'at');
    assert.equal(readFileSync(join(out, 'sub', 'deep', 'z'), 'utf8'), 'z');
    assert.equal(readlinkSync(join(out, 'link')), '/etc/passwd');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('an empty folder gives an empty archive that tar reads', { timeout: 60_000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'mlops-sfn-tar-'));
  try {
    mkdirSync(join(dir, 'empty'));
    await tarGzFolder(join(dir, 'empty'), join(dir, 'e.tar.gz'));
    const list = spawnSync('tar', ['-tzf', join(dir, 'e.tar.gz')], { encoding: 'utf8' });
    assert.equal(list.status, 0, list.stderr);
    assert.equal(list.stdout, '');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
