import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { runExecution } from '../../../src/asl/execution.js';
import { loadStateMachine } from '../../../src/asl/machine.js';
import { VirtualClock } from '../../../src/core/clock.js';
import { createApprovalHandler } from '../../../src/lambda/approval.js';
import { openLocalServices } from '../../../src/engine/local-services.js';
import { ManualApprovals } from '../../../src/engine/manual-approvals.js';
import { decide } from '../../../src/cli/commands/approve.js';
import { listApprovals } from '../../../src/cli/commands/approvals.js';

/** The pipeline's approval step in miniature: ask a person, reject on States.Timeout. */
function approvalMachine(functionArn: string, timeoutSeconds: number) {
  return loadStateMachine({
    QueryLanguage: 'JSONata',
    StartAt: 'Ask',
    States: {
      Ask: {
        Type: 'Task',
        Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken',
        Arguments: {
          FunctionName: functionArn,
          Payload: `{% {'taskToken': $states.context.Task.Token, 'executionArn': $states.context.Execution.Id, 'executionName': $states.context.Execution.Name, 'requestedAt': $states.context.State.EnteredTime, 'timeoutSeconds': ${timeoutSeconds}} %}`,
        },
        TimeoutSeconds: timeoutSeconds,
        Output: '{% $states.result %}',
        Catch: [{ ErrorEquals: ['States.Timeout'], Output: `{% {'decision': 'Rejected', 'decidedBy': 'timeout'} %}`, Next: 'Done' }],
        Next: 'Done',
      },
      Done: { Type: 'Succeed' },
    },
  });
}

function setup(timeoutSeconds: number) {
  const home = mkdtempSync(join(tmpdir(), 'mlops-sfn-approvals-'));
  const clock = new VirtualClock();
  const services = openLocalServices(home, { clock });
  const approvals = new ManualApprovals(services, clock, () => {});
  services.lambda.register('approval', createApprovalHandler({ store: approvals, log: () => {} }) as never);
  const machine = approvalMachine(services.lambda.arn('approval'), timeoutSeconds);
  const cleanup = async () => {
    approvals.stop();
    await services.close();
    rmSync(home, { recursive: true, force: true });
  };
  return { home, clock, services, approvals, machine, cleanup };
}

test('under virtual time, a manual approval nobody answers times out after the real timeout and is closed as TimedOut', async () => {
  const { home, clock, services, machine, cleanup } = setup(1);
  try {
    const t0 = Date.now();
    const result = await runExecution(machine, {}, { tasks: services.tasks, clock, name: 'nobody-answers' });
    const waited = Date.now() - t0;
    assert.equal(result.status, 'SUCCEEDED');
    assert.deepEqual(result.output, { decision: 'Rejected', decidedBy: 'timeout' });
    // The person had the real second the pipeline allows, not an instant of virtual time.
    assert.ok(waited >= 900, `the approval waited ${waited} ms of real time`);
    const row = services.store.approvals.get('nobody-answers');
    assert.equal(row?.status, 'TimedOut');
    assert.equal(services.store.approvals.decide('nobody-answers', 'Approved', 'late', undefined), false, 'a late decision changes nothing');
    // What the person sees when they answer too late, from another terminal.
    await services.close();
    assert.throws(() => decide(home, 'nobody-answers', 'Approved', {}), /nobody decided on nobody-answers within its approval timeout/);
    assert.equal(listApprovals(home), 'no approvals are waiting (`--all` lists decided ones)');
    assert.match(listApprovals(home, { all: true }), /^nobody-answers {2}TimedOut {2}requested .*\n {2}nobody decided in time/);
  } finally {
    await cleanup();
  }
});

test('a decision stored by another process reaches the waiting execution as the task result', { timeout: 60_000 }, async () => {
  const { clock, services, approvals, machine, cleanup } = setup(3600);
  try {
    const run = runExecution(machine, {}, { tasks: services.tasks, clock, name: 'someone-answers' });
    for (let i = 0; i < 100 && approvals.waitingFor.length === 0; i++) await new Promise((r) => setTimeout(r, 20));
    assert.deepEqual(approvals.waitingFor, ['someone-answers']);
    assert.equal(services.store.approvals.decide('someone-answers', 'Approved', 'alice', 'looks good'), true);
    const result = await run;
    assert.equal(result.status, 'SUCCEEDED');
    const out = result.output as Record<string, unknown>;
    assert.equal(out['decision'], 'Approved');
    assert.equal(out['approver'], 'alice');
    assert.equal(out['comment'], 'looks good');
    assert.equal(services.store.approvals.get('someone-answers')?.status, 'Approved');
    assert.deepEqual(approvals.waitingFor, []);
  } finally {
    await cleanup();
  }
});
