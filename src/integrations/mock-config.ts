/**
 * AWS Step Functions Local's mock configuration (`MockConfigFile.json`, chosen with `SFN_MOCK_CONFIG`):
 *
 *   { "StateMachines":   { <machine name>: { "TestCases": { <case>: { <state name>: <mocked response name> } } } },
 *     "MockedResponses": { <name>: { "0": {"Return": <any JSON>}, "1-2": {"Throw": {"Error": "...", "Cause": "..."}} } } }
 *
 * The keys of a mocked response number the invocations of the state that uses it, counted from 0
 * over the whole execution (a retry, a loop back to the state and each Map iteration are each one
 * more invocation), a single number or an inclusive range. This module reads and checks the file's
 * shape (pure: text in, typed config or one MockConfigError out); `checkTestCase` also checks a test
 * case against the definition it is started with (state names, Task states only).
 *
 * Stricter than Step Functions Local, which reports most mistakes only when an execution reaches
 * them: every problem here names the file, the place in the JSON and what to do, before anything runs.
 */
import { UserError } from '../core/errors.js';
import { isJsonObject, type Json, type JsonObject } from '../core/json.js';

export type MockedOutcome = { kind: 'return'; value: Json } | { kind: 'throw'; error: string; cause: string };

/** One key of a mocked response: the invocations `from`..`to` (inclusive) get `outcome`. */
export interface MockedRange {
  from: number;
  to: number;
  outcome: MockedOutcome;
}

export interface MockedResponse {
  name: string;
  /** Sorted, consecutive from 0, never overlapping. */
  ranges: MockedRange[];
}

export interface MockConfig {
  /** Where it was read from, for messages. */
  file: string;
  /** machine name → test case name → state name → mocked response name. */
  stateMachines: Map<string, Map<string, Map<string, string>>>;
  responses: Map<string, MockedResponse>;
}

/** A test case ready to run: each mocked state with its responses. */
export interface MockTestCase {
  file: string;
  stateMachine: string;
  name: string;
  states: Map<string, MockedResponse>;
}

/** A problem with the mock configuration (or its use): one line naming the file and the place. */
export class MockConfigError extends UserError {
  constructor(message: string) {
    super(message, 'INVALID_MOCK_CONFIG', 2);
    this.name = 'MockConfigError';
  }
}

/** The largest invocation number a range may name (ranges are kept as ranges, never expanded). */
const MAX_INVOCATION = 2 ** 31 - 1;
const TOP_LEVEL = ['StateMachines', 'MockedResponses'];

/** `a.b["1-2"].c`: where in the JSON a problem is. */
function at(path: readonly string[]): string {
  let out = '';
  for (const p of path) out += /^[A-Za-z_][A-Za-z0-9_]*$/.test(p) ? (out ? `.${p}` : p) : `[${JSON.stringify(p)}]`;
  return out || '(the top level)';
}

function objectAt(v: Json | undefined, file: string, path: string[], what: string): JsonObject {
  if (!isJsonObject(v)) throw new MockConfigError(`${file}: ${at(path)} must be an object (${what}), not ${describe(v)}`);
  return v;
}

function describe(v: Json | undefined): string {
  if (v === undefined) return 'missing';
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  return typeof v === 'object' ? 'an object' : `${typeof v} ${JSON.stringify(v).slice(0, 40)}`;
}

function nearest(word: string, known: readonly string[]): string {
  const lower = word.toLowerCase();
  const hit = known.find((k) => k.toLowerCase() === lower || k.toLowerCase().startsWith(lower.replace(/s$/, '')) || lower.startsWith(k.toLowerCase().replace(/s$/, '')));
  return hit ? ` (did you mean "${hit}"?)` : '';
}

/** Reads a mocked response key: "3" or "1-2" (inclusive). */
function parseRange(key: string, file: string, path: string[]): { from: number; to: number } {
  const m = /^(\d{1,15})(?:-(\d{1,15}))?$/.exec(key);
  if (!m) {
    throw new MockConfigError(`${file}: ${at(path)}: "${key}" is not an invocation number or range; use a number such as "0" or an inclusive range such as "1-2"`);
  }
  const from = Number(m[1]);
  const to = m[2] === undefined ? from : Number(m[2]);
  if (from > MAX_INVOCATION || to > MAX_INVOCATION) throw new MockConfigError(`${file}: ${at(path)}: invocation numbers go up to ${MAX_INVOCATION}`);
  if (to < from) throw new MockConfigError(`${file}: ${at(path)}: the range "${key}" ends before it starts; write it as "${to}-${from}"`);
  return { from, to };
}

function parseOutcome(v: Json | undefined, file: string, path: string[]): MockedOutcome {
  const o = objectAt(v, file, path, 'with either "Return" or "Throw"');
  const keys = Object.keys(o);
  const extra = keys.filter((k) => k !== 'Return' && k !== 'Throw');
  if (extra.length) throw new MockConfigError(`${file}: ${at([...path, extra[0]!])}: unknown field; an invocation has either "Return" or "Throw"${nearest(extra[0]!, ['Return', 'Throw'])}`);
  if ('Return' in o && 'Throw' in o) throw new MockConfigError(`${file}: ${at(path)} has both "Return" and "Throw"; an invocation either returns or throws, keep one`);
  if ('Return' in o) return { kind: 'return', value: o['Return']! };
  if (!('Throw' in o)) throw new MockConfigError(`${file}: ${at(path)} has neither "Return" nor "Throw"; add one`);
  const t = objectAt(o['Throw'], file, [...path, 'Throw'], 'with "Error" and "Cause" strings');
  for (const k of Object.keys(t)) {
    if (k !== 'Error' && k !== 'Cause') throw new MockConfigError(`${file}: ${at([...path, 'Throw', k])}: unknown field; "Throw" has only "Error" and "Cause"${nearest(k, ['Error', 'Cause'])}`);
  }
  for (const k of ['Error', 'Cause'] as const) {
    if (typeof t[k] !== 'string') throw new MockConfigError(`${file}: ${at([...path, 'Throw', k])} must be a string (${t[k] === undefined ? 'it is missing' : `not ${describe(t[k])}`})`);
  }
  return { kind: 'throw', error: t['Error'] as string, cause: t['Cause'] as string };
}

function parseResponse(name: string, v: Json | undefined, file: string): MockedResponse {
  const path = ['MockedResponses', name];
  const o = objectAt(v, file, path, 'invocation numbers to "Return" or "Throw"');
  const ranges: MockedRange[] = [];
  for (const [key, value] of Object.entries(o)) ranges.push({ ...parseRange(key, file, [...path, key]), outcome: parseOutcome(value, file, [...path, key]) });
  if (ranges.length === 0) throw new MockConfigError(`${file}: ${at(path)} mocks no invocation; add at least "0": {"Return": ...}`);
  ranges.sort((a, b) => a.from - b.from);
  let next = 0;
  for (const r of ranges) {
    const key = r.from === r.to ? `${r.from}` : `${r.from}-${r.to}`;
    if (r.from < next) throw new MockConfigError(`${file}: ${at([...path, key])} overlaps the invocations before it; each invocation number may appear once`);
    if (r.from > next) {
      const missing = next === r.from - 1 ? `"${next}"` : `"${next}-${r.from - 1}"`;
      throw new MockConfigError(`${file}: ${at(path)} skips invocation ${missing}: invocations are numbered consecutively from 0; add ${missing} or renumber`);
    }
    next = r.to + 1;
  }
  return { name, ranges };
}

/** Checks a parsed mock configuration file; `file` names it in messages. */
export function parseMockConfig(value: Json, file: string): MockConfig {
  const root = objectAt(value, file, [], 'with "StateMachines" and "MockedResponses"');
  for (const k of Object.keys(root)) {
    if (!TOP_LEVEL.includes(k)) throw new MockConfigError(`${file}: ${at([k])}: unknown field; a mock configuration has "StateMachines" and "MockedResponses"${nearest(k, TOP_LEVEL)}`);
  }
  const responses = new Map<string, MockedResponse>();
  const rawResponses = objectAt(root['MockedResponses'] ?? {}, file, ['MockedResponses'], 'mocked response names to their invocations');
  for (const [name, v] of Object.entries(rawResponses)) responses.set(name, parseResponse(name, v, file));

  const stateMachines = new Map<string, Map<string, Map<string, string>>>();
  const rawMachines = objectAt(root['StateMachines'] ?? {}, file, ['StateMachines'], 'state machine names to their "TestCases"');
  for (const [machine, mv] of Object.entries(rawMachines)) {
    const mpath = ['StateMachines', machine];
    const m = objectAt(mv, file, mpath, 'with "TestCases"');
    for (const k of Object.keys(m)) {
      if (k !== 'TestCases') throw new MockConfigError(`${file}: ${at([...mpath, k])}: unknown field; a state machine has only "TestCases"${nearest(k, ['TestCases'])}`);
    }
    const cases = new Map<string, Map<string, string>>();
    const rawCases = objectAt(m['TestCases'], file, [...mpath, 'TestCases'], 'test case names to their mocked states');
    for (const [caseName, cv] of Object.entries(rawCases)) {
      const cpath = [...mpath, 'TestCases', caseName];
      const c = objectAt(cv, file, cpath, 'state names to mocked response names');
      const states = new Map<string, string>();
      for (const [state, rv] of Object.entries(c)) {
        if (typeof rv !== 'string') throw new MockConfigError(`${file}: ${at([...cpath, state])} must be the name of a mocked response (a string), not ${describe(rv)}`);
        if (!responses.has(rv)) {
          const known = [...responses.keys()];
          throw new MockConfigError(
            `${file}: ${at([...cpath, state])} names the mocked response "${rv}", which MockedResponses does not define` +
              (known.length ? ` (it defines: ${known.slice(0, 10).join(', ')}${known.length > 10 ? ', ...' : ''})` : '; add it under MockedResponses'),
          );
        }
        states.set(state, rv);
      }
      cases.set(caseName, states);
    }
    stateMachines.set(machine, cases);
  }
  return { file, stateMachines, responses };
}

/** The test case `name` of state machine `stateMachine`, or a MockConfigError saying what exists. */
export function testCaseFor(config: MockConfig, stateMachine: string, name: string): MockTestCase {
  const cases = config.stateMachines.get(stateMachine);
  if (!cases) {
    const known = [...config.stateMachines.keys()];
    throw new MockConfigError(
      `${config.file}: StateMachines has no state machine named "${stateMachine}"` + (known.length ? ` (it has: ${known.slice(0, 10).join(', ')})` : ''),
    );
  }
  const states = cases.get(name);
  if (!states) {
    throw new MockConfigError(`${config.file}: StateMachines.${stateMachine}.TestCases has no test case "${name}" (it has: ${[...cases.keys()].slice(0, 20).join(', ') || 'none'})`);
  }
  const mocked = new Map<string, MockedResponse>();
  for (const [state, response] of states) mocked.set(state, config.responses.get(response)!);
  return { file: config.file, stateMachine, name, states: mocked };
}

/** Every state of a definition, nested ones included (Parallel branches, Map processors), with its Type. */
export function statesOf(definition: Json): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (machine: Json | undefined): void => {
    if (!isJsonObject(machine) || !isJsonObject(machine['States'])) return;
    for (const [name, s] of Object.entries(machine['States'])) {
      if (!isJsonObject(s)) continue;
      out.set(name, typeof s['Type'] === 'string' ? s['Type'] : '');
      if (Array.isArray(s['Branches'])) for (const b of s['Branches']) walk(b);
      walk(s['ItemProcessor']);
      walk(s['Iterator']);
    }
  };
  walk(definition);
  return out;
}

/** Checks that every state a test case mocks is a Task state of the definition it runs. */
export function checkTestCase(tc: MockTestCase, definition: Json): void {
  const states = statesOf(definition);
  const where = `${tc.file}: StateMachines.${tc.stateMachine}.TestCases.${tc.name}`;
  for (const state of tc.states.keys()) {
    const type = states.get(state);
    if (type === undefined) {
      const tasks = [...states].filter(([, t]) => t === 'Task').map(([n]) => n);
      throw new MockConfigError(
        `${where} mocks the state "${state}", which state machine ${tc.stateMachine} does not have` +
          (tasks.length ? ` (its Task states: ${tasks.slice(0, 20).join(', ')})` : ' (it has no Task state)'),
      );
    }
    if (type !== 'Task') throw new MockConfigError(`${where} mocks the state "${state}", a ${type} state: only Task states call services, so only they can be mocked`);
  }
}

/** The outcome of invocation `n` (from 0), or undefined when the response does not cover it. */
export function outcomeOf(response: MockedResponse, n: number): MockedOutcome | undefined {
  for (const r of response.ranges) if (n >= r.from && n <= r.to) return r.outcome;
  return undefined;
}
