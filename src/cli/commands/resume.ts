/** `mlops-sfn resume <execution>`: go on with a RUNNING execution whose process ended, in the foreground. */
import type { Command } from 'commander';
import { resumeLocalExecution } from '../../engine/execution-resume.js';
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
      const r = await resumeLocalExecution({
        home: getHome(),
        execution,
        ...(opts.realTime ? {} : { fast: true }),
        log: (line) => process.stderr.write(line + '\n'),
      });
      const output = r.execution.output;
      const summary = output && typeof output === 'object' && !Array.isArray(output) ? output : undefined;
      process.stdout.write(formatSummary({ execution: r.execution, summary, elapsedMs: r.elapsedMs }).replace(/^\nPipeline/, '\nExecution') + '\n');
      if (opts.json) process.stdout.write(JSON.stringify(output ?? null, null, 2) + '\n');
      process.exitCode = r.execution.status === 'SUCCEEDED' ? 0 : 1;
    });
}
