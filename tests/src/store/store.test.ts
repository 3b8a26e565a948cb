import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DuplicateRecordError, Store, StoreVersionError, MIGRATIONS } from '../../../src/store/index.js';

function tempHome(): string {
  return mkdtempSync(join(tmpdir(), 'mlops-store-'));
}

test('opening a home creates state.db in WAL mode with every migration recorded', () => {
  const home = join(tempHome(), 'nested', 'home');
  const store = Store.open(home);
  try {
    assert.equal(store.path, join(home, 'state.db'));
    assert.equal(store.schemaVersion(), MIGRATIONS.at(-1)!.version);
    assert.equal(store.integrityCheck(), 'ok');
  } finally {
    store.close();
  }
  // Reopening applies nothing twice.
  const again = Store.open(home);
  assert.equal(again.schemaVersion(), MIGRATIONS.at(-1)!.version);
  again.close();
  rmSync(home, { recursive: true, force: true });
});

test('a database from a newer build is refused rather than misread', () => {
  const home = tempHome();
  Store.open(home, { migrations: [...MIGRATIONS, { version: 99, name: 'future', sql: 'CREATE TABLE future (x)' }] }).close();
  assert.throws(() => Store.open(home), StoreVersionError);
  rmSync(home, { recursive: true, force: true });
});

test('names are unique per kind regardless of case, and other kinds may reuse them', () => {
  const store = Store.memory({ now: () => 1000 });
  store.resources.insert({ kind: 'training-job', name: 'Train-1', arn: 'a1', status: 'InProgress', record: { x: 1 } });
  assert.throws(
    () => store.resources.insert({ kind: 'training-job', name: 'train-1', arn: 'a2', record: {} }),
    (e: unknown) => e instanceof DuplicateRecordError && e.kind === 'training-job',
  );
  store.resources.insert({ kind: 'model', name: 'train-1', arn: 'a3', record: {} });
  const row = store.resources.get('training-job', 'TRAIN-1')!;
  assert.equal(row.name, 'Train-1');
  assert.equal(row.status, 'InProgress');
  assert.deepEqual(row.record, { x: 1 });
  assert.equal(row.createdAt, 1000);
  assert.equal(store.resources.getByArn('training-job', 'a1')?.name, 'Train-1');
  store.close();
});

test('update rewrites a record whole and keeps the status unless given', () => {
  let t = 1;
  const store = Store.memory({ now: () => t++ });
  store.resources.insert({ kind: 'endpoint', name: 'ep', arn: 'arn', status: 'Creating', record: { a: 1, b: [1] } });
  const after = store.resources.update('endpoint', 'EP', (row) => ({ record: { ...row.record, a: 2 } }))!;
  assert.equal(after.status, 'Creating');
  assert.deepEqual(store.resources.get('endpoint', 'ep')!.record, { a: 2, b: [1] });
  store.resources.update('endpoint', 'ep', () => ({ record: { a: 3 }, status: 'InService' }));
  assert.equal(store.resources.get('endpoint', 'ep')!.status, 'InService');
  assert.equal(store.resources.update('endpoint', 'missing', () => ({ record: {} })), undefined);
  assert.equal(store.resources.delete('endpoint', 'Ep'), true);
  assert.equal(store.resources.get('endpoint', 'ep'), undefined);
  store.close();
});

test('a failing transaction leaves nothing behind', () => {
  const store = Store.memory();
  assert.throws(() =>
    store.transaction(() => {
      store.resources.insert({ kind: 'model', name: 'm1', arn: 'x', record: {} });
      throw new Error('boom');
    }),
  );
  assert.equal(store.resources.get('model', 'm1'), undefined);
  store.close();
});

test('sequences per parent number model package versions from 1', () => {
  const store = Store.memory();
  for (const g of ['grp', 'GRP', 'other']) {
    store.transaction(() => {
      const seq = store.resources.nextSeq('model-package', g);
      store.resources.insert({ kind: 'model-package', name: `${g}/${seq}`, arn: `arn/${g}/${seq}`, parent: g, seq, record: { seq } });
    });
  }
  assert.deepEqual(store.resources.listByParent('model-package', 'grp').map((r) => r.seq), [1, 2]);
  assert.equal(store.resources.countByParent('model-package', 'Other'), 1);
  store.close();
});

test('kill -9 during writes never leaves a partial record or a damaged file', { timeout: 120_000 }, async () => {
  const home = tempHome();
  Store.open(home).close();
  const writer = fileURLToPath(new URL('../../fixtures/crash-writer.js', import.meta.url));
  // stderr forwarded, not inherited: a writer that outlived this process could not hold the runner's output open.
  const child = spawn(process.execPath, [writer, home], { stdio: ['ignore', 'pipe', 'pipe'] });
  child.stderr.pipe(process.stderr);
  // Wait until it has committed some records, then kill it mid-stream.
  await new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (d: Buffer) => {
      if (d.toString().includes('200')) resolve();
    });
    child.on('exit', () => reject(new Error('writer exited early')));
  });
  child.kill('SIGKILL');
  await new Promise((r) => child.once('exit', r));
  const store = Store.open(home);
  try {
    assert.equal(store.integrityCheck(), 'ok');
    const rows = store.resources.list('training-job');
    assert.ok(rows.length >= 200);
    for (const r of rows) {
      // Every record is whole: its payload matches its name and its status column matches the record.
      assert.equal(r.record['name'], r.name);
      assert.equal((r.record['blob'] as string).length, 4096);
      assert.equal(r.status, r.record['status']);
    }
  } finally {
    store.close();
    rmSync(home, { recursive: true, force: true });
  }
});
