import type { Command } from 'commander';
import { UserError } from '../../core/errors.js';
import type { Json, JsonObject } from '../../core/json.js';
import { runPipeline, type PipelineRunResult } from '../../engine/pipeline-run.js';
import { formatDuration } from '../../engine/progress.js';

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
        process.stdout.write(JSON.stringify(result.execution.output ?? null, null, 2) + '\n');
      } else {
        process.stdout.write(formatSummary(result) + '\n');
      }
      process.exitCode = result.execution.status === 'SUCCEEDED' ? 0 : 1;
    });
}

/** The end-of-run summary a person reads: outcome, metrics, approval, model, endpoint, batch output. */
export function formatSummary(r: PipelineRunResult): string {
  const e = r.execution;
  const lines = [`\n${e.status === 'SUCCEEDED' ? 'Pipeline succeeded' : `Pipeline ${e.status}`} in ${formatDuration(r.elapsedMs)} (execution ${e.name})`];
  if (e.status !== 'SUCCEEDED') {
    lines.push(`  error: ${e.error ?? '(none)'}`, `  cause: ${e.cause ?? '(none)'}`);
    if (r.failedJob) lines.push(`  failed job: ${r.failedJob.name}: ${r.failedJob.cause ?? `see mlops-sfn logs ${r.failedJob.name}`}`);
    return lines.join('\n');
  }
  const s = r.summary ?? {};
  const jobs = jobNames(s['stages']);
  if (jobs.length > 0) lines.push(`  jobs:     ${jobs.map(([stage, job]) => `${stage} ${job}`).join(', ')}  (their logs: mlops-sfn logs <job>)`);
  const metrics = s['metrics'] as JsonObject | undefined;
  if (metrics && Object.keys(metrics).length) lines.push(`  metrics:  ${Object.entries(metrics).map(([k, v]) => `${k}=${fmt(v)}`).join('  ')}`);
  const approval = s['approval'] as JsonObject | null | undefined;
  if (approval) lines.push(...approvalLines(approval));
  const model = s['model'] as JsonObject | undefined;
  if (model?.['modelPackageArn']) lines.push(`  model version: ${fmt(model['modelPackageArn'])}`);
  if (model?.['modelDataUrl']) lines.push(`  model artifact: ${fmt(model['modelDataUrl'])}`);
  const endpoint = s['endpoint'] as JsonObject | null | undefined;
  if (endpoint) lines.push(`  endpoint: ${fmt(endpoint['EndpointName'] ?? endpoint['name'] ?? endpoint)}${endpoint['EndpointStatus'] ? ` (${fmt(endpoint['EndpointStatus'])})` : ''}`);
  if (r.samplePrediction) {
    const row = r.samplePrediction.input.length > 60 ? `${r.samplePrediction.input.slice(0, 57)}...` : r.samplePrediction.input;
    lines.push(
      `  sample prediction: ${r.samplePrediction.output}`,
      `    (what the endpoint answered for the first row of the batch transform input, sent as text/csv: ${row}; try your own with mlops-sfn invoke)`,
    );
  }
  if (s['batchOutput']) lines.push(`  batch output: ${fmt(s['batchOutput'])}`);
  return lines.join('\n');
}

/**
 * The approval decision: what was decided and why, and for a person's decision who decided, when,
 * and their comment (as `approve --comment` recorded them).
 */
function approvalLines(approval: JsonObject): string[] {
  const decision = fmt(approval['decision'] ?? approval['status'] ?? approval);
  const lines = [`  approval: ${decision}${approval['reason'] ? ` (${fmt(approval['reason'])})` : ''}`];
  const by = approval['decidedBy'];
  if (typeof by === 'string' && !['rules', 'timeout', 'manual'].includes(by)) {
    const at = typeof approval['decidedAt'] === 'string' ? ` at ${approval['decidedAt']}` : '';
    const comment = typeof approval['comment'] === 'string' && approval['comment'] !== '' ? `, comment: ${JSON.stringify(approval['comment'])}` : '';
    lines.push(`    decided by ${by}${at}${comment}`);
  }
  return lines;
}

/** Each stage's SageMaker job name, from the execution output's `stages`, for `mlops-sfn logs`. */
function jobNames(stages: Json | undefined): [string, string][] {
  if (stages === null || typeof stages !== 'object' || Array.isArray(stages)) return [];
  const out: [string, string][] = [];
  for (const [stage, v] of Object.entries(stages)) {
    if (v === null || typeof v !== 'object' || Array.isArray(v)) continue;
    const job = v['ProcessingJobName'] ?? v['TrainingJobName'] ?? v['TransformJobName'];
    if (typeof job === 'string') out.push([stage, job]);
  }
  return out;
}

function fmt(v: Json | undefined): string {
  if (typeof v === 'number') return Number.isInteger(v) ? String(v) : v.toFixed(4);
  if (typeof v === 'string') return v;
  return JSON.stringify(v);
}
