/**
 * `mlops-sfn resume <execution>`: go on with a RUNNING execution whose process ended, in the foreground.
 * `mlops-sfn redrive <execution>`: run a FAILED, ABORTED or TIMED_OUT one again from what failed
 * (locally in the foreground, through a running `serve`, or with --cloud in AWS).
 */
import type { Command } from 'commander';
import { addCloudOptions, CLOUD_HELP, normalizeCloudOptions, wantsCloud, type CloudOptions } from '../../cloud/cloud-options.js';
import { resumeLocalExecution, type ResumeOptions } from '../../engine/execution-resume.js';
import { runningServe } from '../../engine/serve-file.js';
import { readRunSummary } from '../../definition/index.js';
import { formatSummary } from './run.js';

interface ResumeCommandOptions {
  realTime?: boolean;
  json?: boolean;
}

export function registerResumeCommand(program: Command, getHome: () => string): void {
  program
    .command('resume')
    .description('Resume a RUNNING execution whose process ended (killed, crashed, closed): completed steps are not run again')
    .argument('<execution>', 'the execution name or ARN (see `mlops-sfn executions list`)')
    .option('--real-time', 'wait out Wait states in real time (by default they take virtual time, as in `run`)')
    .option('--json', 'print the execution output as JSON at the end')
    .addHelpText(
      'after',
      '\n`mlops-sfn serve` resumes every such execution of its home by itself.\nExit codes: 0 the execution succeeded, 1 it failed, 2 bad input (unknown execution, not resumable).',
    )
    .action(async (execution: string, opts: ResumeCommandOptions) => {
      await foreground(getHome(), execution, opts, {});
    });

  const redrive = program
    .command('redrive')
    .description('Redrive a FAILED, ABORTED or TIMED_OUT execution (within 14 days): only the states that did not succeed run again')
    .argument('<execution>', 'the execution name or ARN');
  addCloudOptions(redrive)
    .option('--real-time', 'locally: wait out Wait states in real time (by default they take virtual time, as in `run`)')
    .option('--json', 'locally: print the execution output as JSON at the end')
    .addHelpText(
      'after',
      `\nLocally the execution runs in the foreground with live progress (or in the home's running \`serve\`).\nExit codes: 0 succeeded (or redriven, with --cloud), 1 failed again, 2 bad input or not redrivable.\n${CLOUD_HELP}`,
    )
    .action(async (execution: string, raw: ResumeCommandOptions & CloudOptions & { stack?: string }) => {
      const opts = normalizeCloudOptions(raw);
      const serve = wantsCloud(opts) ? undefined : runningServe(getHome());
      if (wantsCloud(opts) || serve) {
        const { cloudRedrive } = await import('../../cloud/cloud-redrive.js');
        const r = await cloudRedrive(execution, serve ? { ...opts, endpointUrl: serve.url } : opts);
        process.stdout.write(`redriven ${r.executionArn} at ${r.redriveDate.toISOString()}${serve ? ` (running in serve, pid ${serve.pid})` : ''}\n`);
        return;
      }
      await foreground(getHome(), execution, opts, { redrive: true });
    });
}

async function foreground(home: string, execution: string, opts: ResumeCommandOptions, extra: Pick<ResumeOptions, 'redrive'>): Promise<void> {
  const r = await resumeLocalExecution({
    home,
    execution,
    ...(opts.realTime ? {} : { fast: true }),
    log: (line) => process.stderr.write(line + '\n'),
    ...extra,
  });
  const summary = readRunSummary(r.execution.output);
  process.stdout.write(formatSummary({ execution: r.execution, summary, elapsedMs: r.elapsedMs }).replace(/^\nPipeline/, '\nExecution') + '\n');
  // Any execution can be resumed, not only a pipeline's: its output as it is.
  if (opts.json) process.stdout.write(JSON.stringify(r.execution.output ?? null, null, 2) + '\n');
  process.exitCode = r.execution.status === 'SUCCEEDED' ? 0 : 1;
}
