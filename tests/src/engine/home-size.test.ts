import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { formatBytes, homeSize, homeSizeNotice, parseSize } from '../../../src/engine/home-size.js';

test('sizes are read as a person writes them', () => {
  assert.equal(parseSize('5GiB'), 5 * 1024 ** 3);
  assert.equal(parseSize('500 MB'), 500e6);
  assert.equal(parseSize('1.5kib'), 1536);
  assert.equal(parseSize('1048576'), 1048576);
  assert.equal(parseSize('off'), Infinity);
  assert.equal(parseSize('lots'), undefined);
  assert.equal(parseSize('-1GB'), undefined);
  assert.equal(formatBytes(512), '512 B');
  assert.equal(formatBytes(1536), '1.5 KiB');
  assert.equal(formatBytes(5 * 1024 ** 3), '5.0 GiB');
});

test('the home is measured at most every few minutes: a run reads the cached size', () => {
  const home = mkdtempSync(join(tmpdir(), 'mlops-home-size-'));
  try {
    writeFileSync(join(home, 'a'), Buffer.alloc(2000));
    const t0 = Date.now();
    assert.equal(homeSize(home, t0).bytes, 2000);
    writeFileSync(join(home, 'b'), Buffer.alloc(5000));
    const cached = homeSize(home, t0 + 60_000);
    assert.equal(cached.bytes, 2000, 'within ten minutes the cached size is used, nothing is walked');
    assert.ok(homeSize(home, t0 + 11 * 60_000).bytes >= 7000, 'later it is measured again');
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
});

test('the notice appears past the threshold set by env or the home config, and "off" silences it', () => {
  const home = mkdtempSync(join(tmpdir(), 'mlops-home-size-'));
  try {
    writeFileSync(join(home, 'big'), Buffer.alloc(4096));
    assert.deepEqual(homeSizeNotice(home, {}), [], 'the default is 5 GiB');
    assert.match(homeSizeNotice(home, { MLOPS_SFN_HOME_SIZE_NOTICE: '1KiB' })[0]!, /^note: the home .* holds 4\.\d KiB \(over 1\.0 KiB\); `mlops-sfn gc --older-than 30d`/);
    assert.deepEqual(homeSizeNotice(home, { MLOPS_SFN_HOME_SIZE_NOTICE: 'off' }), []);
    writeFileSync(join(home, 'config.json'), JSON.stringify({ homeSizeNotice: '2KiB' }));
    assert.equal(homeSizeNotice(home, {}).length, 1);
    writeFileSync(join(home, 'config.json'), JSON.stringify({ homeSizeNotice: 'huge' }));
    assert.match(homeSizeNotice(home, {})[0]!, /config\.json: homeSizeNotice "huge" is not a size/);
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
});
