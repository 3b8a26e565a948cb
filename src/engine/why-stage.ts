/**
 * `mlops-sfn why <execution> <stage>`: the cache key of a job stage in a local execution — its
 * parts as the cache check computed them (recorded in the execution's history) — and how it differs
 * from the nearest earlier entry in the cache (the one that differs in the fewest parts, among those
 * made before this execution started).
 */
import { UserError } from '../core/errors.js';
import { isJsonObject, type Json } from '../core/json.js';
import type { HistoryEvent } from '../asl/history.js';
import { JOB_STAGES, stageReports, type StageReport } from '../definition/index.js';
import { s3StoreForHome } from '../emulators/s3/index.js';
import { cacheLocation, differences, nearestEntry, recentEntries, type KeyPart } from '../lambda/index.js';
import { Store } from '../store/index.js';
import { localCacheStorage } from './local-cache-storage.js';
import { LOCAL_BUCKET } from './pipeline-functions.js';

export interface WhyReport {
  execution: string;
  stage: StageReport;
  parts: KeyPart[];
  /** The nearest earlier entry, and what differs from it to this key (empty: the same key). */
  nearest?: { execution: string; createdAt: string; key: string; differences: string[] };
}

/** How many of a stage's entries are compared (the most recent). */
const CANDIDATES = 200;

export async function whyStage(home: string, ref: string, stageName: string): Promise<WhyReport> {
  const known = JOB_STAGES.map((s) => s.name);
  if (!known.includes(stageName)) throw new UserError(`${JSON.stringify(stageName)} is not a job stage (one of ${known.join(', ')})`);
  const { name, input, history, startDate } = readExecution(home, ref);
  const stage = stageReports(input, history).find((s) => s.name === stageName)!;
  const parts = (stage.parts ?? []) as unknown as KeyPart[];
  if (!stage.key) return { execution: name, stage, parts };
  const pipeline = isJsonObject(input) && typeof input['model_id'] === 'string' ? input['model_id'] : '';
  const s3 = s3StoreForHome(home);
  const earlier = (await recentEntries(localCacheStorage(s3), cacheLocation(LOCAL_BUCKET, pipeline), stageName, CANDIDATES)).filter(
    (e) => e.execution !== name && Date.parse(e.createdAt) <= startDate,
  );
  const nearest = nearestEntry(earlier, parts);
  if (!nearest) return { execution: name, stage, parts };
  return { execution: name, stage, parts, nearest: { execution: nearest.execution, createdAt: nearest.createdAt, key: nearest.key, differences: differences(nearest.parts, parts) } };
}

function readExecution(home: string, ref: string): { name: string; input: Json; history: HistoryEvent[]; startDate: number } {
  const store = Store.open(home);
  try {
    let row = ref.startsWith('arn:') ? store.executions.get(ref) : undefined;
    if (!row && !ref.startsWith('arn:')) {
      const rows = store.executions.byName(ref);
      if (rows.length > 1) throw new UserError(`more than one execution is named ${ref}: give its ARN`);
      row = rows[0];
    }
    if (!row) throw new UserError(`no execution ${ref} in ${home} (list them with: mlops-sfn executions list)`);
    const history = store.executions.events(row.arn, { limit: 1_000_000 }) as unknown as HistoryEvent[];
    let input: Json = null;
    try {
      input = JSON.parse(row.input) as Json;
    } catch {
      /* not a pipeline execution */
    }
    return { name: row.name, input, history, startDate: row.startDate };
  } finally {
    store.close();
  }
}

/** The report as people read it. */
export function formatWhy(r: WhyReport): string {
  const s = r.stage;
  const lines = [`${s.name} in ${r.execution}: ${s.status === 'reused' ? s.reason : `${s.status}: ${s.reason}`}`];
  if (s.warning) lines.push(`warning: ${s.warning}`);
  if (r.parts.length === 0) {
    lines.push(s.status === 'skipped' ? 'no cache key: the stage did not run' : 'no cache key was recorded for this stage');
    return lines.join('\n');
  }
  lines.push(`key: ${s.key}`, 'parts:');
  const width = Math.max(...r.parts.map((p) => `${p.kind} ${p.name}`.length));
  for (const p of r.parts) lines.push(`  ${`${p.kind} ${p.name}`.padEnd(width)}  ${p.digest.slice(0, 12)}${p.detail ? `  ${p.detail}` : ''}`);
  if (!r.nearest) lines.push('no earlier entry of this stage to compare with');
  else if (r.nearest.differences.length === 0) lines.push(`the same key as the entry of ${r.nearest.execution} (${r.nearest.createdAt})`);
  else {
    lines.push(`differences from the nearest earlier entry, of ${r.nearest.execution} (${r.nearest.createdAt}):`);
    for (const d of r.nearest.differences) lines.push(`  ${d}`);
  }
  return lines.join('\n');
}
