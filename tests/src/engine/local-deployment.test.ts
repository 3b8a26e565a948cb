/**
 * A pipeline deployed to a local home owns its state machine and its Lambdas: `trigger()` works as
 * soon as the deployment exists, and every execution the trigger Lambda starts (from `trigger()` or
 * through the Lambda service, as the local API invokes it) is watched the same way.
 */
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { VirtualClock } from '../../../src/core/clock.js';
import { packageFile } from '../../../src/core/package-root.js';
import { InvalidPipelineError } from '../../../src/config/index.js';
import type { HistoryEvent } from '../../../src/asl/history.js';
import { APPROVAL_FUNCTION, deployPipelineLocally, LOCAL_STATE_MACHINE, TRIGGER_FUNCTION, type LocalExecution } from '../../../src/engine/local-deployment.js';
import { openLocalServices } from '../../../src/engine/local-services.js';
import { LocalStepFunctions } from '../../../src/engine/step-functions/index.js';
import { LocalError } from '../../../src/core/errors.js';
import { exitCodeFor } from '../../../src/cli/run-main.js';

/** The census example with every stage switched off: the generated machine runs end to end in moments, no jobs. */
function quickPipeline(): string {
  const dir = mkdtempSync(join(tmpdir(), 'mlops-sfn-deploy-pipeline-'));
  cpSync(packageFile('examples', 'census'), dir, { recursive: true });
  const yaml = join(dir, 'pipeline.yaml');
  writeFileSync(yaml, readFileSync(yaml, 'utf8').replace(/^( {2}run:) true$/gm, '$1 false'));
  rmSync(join(dir, 'generate_data.py'));
  return dir;
}

async function withHome(fn: (h: { services: ReturnType<typeof openLocalServices>; sfn: LocalStepFunctions; clock: VirtualClock; pipeline: string }) => Promise<void>) {
  const home = mkdtempSync(join(tmpdir(), 'mlops-sfn-deploy-home-'));
  const pipeline = quickPipeline();
  const clock = new VirtualClock(Date.parse('2026-12-08T00:00:00.250Z'));
  const services = openLocalServices(home, { clock, fsync: false });
  const sfn = new LocalStepFunctions(services, { clock });
  try {
    await fn({ services, sfn, clock, pipeline });
  } finally {
    await sfn.close();
    await services.close();
    rmSync(home, { recursive: true, force: true });
    rmSync(pipeline, { recursive: true, force: true });
  }
}

test('deploying creates the state machine and registers both Lambdas; trigger() returns the execution it started', { timeout: 120_000 }, () =>
  withHome(async ({ services, sfn, clock, pipeline }) => {
    const watched: string[] = [];
    const started: LocalExecution[] = [];
    const events: HistoryEvent[] = [];
    const local = await deployPipelineLocally(services, {
      pipeline,
      clock,
      stepFunctions: sfn,
      log: () => {},
      watch: (name) => {
        watched.push(name);
        return { onEvent: (e) => events.push(e), started: (x) => started.push(x) };
      },
    });
    try {
      assert.equal(local.change, 'created');
      assert.equal(local.stateMachineArn, `arn:aws:states:us-east-1:111111111111:stateMachine:${LOCAL_STATE_MACHINE}`);
      assert.deepEqual(JSON.parse(sfn.describeStateMachine({ stateMachineArn: local.stateMachineArn }).definition!), local.definition);
      assert.ok(services.lambda.has(TRIGGER_FUNCTION) && services.lambda.has(APPROVAL_FUNCTION));

      const execution = await local.trigger();
      assert.equal(execution.executionName, `mlops-census-${Math.floor(Date.parse('2026-12-08T00:00:00Z') / 1000)}`);
      assert.equal(execution.executionArn, `arn:aws:states:us-east-1:111111111111:execution:${LOCAL_STATE_MACHINE}:${execution.executionName}`);
      assert.deepEqual(watched, [execution.executionName]);
      assert.deepEqual(started.map((s) => s.executionArn), [execution.executionArn]);
      const result = await execution.result();
      assert.equal(result.status, 'SUCCEEDED', `${result.error}: ${result.cause}`);
      assert.equal(events[0]?.type, 'ExecutionStarted');
      assert.equal(events.at(-1)?.type, 'ExecutionSucceeded');

      // A second run in the same (virtual) second would take the same name: it starts a second later instead.
      const again = await local.trigger();
      assert.equal(again.executionName, `mlops-census-${Math.floor(Date.parse('2026-12-08T00:00:01Z') / 1000)}`);
      assert.equal((await again.result()).status, 'SUCCEEDED');

      // The trigger invoked through the Lambda service (as the local API does) is watched the same way.
      await clock.sleep(1000);
      const viaLambda = await services.lambda.invoke(TRIGGER_FUNCTION, local.triggerEvent, new AbortController().signal, false);
      const arn = (viaLambda as { executionArn: string }).executionArn;
      assert.equal(started.at(-1)?.executionArn, arn);
      assert.equal((await sfn.result(arn)).status, 'SUCCEEDED');
    } finally {
      local.stop();
    }

    // Deploying the same pipeline again leaves the machine as it is.
    const second = await deployPipelineLocally(services, { pipeline, clock, stepFunctions: sfn, log: () => {} });
    second.stop();
    assert.equal(second.change, 'unchanged');
  }),
);

test('a pipeline with problems deploys nothing: no state machine, no trigger', { timeout: 60_000 }, () =>
  withHome(async ({ services, sfn, clock, pipeline }) => {
    const yaml = join(pipeline, 'pipeline.yaml');
    writeFileSync(yaml, readFileSync(yaml, 'utf8').replace('run: false', 'run: maybe'));
    await assert.rejects(deployPipelineLocally(services, { pipeline, clock, stepFunctions: sfn, log: () => {} }), InvalidPipelineError);
    assert.deepEqual(sfn.listStateMachines().stateMachines, []);
    assert.equal(services.lambda.has(TRIGGER_FUNCTION), false);
  }),
);

test("what the trigger rejects is a typed error the CLI prints as one line (exit 2), never as an internal error", { timeout: 60_000 }, () =>
  withHome(async ({ services, sfn, clock, pipeline }) => {
    const local = await deployPipelineLocally(services, { pipeline, clock, stepFunctions: sfn, log: () => {} });
    try {
      // The uploaded pipeline file is gone (someone emptied the bucket): the trigger cannot read it.
      await services.s3.deleteObject({ Bucket: local.deployment.bucket, Key: local.triggerEvent.config.prefix });
      const rejected = await local.trigger().then(
        () => assert.fail('the trigger started a run without its pipeline file'),
        (e: unknown) => e,
      );
      assert.ok(rejected instanceof LocalError);
      assert.equal(rejected.name, 'Pipeline.ConfigurationNotFound');
      assert.deepEqual(exitCodeFor(rejected), {
        code: 2,
        line: 's3://mlops-local/census/scripts/input.yaml: no such object (upload the pipeline YAML there, or fix "prefix" in the event)',
      });
      // The same through the Lambda service: the function error carries the name as its type.
      await assert.rejects(services.lambda.invoke(TRIGGER_FUNCTION, { config: {} }, new AbortController().signal, false), (e: unknown) => {
        assert.equal((e as { error?: string }).error, 'Pipeline.InvalidTriggerEvent');
        return true;
      });
      assert.deepEqual(sfn.listExecutions({ stateMachineArn: local.stateMachineArn }).executions, [], 'nothing started');
    } finally {
      local.stop();
    }
  }),
);
