/** `mlops-sfn why <execution> <stage>`: why a job stage ran or was reused — its cache key's parts and what changed. */
import type { Command } from 'commander';
import { formatWhy, whyStage } from '../../engine/why-stage.js';

export function registerWhyCommand(program: Command, getHome: () => string): void {
  program
    .command('why')
    .description("Say why a job stage of a local execution ran or was reused: its cache key's parts and how they differ from the nearest earlier cache entry")
    .argument('<execution>', 'the execution name or ARN (see `mlops-sfn executions list`)')
    .argument('<stage>', 'the job stage: preprocessing, training, evaluation or batchTransform')
    .option('--json', 'print the report as JSON')
    .addHelpText('after', '\nExit codes: 0 done, 2 bad input (unknown execution or stage).')
    .action(async (execution: string, stage: string, opts: { json?: boolean }) => {
      const r = await whyStage(getHome(), execution, stage);
      process.stdout.write((opts.json ? JSON.stringify(r, null, 2) : formatWhy(r)) + '\n');
    });
}
