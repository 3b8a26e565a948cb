import { readFileSync, readdirSync, statSync } from 'node:fs';
import { basename, join, relative } from 'node:path';
import { VirtualClock } from '../core/clock.js';
import type { Json } from '../core/json.js';
import { runExecution } from '../asl/execution.js';
import type { HistoryEvent } from '../asl/history.js';
import { loadStateMachine } from '../asl/machine.js';
import { IntegrationRegistry } from '../integrations/registry.js';
import { LambdaIntegration } from '../integrations/lambda.js';
import { recordedFunctions } from './recorded-lambdas.js';
import { angleTokens, Wildcards } from './wildcard.js';

/** One recorded case, in the format of the conformance folder's README. */
export interface RecordedCase {
  name: string;
  definition: unknown;
  input: Json;
  expected: {
    status: string;
    output?: Json;
    error?: string | null;
    cause?: unknown;
    history?: Record<string, unknown>[];
  };
  stateMachineType?: 'STANDARD' | 'EXPRESS';
  placeholders?: string[];
  lambdas?: Record<string, { handler: string }>;
}

export interface CaseResult {
  file: string;
  group: string;
  outcome: { ok: boolean; reason?: string };
  /** undefined when the case records no history. */
  history?: { ok: boolean; reason?: string };
}

/** Every case file under a folder (index.json and non-case JSON are skipped). */
export function findCases(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const name of readdirSync(d).sort()) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else if (name.endsWith('.json') && name !== 'index.json') out.push(p);
    }
  };
  walk(dir);
  return out;
}

/** Masks the recorder always applies, beyond each case's own placeholder list. */
const ALWAYS_MASKED = ['snf_role_arn'];
/** Bare-word masks the conformance README documents; in histories they are not always listed. */
const DOCUMENTED_HISTORY_MASKS = ['date', 'start-time', 'entered-time', 'RandomNumberGenerated', 'generated-uuid'];

export async function runCase(file: string, root: string, timeoutMs = 20_000): Promise<CaseResult> {
  const rel = relative(root, file);
  const group = rel.includes('/') ? rel.split('/')[0]! : basename(root);
  let c: RecordedCase;
  try {
    c = JSON.parse(readFileSync(file, 'utf8')) as RecordedCase;
  } catch (e) {
    return { file: rel, group, outcome: { ok: false, reason: `unreadable case: ${(e as Error).message}` } };
  }
  if (!c.expected || !c.definition) return { file: rel, group, outcome: { ok: false, reason: 'not a case file' } };
  const w = new Wildcards([...(c.placeholders ?? []), ...ALWAYS_MASKED]);
  const clock = new VirtualClock(Date.parse('2024-06-01T00:00:00Z'));
  const { functions, unknown } = recordedFunctions(c.lambdas, clock);
  if (unknown.length) return { file: rel, group, outcome: { ok: false, reason: `no local handler for ${unknown.join(', ')}` } };
  const tasks = new IntegrationRegistry().add(new LambdaIntegration(functions));

  let result;
  try {
    const machine = loadStateMachine(c.definition);
    const timer = new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`did not finish within ${timeoutMs} ms`)), timeoutMs).unref());
    result = await Promise.race([
      runExecution(machine, c.input, {
        tasks,
        clock,
        type: c.stateMachineType ?? 'STANDARD',
        // The recorder ran EXPRESS cases with StartSyncExecution (it reads their outcome from it).
        sync: c.stateMachineType === 'EXPRESS',
        stateMachineName: 'conformance',
        name: 'case',
      }),
      timer,
    ]);
  } catch (e) {
    return { file: rel, group, outcome: { ok: false, reason: `did not run: ${(e as Error).message}` }, ...(c.expected.history ? { history: { ok: false, reason: 'did not run' } } : {}) };
  }

  const outcome = compareOutcome(c, result, w);
  const res: CaseResult = { file: rel, group, outcome };
  if (c.expected.history && c.stateMachineType !== 'EXPRESS') {
    res.history = compareHistory(c.expected.history, result.history, w.with([...historyInputMasks(c), ...angleTokens(c.expected.history), ...DOCUMENTED_HISTORY_MASKS]));
  }
  return res;
}

function compareOutcome(
  c: RecordedCase,
  r: { status: string; output?: Json; error?: string; cause?: string },
  w: Wildcards,
): { ok: boolean; reason?: string } {
  const e = c.expected;
  if (e.status !== r.status) {
    const got = r.status === 'FAILED' ? `FAILED ${r.error}: ${r.cause}` : `${r.status} ${JSON.stringify(r.output)}`;
    return { ok: false, reason: `status: expected ${e.status}, got ${got.slice(0, 300)}` };
  }
  if (e.status === 'SUCCEEDED') {
    const d = w.diff(e.output, r.output, 'output');
    return d ? { ok: false, reason: d } : { ok: true };
  }
  const expectedError = e.error ?? undefined;
  if (expectedError !== r.error && !(typeof expectedError === 'string' && typeof r.error === 'string' && w.stringMatches(expectedError, r.error))) {
    return { ok: false, reason: `error: expected ${JSON.stringify(expectedError)}, got ${JSON.stringify(r.error)} (cause ${JSON.stringify(r.cause)?.slice(0, 200)})` };
  }
  if ('cause' in e) {
    const d = compareCause(e.cause, r.cause, w);
    if (d) return { ok: false, reason: d };
  } else if (r.cause !== undefined) {
    return { ok: false, reason: `cause: expected none, got ${JSON.stringify(r.cause).slice(0, 200)}` };
  }
  return { ok: true };
}

/** A cause recorded as an object was a JSON string (a Lambda error payload): compare parsed. */
function compareCause(expected: unknown, actual: string | undefined, w: Wildcards): string | undefined {
  if (typeof expected === 'object' && expected !== null) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(actual ?? '');
    } catch {
      return `cause: expected a JSON payload, got ${JSON.stringify(actual)?.slice(0, 200)}`;
    }
    return w.diff(expected, parsed, 'cause');
  }
  if (expected === null || expected === undefined) return actual === undefined ? undefined : `cause: expected none, got ${JSON.stringify(actual)}`;
  return w.diff(expected, actual, 'cause');
}

/**
 * The recorder restored masked values in a case's input but not in its history: any string of the
 * recorded ExecutionStarted input that differs from the case input at the same place is a mask.
 */
function historyInputMasks(c: RecordedCase): string[] {
  const started = c.expected.history?.[0]?.['executionStartedEventDetails'] as { input?: unknown } | undefined;
  const masks: string[] = [];
  const walk = (recorded: unknown, real: unknown) => {
    if (typeof recorded === 'string') {
      if (recorded !== real) masks.push(recorded);
    } else if (Array.isArray(recorded) && Array.isArray(real)) {
      recorded.forEach((v, i) => walk(v, real[i]));
    } else if (recorded && typeof recorded === 'object' && real && typeof real === 'object') {
      for (const [k, v] of Object.entries(recorded)) walk(v, (real as Record<string, unknown>)[k]);
    }
  };
  walk(started?.input, c.input);
  return masks;
}

/** Fields of an event's details that AWS returns as JSON strings; the recorder parsed them. */
const JSON_STRING_FIELDS = new Set(['input', 'output', 'parameters']);

function compareHistory(expected: Record<string, unknown>[], actual: HistoryEvent[], w: Wildcards): { ok: boolean; reason?: string } {
  const n = Math.max(expected.length, actual.length);
  for (let i = 0; i < n; i++) {
    const e = expected[i];
    const a = actual[i];
    if (!e) return { ok: false, reason: `history: unexpected extra event #${i + 1} ${a!.type}` };
    if (!a) return { ok: false, reason: `history: missing event #${i + 1} ${String(e['type'])}` };
    if (e['type'] !== a.type) return { ok: false, reason: `history #${i + 1}: expected ${String(e['type'])}, got ${a.type}` };
    for (const k of ['id', 'previousEventId'] as const) {
      if (Array.isArray(e[k])) continue; // masked by the recorder
      if (e[k] !== a[k]) return { ok: false, reason: `history #${i + 1} ${a.type}: ${k} expected ${String(e[k])}, got ${a[k]}` };
    }
    const keys = new Set([...Object.keys(e), ...Object.keys(a)].filter((k) => !['id', 'previousEventId', 'type', 'timestamp'].includes(k)));
    for (const k of keys) {
      const d = w.diff(e[k], normaliseDetails(e[k], a[k]), `history #${i + 1} ${a.type}.${k}`);
      if (d) return { ok: false, reason: d };
    }
  }
  return { ok: true };
}

/** Parses our JSON-string fields where the recording holds parsed values, so both compare alike. */
function normaliseDetails(expected: unknown, actual: unknown): unknown {
  if (typeof actual !== 'object' || actual === null || typeof expected !== 'object' || expected === null) return actual;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(actual as Record<string, unknown>)) {
    const ev = (expected as Record<string, unknown>)[k];
    const parse = JSON_STRING_FIELDS.has(k) || (k === 'cause' && typeof ev !== 'string' && ev !== undefined);
    if (typeof v === 'string' && parse) {
      try {
        out[k] = JSON.parse(v);
        continue;
      } catch {
        /* keep the string */
      }
    }
    if (k === 'assignedVariables' && typeof v === 'object' && v !== null) {
      const vars: Record<string, unknown> = {};
      for (const [name, s] of Object.entries(v as Record<string, string>)) {
        const evv = (ev as Record<string, unknown> | undefined)?.[name];
        vars[name] = typeof evv === 'string' ? s : safeParse(s);
      }
      out[k] = vars;
      continue;
    }
    out[k] = v;
  }
  return out;
}

function safeParse(s: string): unknown {
  try {
    return JSON.parse(s);
  } catch {
    return s;
  }
}
