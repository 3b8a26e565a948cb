/**
 * Where a deployed execution's manual approval stands, read from its history alone. In AWS nothing
 * else keeps the request: the RequestManualApproval task's TaskScheduled event carries the
 * parameters it sent, and so the Payload with the task token; the events chained after it
 * (TaskStarted, TaskSubmitted, then TaskSucceeded / TaskFailed / TaskTimedOut) say whether the
 * token was answered. Pure: it takes events in the GetExecutionHistory shape, in any order.
 */
import type { HistoryEvent } from '../asl/history.js';
import type { Json, JsonObject } from '../core/json.js';
import { isJsonObject } from '../core/json.js';

interface Common {
  /** The Task state that asked (RequestManualApproval in the pipeline). */
  stateName?: string;
  scheduledEventId: number;
  scheduledAt: number;
  /** The Payload the state sent: executionName, metrics, modelPackageArn, timeoutSeconds, ... */
  request?: JsonObject;
}

export type ApprovalState =
  | (Common & { state: 'waiting'; taskToken: string; timeoutSeconds?: number })
  | (Common & { state: 'decided'; at: number; output?: Json })
  | (Common & { state: 'timedOut'; at: number })
  | (Common & { state: 'failed'; at: number; error?: string; cause?: string })
  | { state: 'none' };

const CLOSING = new Set(['TaskSucceeded', 'TaskFailed', 'TaskTimedOut', 'TaskAborted']);
/** Events that may sit between a TaskScheduled and the event that closes it. */
const BETWEEN = new Set(['TaskStarted', 'TaskSubmitted', 'TaskStartFailed', 'TaskSubmitFailed']);

function details(e: HistoryEvent, key: string): Record<string, unknown> {
  const d = e[key];
  return d !== null && typeof d === 'object' ? (d as Record<string, unknown>) : {};
}

function parseJson(text: unknown): Json | undefined {
  if (typeof text !== 'string') return undefined;
  try {
    return JSON.parse(text) as Json;
  } catch {
    return undefined;
  }
}

/** The task token a callback task sent: `taskToken`/`TaskToken` in its parameters, at any depth up to 4. */
export function taskTokenIn(parameters: Json | undefined, depth = 0): { token: string; holder: JsonObject } | undefined {
  if (!isJsonObject(parameters) || depth > 4) return undefined;
  for (const key of ['taskToken', 'TaskToken', 'task_token']) {
    const v = parameters[key];
    if (typeof v === 'string' && v !== '') return { token: v, holder: parameters };
  }
  for (const v of Object.values(parameters)) {
    // A token inside a JSON string (an SQS MessageBody, a Lambda Payload given as text) counts too.
    const inner = typeof v === 'string' && v.startsWith('{') ? parseJson(v) : v;
    const found = taskTokenIn(inner, depth + 1);
    if (found) return found;
  }
  return undefined;
}

/** The callback task most recently scheduled, and whether its token has been answered. */
export function approvalState(events: readonly HistoryEvent[]): ApprovalState {
  const byId = new Map(events.map((e) => [e.id, e]));
  const newestFirst = [...events].sort((a, b) => b.id - a.id);
  const scheduled = newestFirst.find((e) => {
    if (e.type !== 'TaskScheduled') return false;
    const d = details(e, 'taskScheduledEventDetails');
    return typeof d['resource'] === 'string' && d['resource'].endsWith('.waitForTaskToken') && taskTokenIn(parseJson(d['parameters'])) !== undefined;
  });
  if (!scheduled) return { state: 'none' };

  const d = details(scheduled, 'taskScheduledEventDetails');
  const found = taskTokenIn(parseJson(d['parameters']))!;
  const entered = byId.get(scheduled.previousEventId);
  const stateName = entered ? (details(entered, 'stateEnteredEventDetails')['name'] as string | undefined) : undefined;
  const common: Common = {
    ...(typeof stateName === 'string' ? { stateName } : {}),
    scheduledEventId: scheduled.id,
    scheduledAt: scheduled.timestamp,
    request: found.holder,
  };

  const closing = newestFirst.find((e) => CLOSING.has(e.type) && e.id > scheduled.id && chainsTo(e, scheduled.id, byId));
  if (!closing) {
    const timeout = d['timeoutInSeconds'];
    return { ...common, state: 'waiting', taskToken: found.token, ...(typeof timeout === 'number' ? { timeoutSeconds: timeout } : {}) };
  }
  if (closing.type === 'TaskSucceeded') {
    const output = parseJson(details(closing, 'taskSucceededEventDetails')['output']);
    return { ...common, state: 'decided', at: closing.timestamp, ...(output !== undefined ? { output } : {}) };
  }
  if (closing.type === 'TaskTimedOut') return { ...common, state: 'timedOut', at: closing.timestamp };
  const f = details(closing, closing.type === 'TaskFailed' ? 'taskFailedEventDetails' : 'taskAbortedEventDetails');
  return {
    ...common,
    state: 'failed',
    at: closing.timestamp,
    ...(typeof f['error'] === 'string' ? { error: f['error'] } : {}),
    ...(typeof f['cause'] === 'string' ? { cause: f['cause'] } : {}),
  };
}

/** Whether `e` closes the task scheduled as `scheduledId`: its previousEventId chain reaches it. */
function chainsTo(e: HistoryEvent, scheduledId: number, byId: Map<number, HistoryEvent>): boolean {
  let prev = e.previousEventId;
  for (let hops = 0; hops < 4; hops++) {
    if (prev === scheduledId) return true;
    const p = byId.get(prev);
    if (!p || !BETWEEN.has(p.type)) return false;
    prev = p.previousEventId;
  }
  return false;
}

/** "Approved by alice: looks good", from the task output `approvalDecision` builds. */
export function describeDecision(output: Json | undefined): string {
  if (!isJsonObject(output)) return 'answered';
  const decision = typeof output['decision'] === 'string' ? output['decision'].toLowerCase() : 'answered';
  const by = typeof output['approver'] === 'string' ? ` by ${output['approver']}` : '';
  const at = typeof output['decidedAt'] === 'string' ? ` at ${output['decidedAt']}` : '';
  const comment = typeof output['comment'] === 'string' && output['comment'] !== '' ? `: ${output['comment']}` : '';
  return `${decision}${by}${at}${comment}`;
}
