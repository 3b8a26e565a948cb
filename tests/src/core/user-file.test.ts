import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { test } from 'node:test';
import { readUserFile } from '../../../src/core/user-file.js';

test('the size limit counts bytes read: a /proc file whose stat size is 0 is still too large', async () => {
  await assert.rejects(readUserFile('/proc/self/status', { what: 'input', maxBytes: 100 }), /the input is larger than 100 bytes/);
});

test('a regular file within the limit is read whole, and one byte over is refused', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'mlops-sfn-user-file-'));
  try {
    const f = join(dir, 'x.json');
    writeFileSync(f, 'x'.repeat(200_000));
    assert.equal((await readUserFile(f, { what: 'input', maxBytes: 200_000 })).length, 200_000);
    await assert.rejects(readUserFile(f, { what: 'input', maxBytes: 199_999 }), /x\.json: the input is larger than 199,999 bytes/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('standard input is bounded the same way', { timeout: 30_000 }, async () => {
  const endless = Readable.from((function* () { for (;;) yield Buffer.alloc(65_536); })());
  await assert.rejects(readUserFile('-', { what: 'request body', maxBytes: 1_000_000, stdin: endless }), /<stdin>: the request body is larger than 1,000,000 bytes/);
  assert.equal((await readUserFile('-', { what: 'body', maxBytes: 10, stdin: Readable.from([Buffer.from('hello')]) })).toString(), 'hello');
});

test('devices, FIFOs, sockets and folders are refused without blocking', { timeout: 10_000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'mlops-sfn-user-file-'));
  try {
    execFileSync('mkfifo', [join(dir, 'fifo')]);
    await assert.rejects(readUserFile(join(dir, 'fifo'), { what: 'input', maxBytes: 10 }), /cannot read the input: it is a named pipe \(FIFO\), not a regular file/);
    await assert.rejects(readUserFile('/dev/zero', { what: 'input', maxBytes: 10 }), /\/dev\/zero: cannot read the input: it is a character device, not a regular file/);
    await assert.rejects(readUserFile(dir, { what: 'input', maxBytes: 10 }), /cannot read the input: it is a folder, not a regular file/);
    await assert.rejects(readUserFile(join(dir, 'missing'), { what: 'input', maxBytes: 10 }), /missing: cannot read the input: no such file/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
