import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { VirtualClock } from '../../../../src/core/clock.js';
import { Store } from '../../../../src/store/index.js';
import { currentOwner, ownerAlive } from '../../../../src/engine/step-functions/process-owner.js';
import { harness, PASS_CHAIN, ROLE, tempHome } from '../../../support/step-functions.js';

const FIXTURE = fileURLToPath(new URL('../../../fixtures/execution-owner.js', import.meta.url));

function startOwner(home: string, name: string): Promise<{ pid: number; arn: string; kill: () => Promise<void> }> {
  // stdin: the fixture ends when this process does; stderr is forwarded, not inherited, so a fixture
  // that outlived this process could not hold the test runner's output open.
  const child = spawn(process.execPath, [FIXTURE, home, name], { stdio: ['pipe', 'pipe', 'pipe'] });
  child.stderr.pipe(process.stderr);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.includes('\n')) {
        resolve({
          pid: child.pid!,
          arn: out.trim(),
          kill: async () => {
            child.kill('SIGKILL');
            await exited;
          },
        });
      }
    });
    child.once('exit', (code) => reject(new Error(`the owner process exited early (${code})`)));
  });
}

test('a RUNNING execution of a killed process stays RUNNING until a process resumes it; a live owner keeps its own', { timeout: 60_000 }, async () => {
  const home = tempHome();
  const owner = await startOwner(home, 'orphan-1');
  try {
    // The owner still runs: another process can neither resume its execution nor touch it.
    const peer = harness(home);
    assert.equal(peer.sfn.describeExecution({ executionArn: owner.arn }).status, 'RUNNING');
    assert.deepEqual(peer.sfn.resumeOrphans().resumed, []);
    assert.throws(() => peer.sfn.resumeExecution(owner.arn), /is running in another local process/);
    await peer.close();
  } finally {
    await owner.kill();
  }
  // Opening the service resumes nothing by itself (only serve and `resume` do).
  const reader = harness(home);
  assert.equal(reader.sfn.describeExecution({ executionArn: owner.arn }).status, 'RUNNING');
  await reader.close();

  const after = harness(home, { clock: new VirtualClock() });
  assert.deepEqual(after.sfn.resumeOrphans().resumed, [owner.arn]);
  const r = await after.sfn.result(owner.arn);
  assert.equal(r.status, 'SUCCEEDED');
  assert.deepEqual(JSON.parse(after.sfn.describeExecution({ executionArn: owner.arn }).output!), { from: 'child' });
  const events = after.sfn.getExecutionHistory({ executionArn: owner.arn }).events!;
  assert.deepEqual(events.map((e) => e.type), ['ExecutionStarted', 'WaitStateEntered', 'WaitStateExited', 'ExecutionSucceeded']);
  assert.deepEqual(events.map((e) => e.id), [1, 2, 3, 4]);
  await after.close();
  rmSync(home, { recursive: true, force: true });
});

test('an owner is recognised by pid and start time: a reused pid is not the owner', () => {
  const me = currentOwner();
  assert.equal(ownerAlive(me), true);
  assert.equal(ownerAlive({ pid: 1 }), true);
  // pid 1 exists, but not with this start time: whoever recorded it is gone.
  assert.equal(ownerAlive({ pid: 1, started: '-1' }), false);
  assert.equal(ownerAlive({ pid: 2 ** 22 + 7 }), false);
  assert.equal(ownerAlive(undefined), false);
});

test('an orphan that never flushed an event is resumed from its start; stopping an orphan closes its history', { timeout: 60_000 }, async () => {
  const home = tempHome();
  const setup = harness(home);
  const { stateMachineArn } = setup.sfn.createStateMachine({ name: 'chain', definition: PASS_CHAIN, roleArn: ROLE });
  await setup.close();
  const store = Store.open(home);
  const arn = 'arn:aws:states:us-east-1:111111111111:execution:chain:lost';
  const stopped = 'arn:aws:states:us-east-1:111111111111:execution:chain:stopped';
  store.executions.insert({ arn, name: 'lost', stateMachineArn: stateMachineArn!, input: '{"a":1}', startDate: 1000, owner: { pid: 1, started: '-1' } });
  store.executions.insert({ arn: stopped, name: 'stopped', stateMachineArn: stateMachineArn!, input: '{}', startDate: 1000, owner: { pid: 1, started: '-1' } });
  store.close();

  const h = harness(home);
  h.sfn.stopExecution({ executionArn: stopped, error: 'Why', cause: 'because' });
  assert.deepEqual(h.sfn.getExecutionHistory({ executionArn: stopped }).events!.map((e) => [e.id, e.type, e.previousEventId]), [
    [1, 'ExecutionStarted', 0],
    [2, 'ExecutionAborted', 1],
  ]);
  assert.deepEqual(h.sfn.resumeOrphans().resumed, [arn]);
  assert.equal((await h.sfn.result(arn)).status, 'SUCCEEDED');
  const events = h.sfn.getExecutionHistory({ executionArn: arn }).events!;
  assert.equal(events[0]!.type, 'ExecutionStarted');
  assert.equal(events[0]!.executionStartedEventDetails!.input, '{"a":1}');
  assert.equal(events[0]!.executionStartedEventDetails!.roleArn, ROLE);
  assert.equal(events.at(-1)!.type, 'ExecutionSucceeded');
  assert.deepEqual(events.map((e) => e.id), events.map((_, i) => i + 1));
  await h.close();
  rmSync(home, { recursive: true, force: true });
});
