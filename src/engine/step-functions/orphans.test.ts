import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Store } from '../../store/index.js';
import { currentOwner, ownerAlive } from './process-owner.js';
import { harness, PASS_CHAIN, ROLE, tempHome } from './test-support.js';

const FIXTURE = fileURLToPath(new URL('./orphan-owner.fixture.js', import.meta.url));

function startOwner(home: string, name: string): Promise<{ pid: number; arn: string; kill: () => Promise<void> }> {
  const child = spawn(process.execPath, [FIXTURE, home, name], { stdio: ['ignore', 'pipe', 'inherit'] });
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

test('a RUNNING execution of a killed process is closed as ABORTED when the service opens; a live owner keeps its own', async () => {
  const home = tempHome();
  const owner = await startOwner(home, 'orphan-1');
  try {
    // The owner still runs: another process opening the service leaves its execution alone.
    const peer = harness(home);
    assert.equal(peer.sfn.describeExecution({ executionArn: owner.arn }).status, 'RUNNING');
    await peer.close();
  } finally {
    await owner.kill();
  }
  const logs: string[] = [];
  const after = harness(home, { log: (l) => logs.push(l) });
  const d = after.sfn.describeExecution({ executionArn: owner.arn });
  assert.equal(d.status, 'ABORTED');
  assert.equal(d.error, 'Local.ProcessEnded');
  assert.equal(d.cause, `The local mlops-sfn process that ran this execution (pid ${owner.pid}) ended before the execution did.`);
  assert.ok(d.stopDate instanceof Date);
  assert.deepEqual(logs, ['closed 1 execution left RUNNING by a local process that ended (now ABORTED)']);
  const events = after.sfn.getExecutionHistory({ executionArn: owner.arn }).events!;
  assert.deepEqual(events.map((e) => e.type), ['ExecutionStarted', 'WaitStateEntered', 'ExecutionAborted']);
  assert.deepEqual(events[2]!.executionAbortedEventDetails, { error: d.error, cause: d.cause });
  assert.equal(events[2]!.previousEventId, 2);
  // The result is readable (from the store) in a process that never ran it.
  assert.equal((await after.sfn.result(owner.arn)).status, 'ABORTED');
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

test('an orphan that never flushed an event still gets a history that starts and ends', async () => {
  const home = tempHome();
  const setup = harness(home);
  const { stateMachineArn } = setup.sfn.createStateMachine({ name: 'chain', definition: PASS_CHAIN, roleArn: ROLE });
  await setup.close();
  const store = Store.open(home);
  const arn = 'arn:aws:states:us-east-1:111111111111:execution:chain:lost';
  store.executions.insert({ arn, name: 'lost', stateMachineArn: stateMachineArn!, input: '{"a":1}', startDate: 1000, owner: { pid: 1, started: '-1' } });
  store.close();

  const h = harness(home);
  const events = h.sfn.getExecutionHistory({ executionArn: arn }).events!;
  assert.deepEqual(events.map((e) => [e.id, e.type, e.previousEventId]), [
    [1, 'ExecutionStarted', 0],
    [2, 'ExecutionAborted', 1],
  ]);
  assert.equal(events[0]!.executionStartedEventDetails!.input, '{"a":1}');
  assert.equal(events[0]!.executionStartedEventDetails!.roleArn, ROLE);
  await h.close();
  rmSync(home, { recursive: true, force: true });
});
