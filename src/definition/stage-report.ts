/**
 * What happened to each job stage of a pipeline execution, read from its history: reused (from
 * which execution), ran (and why: what changed since the nearest cached run), skipped (its run
 * flag is off, or the run ended before it), or failed (and why). `run` prints it and puts it in
 * `--json` as `stages`; `why` reads the cache check's key parts from the same events. It works on
 * any history of the generated definition, so on a failed run too (which has no output).
 */
import { isJsonObject, type Json, type JsonObject } from '../core/json.js';
import type { HistoryEvent } from '../asl/history.js';
import { cacheCheckStateName } from './job-stage.js';
import { STATE } from './state-names.js';

export type StageStatus = 'ran' | 'reused' | 'skipped' | 'failed';

export interface StageReport {
  /** The pipeline section: preprocessing, training, evaluation, batchTransform. */
  name: string;
  status: StageStatus;
  /** Why: "reused (from <execution>)", what changed, "run: false", the failure reason. */
  reason: string;
  /** The SageMaker job that made the stage's outputs (a reused stage's: the earlier run's job). */
  job?: string;
  /** A reused stage: the execution whose job it reuses. */
  reusedFrom?: string;
  /** `run --from` reused an output whose key changed: what differs. */
  warning?: string;
  /** The cache key and its parts, as the cache check computed them (for `why`). */
  key?: string;
  parts?: JsonObject[];
}

/** The job stages: pipeline section → Task state, in the order they run. */
export const JOB_STAGES: readonly { name: string; state: string }[] = [
  { name: 'preprocessing', state: STATE.preprocessing },
  { name: 'training', state: STATE.training },
  { name: 'evaluation', state: STATE.evaluation },
  { name: 'batchTransform', state: STATE.batchTransform },
];

const JOB_NAME_FIELDS = ['ProcessingJobName', 'TrainingJobName', 'TransformJobName'];

/** Each job stage's outcome in an execution of the pipeline's state machine. */
export function stageReports(input: Json, history: readonly HistoryEvent[]): StageReport[] {
  const byState = eventsByState(history);
  return JOB_STAGES.map(({ name, state }) => {
    const section = isJsonObject(input) ? input[name] : undefined;
    if (!isJsonObject(section) || section['run'] !== true) return { name, status: 'skipped', reason: section === undefined ? 'not in the pipeline' : 'run: false' };
    const check = lastOutput(byState.get(cacheCheckStateName(state)), 'TaskSucceeded');
    const cache = isJsonObject(check) && isJsonObject(check['Payload']) ? check['Payload'] : undefined;
    const keyed: Partial<StageReport> = {
      ...(typeof cache?.['key'] === 'string' ? { key: cache['key'] } : {}),
      ...(Array.isArray(cache?.['parts']) ? { parts: (cache['parts'] as Json[]).filter(isJsonObject) } : {}),
      ...(typeof cache?.['warning'] === 'string' ? { warning: cache['warning'] } : {}),
    };
    const reason = typeof cache?.['reason'] === 'string' ? cache['reason'] : undefined;
    if (cache?.['hit'] === true) {
      const source = isJsonObject(cache['source']) ? cache['source'] : {};
      return {
        name,
        status: 'reused',
        reason: reason ?? 'reused',
        ...(typeof source['jobName'] === 'string' ? { job: source['jobName'] } : {}),
        ...(typeof source['execution'] === 'string' ? { reusedFrom: source['execution'] } : {}),
        ...keyed,
      };
    }
    const events = byState.get(state) ?? [];
    const done = lastOutput(events, 'TaskSucceeded');
    if (done !== undefined) return { name, status: 'ran', reason: reason ?? 'the cache was not asked', ...jobOf(done), ...keyed };
    const failure = lastFailure(events);
    if (failure) return { name, status: 'failed', reason: failure.reason, ...(failure.job ? { job: failure.job } : {}), ...keyed };
    return { name, status: 'skipped', reason: 'the run ended before this stage', ...keyed };
  });
}

/** The events of each state's visits, by state name (the top level runs one state at a time). */
function eventsByState(history: readonly HistoryEvent[]): Map<string, HistoryEvent[]> {
  const out = new Map<string, HistoryEvent[]>();
  let current: HistoryEvent[] | undefined;
  for (const e of history) {
    const entered = e['stateEnteredEventDetails'] as { name?: unknown } | undefined;
    if (typeof entered?.name === 'string') {
      current = out.get(entered.name) ?? [];
      out.set(entered.name, current);
    }
    current?.push(e);
  }
  return out;
}

function lastOutput(events: readonly HistoryEvent[] | undefined, type: string): Json | undefined {
  const e = [...(events ?? [])].reverse().find((x) => x.type === type);
  const d = e?.['taskSucceededEventDetails'] as { output?: unknown } | undefined;
  if (typeof d?.output !== 'string') return undefined;
  try {
    return JSON.parse(d.output) as Json;
  } catch {
    return undefined;
  }
}

function jobOf(result: Json): { job?: string } {
  if (!isJsonObject(result)) return {};
  for (const f of JOB_NAME_FIELDS) if (typeof result[f] === 'string') return { job: result[f] };
  return {};
}

/** The failure that ended a state's last attempt: SageMaker's FailureReason when the cause is a job description. */
function lastFailure(events: readonly HistoryEvent[]): { reason: string; job?: string } | undefined {
  const e = [...events].reverse().find((x) => /^Task(Failed|TimedOut|StartFailed|SubmitFailed)$/.test(x.type));
  if (!e) return undefined;
  const d = Object.entries(e).find(([k]) => k.endsWith('EventDetails'))?.[1] as { error?: unknown; cause?: unknown } | undefined;
  const error = typeof d?.error === 'string' ? d.error : e.type;
  const cause = typeof d?.cause === 'string' ? d.cause : '';
  try {
    const parsed = JSON.parse(cause) as Json;
    if (isJsonObject(parsed) && typeof parsed['FailureReason'] === 'string') return { reason: `${error}: ${parsed['FailureReason']}`, ...jobOf(parsed) };
  } catch {
    /* a plain-text cause */
  }
  return { reason: cause ? `${error}: ${cause}` : error };
}
