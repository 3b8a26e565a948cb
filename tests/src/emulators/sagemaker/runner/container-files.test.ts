import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { readExitMessage, readFailureFile } from '../../../../../src/emulators/sagemaker/runner/container-files.js';

const root = mkdtempSync(join(tmpdir(), 'smrunner-files-'));
after(() => rmSync(root, { recursive: true, force: true }));
const optMl = join(root, 'opt', 'ml');
mkdirSync(join(optMl, 'output'), { recursive: true });

test('ExitMessage is the first 1 KiB of the message file, never half a character', async () => {
  const file = join(optMl, 'output', 'message');
  assert.equal(await readExitMessage(optMl, file), undefined);
  writeFileSync(file, 'a' + '€'.repeat(400)); // 1 + 1,200 bytes: the cut falls inside a character
  const msg = await readExitMessage(optMl, file);
  assert.equal(msg, 'a' + '€'.repeat(341));
  assert.ok(Buffer.byteLength(msg!) <= 1024);
  writeFileSync(file, Buffer.from([0x61, 0xff, 0x62]));
  await assert.rejects(readExitMessage(optMl, file), /ClientError: The content of \/opt\/ml\/output\/message is not valid UTF-8/);
});

test('a message or failure file that is a link out of /opt/ml is not read', async () => {
  const outside = join(root, 'secret.txt');
  writeFileSync(outside, 'host secret');
  const link = join(optMl, 'output', 'failure');
  symlinkSync(outside, link);
  assert.equal(await readFailureFile(optMl, link), undefined);
});
