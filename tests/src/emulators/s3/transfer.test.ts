import assert from 'node:assert/strict';
import { lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { after, test } from 'node:test';
import { LocalError } from '../../../../src/core/errors.js';
import { NoSuchBucketError } from '../../../../src/emulators/s3/errors.js';
import { S3Store } from '../../../../src/emulators/s3/store.js';
import { downloadPrefix, joinKey, relativeKeyPath, UnsafeKeyError, unsafeRelativePathReason, uploadDirectory } from '../../../../src/emulators/s3/transfer.js';

const sandboxes: string[] = [];
after(() => {
  for (const d of sandboxes) rmSync(d, { recursive: true, force: true });
});

function sandbox(): string {
  const dir = mkdtempSync(join(tmpdir(), 's3-transfer-test-'));
  sandboxes.push(dir);
  return dir;
}

async function storeIn(base: string, keys: Record<string, string> = {}): Promise<S3Store> {
  const store = new S3Store(join(base, 'store'), { fsync: false });
  await store.createBucket({ Bucket: 'bkt' });
  for (const [key, body] of Object.entries(keys)) await store.putObject({ Bucket: 'bkt', Key: key, Body: body });
  return store;
}

/** Every path under `dir` (files with their content), relative to it. */
function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      const rel = relative(dir, p);
      if (e.isDirectory()) {
        out[rel + '/'] = '';
        walk(p);
      } else out[rel] = e.isSymbolicLink() ? '-> link' : readFileSync(p, 'utf8');
    }
  };
  walk(dir);
  return out;
}

test('a prefix downloads into a folder keeping relative paths, skipping folder markers', async () => {
  const base = sandbox();
  const store = await storeIn(base, {
    'data/train/a.csv': 'a',
    'data/train/sub/b.csv': 'b',
    'data/train/': '',
    'data/trainer.txt': 'not under data/train/',
    'other/x': 'x',
  });
  const out = join(base, 'out');
  const files = await downloadPrefix(store, { bucket: 'bkt', prefix: 'data/train/', dir: out });
  assert.deepEqual(files.map((f) => f.key).sort(), ['data/train/a.csv', 'data/train/sub/b.csv']);
  assert.deepEqual(snapshot(out), { 'a.csv': 'a', 'sub/': '', 'sub/b.csv': 'b' });
});

test('SageMaker\'s staging rule: a prefix without "/" drops the "/" after it; an exact object lands under its name', () => {
  assert.equal(relativeKeyPath('data/train', 'data/train/a.csv'), 'a.csv');
  assert.equal(relativeKeyPath('data/train/', 'data/train/a.csv'), 'a.csv');
  assert.equal(relativeKeyPath('data/train', 'data/train'), 'train');
  assert.equal(relativeKeyPath('code/prep.py', 'code/prep.py'), 'prep.py');
  assert.equal(relativeKeyPath('data/', 'data/'), undefined);
  assert.equal(relativeKeyPath('', 'dir/'), undefined);
  assert.equal(relativeKeyPath('', 'a/b'), 'a/b');
});

test('keys that would escape the target folder are refused before anything is written', async () => {
  const escapes = ['../x', '../../etc/passwd', 'a/../../b', '/abs/path', 'a/../b', './a', 'a//b', 'nul\0byte', '..', '.', 'a/..'];
  for (const bad of escapes) {
    const base = sandbox();
    const store = await storeIn(base, { 'p/fine.txt': 'ok', ['p/' + bad]: 'evil', 'p/zz-after.txt': 'ok' });
    writeFileSync(join(base, 'secret'), 'keep');
    const before = snapshot(base);
    const out = join(base, 'a', 'out');
    await assert.rejects(downloadPrefix(store, { bucket: 'bkt', prefix: 'p/', dir: out }), (err: unknown) => {
      assert.ok(err instanceof UnsafeKeyError && err instanceof LocalError, `${JSON.stringify(bad)}: ${String(err)}`);
      assert.equal(err.key, 'p/' + bad);
      assert.match(err.message, /^Refusing to download s3:\/\/bkt\/p\/.* into .*: its key cannot be saved as a file inside that folder \(.+\)$/s);
      return true;
    });
    const afterSnap = snapshot(base);
    assert.deepEqual(
      Object.keys(afterSnap).filter((p) => !p.startsWith('store/')),
      Object.keys(before).filter((p) => !p.startsWith('store/')),
      `${JSON.stringify(bad)} wrote something`,
    );
  }
});

test('the unsafe-path check names the reason', () => {
  const root = '/work/out';
  assert.match(unsafeRelativePathReason(root, '../x')!, /"\.\." path segment/);
  assert.match(unsafeRelativePathReason(root, '/etc/passwd')!, /absolute/);
  assert.match(unsafeRelativePathReason(root, 'a\0b')!, /NUL/);
  assert.match(unsafeRelativePathReason(root, 'a//b')!, /empty path segment/);
  assert.match(unsafeRelativePathReason(root, 'x'.repeat(256))!, /longer than 255 bytes/);
  assert.equal(unsafeRelativePathReason(root, 'a/b c/%2e%2e%2f'), undefined, 'percent-escapes are just characters');
  assert.equal(unsafeRelativePathReason(root, '..a/b..'), undefined);
});

test('a symlink already in the target folder cannot carry downloads outside it', async () => {
  const base = sandbox();
  const store = await storeIn(base, { 'p/link/pwned.txt': 'evil' });
  const out = join(base, 'out');
  const outside = join(base, 'outside');
  mkdirSync(out);
  mkdirSync(outside);
  symlinkSync(outside, join(out, 'link'));
  await assert.rejects(downloadPrefix(store, { bucket: 'bkt', prefix: 'p/', dir: out }), /symbolic link/);
  assert.deepEqual(readdirSync(outside), []);
});

test('a file at the target path that is a symlink is replaced, not written through', async () => {
  const base = sandbox();
  const store = await storeIn(base, { 'p/a.txt': 'new' });
  const out = join(base, 'out');
  mkdirSync(out);
  writeFileSync(join(base, 'victim'), 'original');
  symlinkSync(join(base, 'victim'), join(out, 'a.txt'));
  await downloadPrefix(store, { bucket: 'bkt', prefix: 'p/', dir: out });
  assert.equal(readFileSync(join(base, 'victim'), 'utf8'), 'original');
  assert.ok(!lstatSync(join(out, 'a.txt')).isSymbolicLink());
  assert.equal(readFileSync(join(out, 'a.txt'), 'utf8'), 'new');
});

test('keys that need one path to be both a file and a folder are refused up front', async () => {
  const base = sandbox();
  const store = await storeIn(base, { 'p/a': '1', 'p/a/b': '2' });
  await assert.rejects(
    downloadPrefix(store, { bucket: 'bkt', prefix: 'p/', dir: join(base, 'out') }),
    /"a" would have to be both a file and a folder/,
  );
});

test('a folder uploads under a prefix with relative paths as keys, symlinks skipped by default', async () => {
  const base = sandbox();
  const store = await storeIn(base);
  const src = join(base, 'model');
  mkdirSync(join(src, 'sub', 'deeper'), { recursive: true });
  writeFileSync(join(src, 'model.json'), '{}');
  writeFileSync(join(src, 'sub', 'deeper', 'w.bin'), 'weights');
  writeFileSync(join(base, 'elsewhere.txt'), 'outside');
  symlinkSync(join(base, 'elsewhere.txt'), join(src, 'link.txt'));
  symlinkSync(src, join(src, 'sub', 'loop'));
  const files = await uploadDirectory(store, {
    dir: src,
    bucket: 'bkt',
    prefix: 'prep/train',
    contentType: (p) => (p.endsWith('.json') ? 'application/json' : undefined),
  });
  assert.deepEqual(files.map((f) => f.key).sort(), ['prep/train/model.json', 'prep/train/sub/deeper/w.bin']);
  assert.equal((await store.headObject({ Bucket: 'bkt', Key: 'prep/train/model.json' })).ContentType, 'application/json');
  assert.equal((await store.getObject({ Bucket: 'bkt', Key: 'prep/train/sub/deeper/w.bin' })).Body.toString(), 'weights');

  const followed = await uploadDirectory(store, { dir: src, bucket: 'bkt', prefix: 'f/', followSymlinks: true });
  assert.deepEqual(followed.map((f) => f.key).sort(), ['f/link.txt', 'f/model.json', 'f/sub/deeper/w.bin'], 'links followed, loop cut');
});

test('upload round-trips through download byte for byte', async () => {
  const base = sandbox();
  const store = await storeIn(base);
  const src = join(base, 'src');
  mkdirSync(join(src, 'é dir'), { recursive: true });
  writeFileSync(join(src, 'é dir', 'naïve file.txt'), 'unicode');
  writeFileSync(join(src, '%2e%2e%2f'), 'escaped-looking');
  writeFileSync(join(src, 'empty'), '');
  await uploadDirectory(store, { dir: src, bucket: 'bkt', prefix: '' });
  const out = join(base, 'out');
  await downloadPrefix(store, { bucket: 'bkt', prefix: '', dir: out });
  assert.deepEqual(snapshot(out), snapshot(src));
});

test('uploading into a missing bucket or from a missing folder fails clearly', async () => {
  const base = sandbox();
  const store = await storeIn(base);
  mkdirSync(join(base, 'src'));
  await assert.rejects(uploadDirectory(store, { dir: join(base, 'src'), bucket: 'nobucket', prefix: '' }), NoSuchBucketError);
  await assert.rejects(uploadDirectory(store, { dir: join(base, 'nope'), bucket: 'bkt', prefix: '' }), /does not exist/);
  await assert.rejects(downloadPrefix(store, { bucket: 'nobucket', prefix: '', dir: join(base, 'o') }), NoSuchBucketError);
});

test('joinKey treats the prefix as a folder without doubling "/"', () => {
  assert.equal(joinKey('', 'a'), 'a');
  assert.equal(joinKey('p', 'a'), 'p/a');
  assert.equal(joinKey('p/', 'a'), 'p/a');
});
