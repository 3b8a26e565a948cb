import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test } from 'node:test';
import { CHUNK_BYTES, dirNameHex, hexToKey, keyPath, objectNameHex } from '../../../../src/emulators/s3/key-path.js';

const SAFE_NAME = /^[0-9a-f]*(\.o)?$/;

function pathOf(key: string): string[] {
  const kp = keyPath(Buffer.from(key, 'utf8'));
  return [...kp.dirs, kp.file];
}

test('every path component is lowercase hex (plus ".o"), so no key can name "..", "/" or "\\"', () => {
  for (const key of ['..', '.', '../x', '/etc/passwd', 'a/../../b', '..\\x', '%2e%2e%2f', '\0', 'C:\\x', '~/x']) {
    for (const part of pathOf(key)) {
      assert.match(part, SAFE_NAME, `component ${part} of ${JSON.stringify(key)}`);
      assert.ok(part.length <= 2 * CHUNK_BYTES + 2, 'names stay below NAME_MAX');
    }
  }
});

test('the components concatenate back to the key exactly', () => {
  for (const key of ['..', 'a//b', '/a/', 'é/ü', 'x'.repeat(1024), '/'.repeat(1024), 'a/'.repeat(512)]) {
    const kp = keyPath(Buffer.from(key, 'utf8'));
    const hex = kp.dirs.join('') + objectNameHex(kp.file);
    assert.equal(hexToKey(hex), key);
    for (const d of kp.dirs) assert.equal(dirNameHex(d), d);
  }
});

test('keys follow their "/" structure: "data/train/a.csv" lives in folders "data/" and "train/"', () => {
  assert.deepEqual(pathOf('data/train/a.csv'), [
    Buffer.from('data/').toString('hex'),
    Buffer.from('train/').toString('hex'),
    Buffer.from('a.csv').toString('hex') + '.o',
  ]);
  // A folder marker is an empty-named object file inside its folder.
  assert.deepEqual(pathOf('data/'), [Buffer.from('data/').toString('hex'), '.o']);
});

test('a 1,024-byte key of slashes stays a shallow path (runs of "/" are not cut)', () => {
  const kp = keyPath(Buffer.from('/'.repeat(1024), 'utf8'));
  assert.ok(kp.dirs.length <= Math.ceil(1024 / CHUNK_BYTES));
  const worst = keyPath(Buffer.from('a/'.repeat(512), 'utf8'));
  const pathLength = worst.dirs.reduce((n, d) => n + d.length + 1, 0) + worst.file.length;
  assert.ok(pathLength < 3000, `worst-case relative path is ${pathLength} characters`);
});

function randomKey(): string {
  const alphabet = ['a', 'b', '/', '.', '-', '0', 'é', '\u{1F600}', '\0', ' '];
  const len = 1 + Math.floor(Math.random() * 12);
  let s = '';
  for (let i = 0; i < len; i++) s += alphabet[randomBytes(1)[0] % alphabet.length];
  if (Math.random() < 0.05) s += 'z'.repeat(CHUNK_BYTES + Math.floor(Math.random() * 150));
  return s;
}

test('sibling components never overlap, so a sorted walk of the tree yields UTF-8 byte order', () => {
  const keys = new Set<string>();
  while (keys.size < 3000) keys.add(randomKey());
  // Build the tree, then walk it sorting each folder's entries by hex name.
  interface Node { dirs: Map<string, Node>; files: Set<string> }
  const root: Node = { dirs: new Map(), files: new Set() };
  for (const key of keys) {
    const kp = keyPath(Buffer.from(key, 'utf8'));
    let node = root;
    for (const d of kp.dirs) {
      let next = node.dirs.get(d);
      if (!next) node.dirs.set(d, (next = { dirs: new Map(), files: new Set() }));
      node = next;
    }
    assert.ok(!node.files.has(kp.file), 'two keys never share a file');
    node.files.add(kp.file);
  }
  const walked: string[] = [];
  const walk = (node: Node, base: string) => {
    const entries = [
      ...[...node.dirs.keys()].map((d) => ({ hex: d, dir: true })),
      ...[...node.files].map((f) => ({ hex: objectNameHex(f)!, dir: false })),
    ].sort((a, b) => (a.hex < b.hex ? -1 : a.hex > b.hex ? 1 : 0));
    for (const e of entries) {
      // No folder name is a prefix of a sibling's, and no file lies under a sibling folder.
      for (const other of entries) {
        if (other !== e && other.dir) assert.ok(!e.hex.startsWith(other.hex), `${e.hex} inside ${other.hex}`);
      }
      if (e.dir) walk(node.dirs.get(e.hex)!, base + e.hex);
      else walked.push(base + e.hex);
    }
  };
  walk(root, '');
  const expected = [...keys].map((k) => Buffer.from(k, 'utf8')).sort(Buffer.compare).map((b) => b.toString('hex'));
  assert.deepEqual(walked, expected);
});

test('stray names (temp files, editors\' backups) are not taken for objects or folders', () => {
  assert.equal(objectNameHex('abc.tmp'), undefined);
  assert.equal(objectNameHex('6162.o~'), undefined);
  assert.equal(objectNameHex('616.o'), undefined, 'odd-length hex is not a key');
  assert.equal(dirNameHex('..'), undefined);
  assert.equal(dirNameHex('ABCD'), undefined);
  assert.equal(objectNameHex('6162.o'), '6162');
});
