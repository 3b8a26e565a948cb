/** Shared by the Step Functions tests: a home with a store, a Lambda that parks task tokens, definitions. */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LOCAL_LOCATION } from '../../src/core/arn.js';
import type { Clock } from '../../src/core/clock.js';
import type { Json, JsonObject } from '../../src/core/json.js';
import { LambdaFunctions, LambdaIntegration } from '../../src/integrations/lambda.js';
import { IntegrationRegistry } from '../../src/integrations/registry.js';
import { Store } from '../../src/store/index.js';
import { LocalStepFunctions, type LocalStepFunctionsOptions, type StepFunctionsServices } from '../../src/engine/step-functions/service.js';

export const ROLE = 'arn:aws:iam::111111111111:role/test-role';

export function tempHome(): string {
  return mkdtempSync(join(tmpdir(), 'mlops-sfn-svc-'));
}

export interface Harness {
  services: StepFunctionsServices;
  sfn: LocalStepFunctions;
  /** Task tokens handed to the `park` Lambda, in order. */
  tokens: string[];
  close(): Promise<void>;
}

/** A service over `<home>/state.db` (or memory) with one Lambda, `park`, that keeps the task token it gets. */
export function harness(home?: string, opts: LocalStepFunctionsOptions & { clock?: Clock } = {}): Harness {
  const store = home ? Store.open(home) : Store.memory();
  const lambda = new LambdaFunctions();
  const tokens: string[] = [];
  lambda.register('park', (event: Json) => {
    tokens.push(String((event as JsonObject)['token']));
    return null;
  });
  lambda.register('echo', (event: Json) => event);
  const tasks = new IntegrationRegistry().add(new LambdaIntegration(lambda));
  const services: StepFunctionsServices = { store, location: LOCAL_LOCATION, tasks };
  const sfn = new LocalStepFunctions(services, { pollMs: 20, ...opts });
  return {
    services,
    sfn,
    tokens,
    async close() {
      await sfn.close();
      store.close();
    },
  };
}

export const PASS_CHAIN = JSON.stringify({
  StartAt: 'A',
  States: { A: { Type: 'Pass', Result: { n: 1 }, ResultPath: '$.a', Next: 'B' }, B: { Type: 'Pass', End: true } },
});

export const LONG_WAIT = JSON.stringify({ StartAt: 'Hold', States: { Hold: { Type: 'Wait', Seconds: 3600, End: true } } });

export const WAIT_FOR_TOKEN = JSON.stringify({
  StartAt: 'Ask',
  States: {
    Ask: {
      Type: 'Task',
      Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken',
      Parameters: { FunctionName: 'park', Payload: { 'token.$': '$$.Task.Token' } },
      End: true,
    },
  },
});

/** A Pass/Choice loop of `n` iterations (two history events per state). */
export function loopDefinition(n: number): string {
  return JSON.stringify({
    StartAt: 'Init',
    States: {
      Init: { Type: 'Pass', Result: 0, ResultPath: '$.i', Next: 'Check' },
      Check: { Type: 'Choice', Choices: [{ Variable: '$.i', NumericGreaterThanEquals: n, Next: 'Done' }], Default: 'Step' },
      Step: { Type: 'Pass', Parameters: { 'i.$': 'States.MathAdd($.i, 1)' }, Next: 'Check' },
      Done: { Type: 'Succeed' },
    },
  });
}

export async function until(what: string, cond: () => boolean, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}
