import type { Command } from 'commander';
import { UserError } from '../../core/errors.js';
import type { JsonObject } from '../../core/json.js';
import { STAGES, type StageName } from '../../config/index.js';
import { stageJobs, stageReports, type ApprovalSummary, type StageReport } from '../../definition/index.js';
import { runPipeline, type PipelineRunResult } from '../../engine/pipeline-run.js';
import { formatDuration } from '../../engine/progress.js';
import { homeSizeNotice } from '../../engine/home-size.js';
import { readableCause } from '../../lambda/index.js';

interface RunOptions {
  realTime?: boolean;
  rows?: string;
  json?: boolean;
  cache?: boolean;
  from?: string;
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
    .option('--json', 'print the run summary as one JSON document on standard output, with `stages` listing each job stage as ran, reused, skipped or failed and why (the human summary goes to standard error)')
    .option('--no-cache', 'run every job stage, reusing none from earlier runs (their entries are still recorded for later runs)')
    .option(
      '--from <stage>',
      `run from this stage on (${STAGES.join(', ')}): earlier job stages reuse their latest successful outputs even when their code or inputs changed (a warning says what differs)`,
    )
    .addHelpText('after', '\nExit codes: 0 the pipeline succeeded, 1 it failed, 2 bad input (YAML, flags, missing files).')
    .action(async (pipeline: string, opts: RunOptions) => {
      const rows = opts.rows === undefined ? undefined : Number(opts.rows);
      if (rows !== undefined && (!Number.isInteger(rows) || rows < 100)) throw new UserError(`--rows must be a whole number of at least 100, not ${JSON.stringify(opts.rows)}`);
      if (opts.from !== undefined && !STAGES.includes(opts.from as StageName)) {
        throw new UserError(`--from must name a stage (${STAGES.join(', ')}), not ${JSON.stringify(opts.from)}`);
      }
      const result = await runPipeline({
        pipeline,
        home: getHome(),
        ...(opts.cache === false ? { noCache: true } : {}),
        ...(opts.from !== undefined ? { from: opts.from as StageName } : {}),
        ...(opts.realTime ? {} : { fast: true }),
        ...(rows !== undefined ? { dataRows: rows } : {}),
        log: (line) => process.stderr.write(line + '\n'),
      });
      // With --json, standard output carries the one JSON document and nothing else, so it can be piped
      // into `jq` or parsed whole; the summary a person reads goes to standard error beside the progress.
      if (opts.json) {
        process.stderr.write(formatSummary(result) + '\n');
        process.stdout.write(JSON.stringify(runJson(result), null, 2) + '\n');
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
  lines.push(...stageLines(stageReports(e.input, e.history ?? [])));
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

/**
 * `run --json`: the run summary with `stages` as a list — each job stage ran, reused, skipped or
 * failed, why, and its job — and for a run that failed, its error and cause instead of the rest.
 */
export function runJson(r: SummaryInput): JsonObject {
  const e = r.execution;
  const stages = stageReports(e.input, e.history ?? []).map(({ key: _key, parts: _parts, ...rest }) => rest) as unknown as JsonObject[];
  if (e.status !== 'SUCCEEDED' || !r.summary) {
    return { executionName: e.name, status: e.status, error: e.error ?? null, cause: e.cause !== undefined ? readableCause(e.cause) : null, stages };
  }
  return { ...(r.summary as unknown as JsonObject), status: e.status, stages };
}

/** One line per job stage: "evaluation  ran: code changed: evaluation.py", "training  reused (from <execution>)". */
function stageLines(reports: readonly StageReport[]): string[] {
  const shown = reports.filter((s) => s.status !== 'skipped' || s.reason !== 'not in the pipeline');
  if (shown.length === 0) return [];
  const width = Math.max(...shown.map((s) => s.name.length));
  const lines = ['  stages:'];
  for (const s of shown) {
    const what = s.status === 'reused' ? s.reason : `${s.status}: ${s.reason}`;
    lines.push(`    ${s.name.padEnd(width)}  ${what}${s.job && s.status !== 'reused' ? ` (job ${s.job})` : ''}`);
    if (s.warning) lines.push(`    ${' '.repeat(width)}  warning: ${s.warning}`);
  }
  return lines;
}
