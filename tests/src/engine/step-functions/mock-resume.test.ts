/**
 * An execution started on a mock test case keeps it: resumed after its process let go, its mocked
 * states still answer from the test case, and the invocation count goes on from what its history
 * recorded (a restarted count would replay the first responses and exhaust the retries).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openLocalServices } from '../../../../src/engine/local-services.js';
import { LocalStepFunctions, StepFunctionsError } from '../../../../src/engine/step-functions/index.js';
import { parseMockConfig } from '../../../../src/integrations/mock-config.js';

const DEFINITION = {
  StartAt: 'Call',
  States: {
    Call: {
      Type: 'Task',
      Resource: 'arn:aws:states:::lambda:invoke',
      Parameters: { FunctionName: 'f' },
      Retry: [{ ErrorEquals: ['Flaky'], IntervalSeconds: 1, MaxAttempts: 2, BackoffRate: 1 }],
      End: true,
    },
  },
};

const CONFIG = parseMockConfig(
  {
    StateMachines: { flaky: { TestCases: { Recovers: { Call: 'FailTwiceThenReturn' } } } },
    MockedResponses: { FailTwiceThenReturn: { '0-1': { Throw: { Error: 'Flaky', Cause: 'not yet' } }, '2': { Return: { ok: true } } } },
  },
  'mocks.json',
);

test('a mocked execution resumed in a new service goes on with its test case and its invocation count', { timeout: 60_000 }, async () => {
  const home = mkdtempSync(join(tmpdir(), 'mlops-mock-resume-'));
  try {
    const first = openLocalServices(home, { fsync: false });
    const sfn1 = new LocalStepFunctions(first, { pollMs: 20, flushIntervalMs: 10, mockConfig: CONFIG });
    const { stateMachineArn } = sfn1.createStateMachine({ name: 'flaky', definition: JSON.stringify(DEFINITION), roleArn: 'arn:aws:iam::111111111111:role/r' });
    const { executionArn } = sfn1.startExecution({ stateMachineArn: `${stateMachineArn}#Recovers`, name: 'run-1' });
    // Let the first attempt fail and be recorded, then let go while the retry waits.
    for (let i = 0; i < 200; i++) {
      const events = sfn1.getExecutionHistory({ executionArn }).events ?? [];
      if (events.some((e) => e.type === 'TaskFailed')) break;
      await new Promise((r) => setTimeout(r, 10));
    }
    await sfn1.close();
    assert.equal(first.store.executions.get(executionArn!)?.mockTestCase, 'flaky#Recovers');
    await first.close();

    // Without the mock configuration it is not resumed: its mocked state would call the service.
    const bare = openLocalServices(home, { fsync: false });
    const sfnBare = new LocalStepFunctions(bare, { pollMs: 20 });
    assert.throws(() => sfnBare.resumeExecution(executionArn!), (e: unknown) => e instanceof StepFunctionsError && /started on mock test case flaky#Recovers/.test(e.message));
    await sfnBare.close();
    await bare.close();

    const second = openLocalServices(home, { fsync: false });
    const sfn2 = new LocalStepFunctions(second, { pollMs: 20, mockConfig: CONFIG });
    try {
      sfn2.resumeExecution(executionArn!);
      const r = await sfn2.result(executionArn!);
      assert.equal(r.status, 'SUCCEEDED', `${r.error}: ${r.cause}`);
      assert.deepEqual(r.output, { ok: true });
      const types = (sfn2.getExecutionHistory({ executionArn, maxResults: 1000 }).events ?? []).map((e) => e.type);
      assert.equal(types.filter((t) => t === 'TaskFailed').length, 2);
      assert.equal(types.filter((t) => t === 'TaskSucceeded').length, 1);
    } finally {
      await sfn2.close();
      await second.close();
    }
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
});
