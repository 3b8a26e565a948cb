/**
 * `mlops-sfn start --cloud`: starts the deployed pipeline now, as its schedule would (same trigger
 * Lambda, same event), prints the execution and how to follow it; `--wait` follows it to the end.
 * The cloud code loads only here, so other commands never pay for the AWS SDK clients.
 */
import type { Command } from 'commander';
import { runningServe } from '../../engine/serve-file.js';
import { UserError } from '../../core/errors.js';
import { addCloudOptions, CLOUD_HELP, normalizeCloudOptions, wantsCloud, type CloudOptions } from '../../cloud/cloud-options.js';

export interface StartOptions extends CloudOptions {
  stack?: string;
  wait?: boolean;
  interval?: number;
}

export interface StartIo {
  log?: (line: string) => void;
  /** The local home: without --cloud, its running `serve` is the stack. */
  home?: string;
  env?: Readonly<Record<string, string | undefined>>;
}

export async function startCommand(rawOpts: StartOptions, io: StartIo = {}): Promise<void> {
  const log = io.log ?? ((l: string) => process.stdout.write(l + '\n'));
  let opts = normalizeCloudOptions(rawOpts);
  if (!wantsCloud(opts)) {
    // Locally, `serve <pipeline>` is the deployed stack: the same calls go to its API.
    const serve = io.home === undefined ? undefined : runningServe(io.home);
    if (!serve?.deployment) {
      throw new UserError(
        'start talks to a deployed stack: add --cloud (or --endpoint-url for a local API), or run `mlops-sfn serve <pipeline>` for this --home first; to run the pipeline once here use `mlops-sfn run <pipeline>`',
      );
    }
    opts = { ...opts, endpointUrl: serve.url, ...serve.deployment, localHome: true };
  }
  const { openCloudSession } = await import('../../cloud/cloud-session.js');
  const { finishedLine, followExecution, modeFlags, startedLines, startInCloud } = await import('../../cloud/cloud-start.js');
  const session = await openCloudSession(opts, io.env);
  try {
    const started = await startInCloud(session);
    for (const line of startedLines(started, session, opts)) log(line);
    if (!opts.wait) return;
    const mode = modeFlags(opts);
    const done = await followExecution(session, started.executionArn, {
      intervalMs: (opts.interval ?? 5) * 1000,
      log,
      approveHint: (name) => `npx mlops-sfn approve ${name}${mode} [--comment "..."]  (or reject)`,
    });
    log(finishedLine(done));
  } finally {
    session.close();
  }
}

function parseInterval(v: string): number {
  const n = Number(v);
  if (!Number.isFinite(n) || n < 0.1 || n > 3600) throw new UserError(`--interval must be a number of seconds between 0.1 and 3600, not ${JSON.stringify(v)}`);
  return n;
}

export function registerStartCommand(program: Command, getHome: () => string): void {
  addCloudOptions(
    program
      .command('start')
      .description('Start the deployed pipeline now, as its schedule does: invoke the trigger Lambda with the pipeline YAML in the stack bucket (--cloud; without it, the pipeline a running `serve` of this --home deployed)'),
    { trigger: true },
  )
    .option('--wait', 'follow the execution until it ends, showing each stage; exit 1 when it fails')
    .option('--interval <seconds>', 'with --wait: seconds between polls (default 5)', parseInterval)
    .addHelpText(
      'after',
      `${CLOUD_HELP}

Example:
  npx mlops-sfn start --cloud --model-name census --wait

Exit codes: 0 started (with --wait: succeeded), 1 the trigger failed or (with --wait) the execution
failed, timed out or was aborted, 2 no credentials/region, no such stack, or a bad option.`,
    )
    .action(async (opts: StartOptions) => {
      await startCommand(opts, { home: getHome() });
    });
}
