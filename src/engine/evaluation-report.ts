/**
 * Which metrics a pipeline's evaluation step writes, as far as the home can tell: the report of its
 * newest completed evaluation job, when that report was written after the pipeline's scripts last
 * changed (so it came from the evaluation script as it is now; the S3 store's LastModified is wall
 * time, unlike a job record's times, which follow the run's virtual clock). `validate` checks approval rules
 * against these names; with no such report (no run yet, the script changed since, another home) it
 * cannot know, and checks nothing.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { metricsOfReport, type EvaluationMetrics, type EvaluationMetricsLookup, type PipelineConfig } from '../config/index.js';
import { isJsonObject, type JsonObject } from '../core/json.js';
import { parseS3Uri, s3StoreForHome } from '../emulators/s3/index.js';
import { Store, STATE_DB_FILE } from '../store/index.js';

/** A report larger than this is not an evaluation report (the state machine reads at most 256 KiB). */
const MAX_REPORT_BYTES = 1024 * 1024;

export function evaluationMetricsInHome(home: string): EvaluationMetricsLookup {
  return async (config, scriptsChangedAt) => {
    if (!existsSync(join(home, STATE_DB_FILE))) return undefined;
    const job = newestEvaluationJob(home, config);
    if (job === undefined) return undefined;
    const uri = reportUri(job.record, config);
    if (uri === undefined) return undefined;
    return readReport(home, uri, job.name, scriptsChangedAt);
  };
}

function newestEvaluationJob(home: string, config: PipelineConfig): { name: string; createdAt: number; record: JsonObject } | undefined {
  const store = Store.open(home);
  try {
    // The generated pipeline names them evaluation-<job_prefix>-<model_id>-<epoch seconds>[-d<redrive>].
    const prefix = `evaluation-${config.job_prefix}-${config.model_id}-`.toLowerCase();
    const rows = store.resources.list('processing-job').filter((r) => r.name.toLowerCase().startsWith(prefix) && r.status === 'Completed');
    const newest = rows.reduce<(typeof rows)[number] | undefined>((best, r) => (best === undefined || r.createdAt > best.createdAt ? r : best), undefined);
    // A job's record holds its DescribeProcessingJob answer under Description.
    const description = newest?.record['Description'];
    return newest && isJsonObject(description) ? { name: newest.name, createdAt: newest.createdAt, record: description } : undefined;
  } finally {
    store.close();
  }
}

/** The metrics file the state machine reads (METRICS_URI in definition/render-pipeline.ts). */
function reportUri(record: JsonObject, config: PipelineConfig): string | undefined {
  const cfg = record['ProcessingOutputConfig'];
  const outputs = isJsonObject(cfg) && Array.isArray(cfg['Outputs']) ? cfg['Outputs'].filter(isJsonObject) : [];
  const output = outputs.find((o) => o['OutputName'] === config.approval.metrics_output) ?? outputs[0];
  const s3 = output?.['S3Output'];
  const base = isJsonObject(s3) ? s3['S3Uri'] : undefined;
  if (typeof base !== 'string') return undefined;
  return (base.endsWith('/') ? base : base + '/') + config.approval.metrics_file;
}

async function readReport(home: string, uri: string, jobName: string, scriptsChangedAt: number): Promise<EvaluationMetrics | undefined> {
  try {
    const at = parseS3Uri(uri);
    const s3 = s3StoreForHome(home);
    const head = await s3.headObject({ Bucket: at.bucket, Key: at.key });
    if (head.ContentLength > MAX_REPORT_BYTES || head.LastModified.getTime() < scriptsChangedAt) return undefined;
    const body = (await s3.getObject({ Bucket: at.bucket, Key: at.key })).Body;
    const names = Object.keys(metricsOfReport(JSON.parse(body.toString('utf8'))));
    return names.length > 0 ? { names, source: `${uri} (evaluation job ${jobName})` } : undefined;
  } catch {
    // Gone (removed by gc or by hand) or not JSON: nothing can be known from it.
    return undefined;
  }
}
