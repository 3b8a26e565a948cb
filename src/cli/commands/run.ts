import type { Command } from 'commander';
import { UserError } from '../../core/errors.js';
import { stageJobs, type ApprovalSummary } from '../../definition/index.js';
import { runPipeline, type PipelineRunResult } from '../../engine/pipeline-run.js';
import { formatDuration } from '../../engine/progress.js';
import { homeSizeNotice } from '../../engine/home-size.js';
import { readableCause } from '../../lambda/index.js';

interface RunOptions {
  realTime?: boolean;
  rows?: string;
  json?: boolean;
}

/** `mlops-sfn run <pipeline dir or yaml>`: the whole pipeline, locally, with live progress. */
export function registerRunCommand(program: Command, getHome: () => string): void {
  program
    .command('run')
    .description('Run the whole pipeline locally: upload scripts and data to the local S3, trigger, and run every stage')
    .argument('<pipeline>', 'the pipeline folder (with pipeline.yaml or input.yaml) or the YAML file')
    .option(
      '--real-time',
      'wait out Wait states in real time (by default they take virtual time, which stands still while jobs and endpoints do real work)',
    )
    .option('--rows <n>', "rows for the pipeline's data generator (generate_data.py), e.g. a quick small run")
    .option('--json', 'print the execution output as one JSON document on standard output (the human summary goes to standard error)')
    .addHelpText('after', '\nExit codes: 0 the pipeline succeeded, 1 it failed, 2 bad input (YAML, flags, missing files).')
    .action(async (pipeline: string, opts: RunOptions) => {
      const rows = opts.rows === undefined ? undefined : Number(opts.rows);
      if (rows !== undefined && (!Number.isInteger(rows) || rows < 100)) throw new UserError(`--rows must be a whole number of at least 100, not ${JSON.stringify(opts.rows)}`);
      const result = await runPipeline({
        pipeline,
        home: getHome(),
        ...(opts.realTime ? {} : { fast: true }),
        ...(rows !== undefined ? { dataRows: rows } : {}),
        log: (line) => process.stderr.write(line + '\n'),
      });
      // With --json, standard output carries the one JSON document and nothing else, so it can be piped
      // into `jq` or parsed whole; the summary a person reads goes to standard error beside the progress.
      if (opts.json) {
        process.stderr.write(formatSummary(result) + '\n');
        // The run summary (the execution output of a run that succeeded), or null.
        process.stdout.write(JSON.stringify(result.summary ?? null, null, 2) + '\n');
      } else {
        process.stdout.write(formatSummary(result) + '\n');
      }
      // A home grows with every run: past a threshold, say so and name gc (measured cheaply, see home-size.ts).
      for (const line of homeSizeNotice(getHome())) process.stderr.write(line + '\n');
      process.exitCode = result.execution.status === 'SUCCEEDED' ? 0 : 1;
    });
}

/** What the end-of-run summary is made from: `run`'s result, or a resumed execution's. */
export type SummaryInput = Pick<PipelineRunResult, 'execution' | 'summary' | 'elapsedMs' | 'samplePrediction' | 'failedJob'>;

/** The end-of-run summary a person reads: outcome, metrics, approval, model, endpoint, batch output. */
export function formatSummary(r: SummaryInput): string {
  const e = r.execution;
  const lines = [`\n${e.status === 'SUCCEEDED' ? 'Pipeline succeeded' : `Pipeline ${e.status}`} in ${formatDuration(r.elapsedMs)} (execution ${e.name})`];
  if (e.status !== 'SUCCEEDED') {
    lines.push(`  error: ${e.error ?? '(none)'}`, `  cause: ${e.cause !== undefined ? readableCause(e.cause) : '(none)'}`);
    if (r.failedJob) lines.push(`  failed job: ${r.failedJob.name}: ${r.failedJob.cause ?? `see mlops-sfn logs ${r.failedJob.name}`}`);
    return lines.join('\n');
  }
  const s = r.summary;
  if (!s) return lines.join('\n');
  const jobs = stageJobs(s);
  if (jobs.length > 0) lines.push(`  jobs:     ${jobs.map(({ stage, job }) => `${stage} ${job}`).join(', ')}  (their logs: mlops-sfn logs <job>)`);
  const metrics = Object.entries(s.metrics);
  if (metrics.length) lines.push(`  metrics:  ${metrics.map(([k, v]) => `${k}=${fmt(v)}`).join('  ')}`);
  if (s.approval) lines.push(...approvalLines(s.approval));
  if (s.model.modelPackageArn) lines.push(`  model version: ${s.model.modelPackageArn}`);
  if (s.model.modelDataUrl) lines.push(`  model artifact: ${s.model.modelDataUrl}`);
  if (s.endpoint) lines.push(`  endpoint: ${s.endpoint.EndpointName}${s.endpoint.EndpointStatus ? ` (${s.endpoint.EndpointStatus})` : ''}`);
  if (s.endpoint?.DataCaptureUri) lines.push(`  data capture: ${s.endpoint.DataCaptureUri}yyyy/mm/dd/hh/*.jsonl`);
  if (r.samplePrediction) {
    const row = r.samplePrediction.input.length > 60 ? `${r.samplePrediction.input.slice(0, 57)}...` : r.samplePrediction.input;
    lines.push(
      `  sample prediction: ${r.samplePrediction.output}`,
      `    (what the endpoint answered for the first row of the batch transform input, sent as text/csv: ${row}; try your own with mlops-sfn invoke)`,
    );
  }
  if (s.batchOutput) lines.push(`  batch output: ${s.batchOutput}`);
  return lines.join('\n');
}

/**
 * The approval decision: what was decided and why, and for a person's decision who decided, when,
 * and their comment (as `approve --comment` recorded them).
 */
function approvalLines(approval: ApprovalSummary): string[] {
  const lines = [`  approval: ${approval.decision}${approval.reason ? ` (${approval.reason})` : ''}`];
  const by = approval.decidedBy;
  if (!['rules', 'timeout', 'manual'].includes(by)) {
    const at = approval.decidedAt ? ` at ${approval.decidedAt}` : '';
    const comment = approval.comment ? `, comment: ${JSON.stringify(approval.comment)}` : '';
    lines.push(`    decided by ${by}${at}${comment}`);
  }
  return lines;
}

function fmt(v: number): string {
  return Number.isInteger(v) ? String(v) : v.toFixed(4);
}
