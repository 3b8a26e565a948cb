/**
 * `mlops-sfn executions [list|describe|history]`: the executions of a state machine, local or in AWS.
 *
 * Both sides take one code path: the AWS SDK calls of src/cloud/. With `--cloud` (or
 * `--endpoint-url`) they go to AWS (or to that API); locally they go to the home's running `serve`,
 * or, when none runs, to a local API this command starts for the moment on a free loopback port
 * over the home's records. So the local output is AWS's answer to the same calls, by construction.
 */
import type { Command } from 'commander';
import { UserError } from '../../core/errors.js';
import { LOCAL_LOCATION, stateMachineArn as makeStateMachineArn } from '../../core/arn.js';
import { addCloudOptions, CLOUD_HELP, normalizeCloudOptions, wantsCloud } from '../../cloud/cloud-options.js';
import type { CloudExecutionsOptions, ExecutionsSubcommand } from '../../cloud/executions-command.js';
import { LOCAL_STATE_MACHINE } from '../../engine/local-deployment.js';
import { runningServe } from '../../engine/serve-file.js';

interface ExecutionsCliOptions extends CloudExecutionsOptions {
  stack?: string;
  stateMachine?: string;
  limit?: number;
}

const SUBCOMMANDS: readonly ExecutionsSubcommand[] = ['list', 'describe', 'history'];

export function registerExecutionsCommand(program: Command, getHome: () => string): void {
  const cmd = program
    .command('executions')
    .description('List executions, describe one, or print its history (local by default; --cloud for the deployed stack)')
    .argument('[action]', 'list (default), describe or history')
    .argument('[execution]', 'describe/history: the execution name or ARN');
  addCloudOptions(cmd)
    .option('--state-machine <name>', `local: the state machine (default ${LOCAL_STATE_MACHINE}, what run and serve deploy)`)
    .option('--status <status>', 'list: only RUNNING, SUCCEEDED, FAILED, TIMED_OUT or ABORTED executions')
    .option('--limit <n>', 'list: at most this many, newest first (default 20)', parseLimit)
    .option('--reverse', 'history: newest event first')
    .option('--json', 'print JSON (history: one event per line)')
    .addHelpText('after', `\nExit codes: 0 done, 2 bad input or an unknown execution.\n${CLOUD_HELP}`)
    .action(async (action: string | undefined, execution: string | undefined, raw: ExecutionsCliOptions) => {
      const sub = (action ?? 'list') as ExecutionsSubcommand;
      if (!SUBCOMMANDS.includes(sub)) {
        throw new UserError(`unknown action ${JSON.stringify(action)}: use list, describe <execution> or history <execution>`);
      }
      process.stdout.write((await executionsCommand(getHome(), sub, execution, raw)) + '\n');
    });
}

export async function executionsCommand(home: string, sub: ExecutionsSubcommand, target: string | undefined, raw: ExecutionsCliOptions): Promise<string> {
  const opts = normalizeCloudOptions(raw);
  const { cloudExecutionsCommand } = await import('../../cloud/executions-command.js');
  if (wantsCloud(opts)) return cloudExecutionsCommand(sub, target, opts);

  const stateMachineArn = opts.stateMachineArn ?? makeStateMachineArn(LOCAL_LOCATION, opts.stateMachine ?? LOCAL_STATE_MACHINE);
  const serve = runningServe(home);
  if (serve) return cloudExecutionsCommand(sub, target, { ...opts, endpointUrl: serve.url, stateMachineArn, localHome: true }, {});
  const { openLocalServices } = await import('../../engine/local-services.js');
  const { LocalStepFunctions } = await import('../../engine/step-functions/index.js');
  const { startLocalApi } = await import('../../api/index.js');
  const services = openLocalServices(home);
  const stepFunctions = new LocalStepFunctions(services);
  try {
    const api = await startLocalApi({ services, stepFunctions, port: 0, log: () => {} });
    try {
      return await cloudExecutionsCommand(sub, target, { ...opts, endpointUrl: api.url, stateMachineArn, localHome: true }, {});
    } finally {
      await api.close();
    }
  } finally {
    await stepFunctions.close();
    await services.close();
  }
}

function parseLimit(v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1 || n > 1000) throw new UserError(`--limit must be a whole number from 1 to 1000, not ${JSON.stringify(v)}`);
  return n;
}
