/**
 * Test fixture for the kill/resume cycles (kill-cycles.ts): one process that starts (argv[3] = start)
 * or resumes (resume) the execution argv[4] of the `durable` state machine in the home argv[2], with
 * the real job runner and a `park` Lambda that hands task tokens out through `<home>/park.log`. Every
 * job run is logged to `<home>/job-runs.log` (`start <job>` / `end <job> <status>`), so the parent can
 * count runs across kills. Prints the status on stdout when the execution ends, then exits.
 */
import { appendFileSync } from 'node:fs';
import { join } from 'node:path';
import { RealClock } from '../../core/clock.js';
import type { Json, JsonObject } from '../../core/json.js';
import type { JobRunner } from '../../emulators/sagemaker/contracts.js';
import { createJobRunner } from '../../emulators/sagemaker/runner/index.js';
import { LambdaFunctions } from '../../integrations/lambda.js';
import { openLocalServices } from '../local-services.js';
import { LocalStepFunctions } from './service.js';
import { DURABLE_DEFINITION, DURABLE_ROLE } from './kill-definition.js';

const [home, mode, name] = process.argv.slice(2) as [string, 'start' | 'resume', string];
const inner = createJobRunner();
const runner: JobRunner = {
  async run(job, ctx) {
    appendFileSync(join(home, 'job-runs.log'), `start ${job.name}\n`);
    const outcome = await inner.run(job, ctx);
    appendFileSync(join(home, 'job-runs.log'), `end ${job.name} ${outcome.status}\n`);
    return outcome;
  },
};
const lambda = new LambdaFunctions('us-east-1', '111111111111');
lambda.register('park', (event: Json) => {
  const e = event as JsonObject;
  appendFileSync(join(home, 'park.log'), `${String(e['token'])} ${String(e['execution'])}\n`);
  return null;
});
const clock = new RealClock();
const services = openLocalServices(home, { runner, lambda, clock, fsync: false });
const sfn = new LocalStepFunctions(services, { clock, pollMs: 25, flushIntervalMs: 20 });
const { stateMachineArn } = sfn.ensureStateMachine('durable', DURABLE_DEFINITION, DURABLE_ROLE);
const arn = `${stateMachineArn.replace(':stateMachine:', ':execution:')}:${name}`;
if (mode === 'start') sfn.startExecution({ stateMachineArn, name, input: '{"items":[0,1,2]}' });
else sfn.resumeExecution(arn);
const r = await sfn.result(arn);
process.stdout.write(`${r.status}\n`);
await sfn.close();
await services.close();
