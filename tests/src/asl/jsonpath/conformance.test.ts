/**
 * Checks this module against the recorded AWS cases, by rule rather than by case:
 * - every path in every recorded JSONPath definition compiles (ResultPath ones as reference paths);
 * - single Pass states whose Parameters only select from the input produce AWS's recorded output;
 * - every recorded "Invalid path '<p>' : <message>" cause is reproduced by describeMiss on a
 *   document the execution history shows reaching that path.
 * Skips when the shared conformance folder is absent.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isJsonObject, type Json, type JsonObject } from '../../../../src/core/json.js';
import { compilePath, compileReferencePath, isValidPath } from '../../../../src/asl/jsonpath/index.js';
import { conformanceCasesDir, sharedCasesAbsent } from '../../../../src/conformance/shared-folder.js';

const ROOT = conformanceCasesDir();

interface RecordedCase {
  file: string;
  definition: JsonObject;
  input: Json;
  expected: { status: string; output?: Json; cause?: Json; history?: Json[] };
}

function loadCases(): RecordedCase[] {
  const out: RecordedCase[] = [];
  for (const group of readdirSync(ROOT)) {
    const dir = join(ROOT, group);
    if (!existsSync(dir) || group.endsWith('.json') || group.endsWith('.md')) continue;
    for (const f of readdirSync(dir)) {
      if (!f.endsWith('.json')) continue;
      const c = JSON.parse(readFileSync(join(dir, f), 'utf8')) as Omit<RecordedCase, 'file'>;
      out.push({ ...c, file: f });
    }
  }
  return out;
}

const skip = sharedCasesAbsent() ?? false;
const cases = skip ? [] : loadCases();

/** Collects [field, path] pairs from JSONPath states: '*Path' fields and 'key.$' template values. */
function pathsIn(node: Json, out: [string, string][], jsonata: boolean): void {
  if (Array.isArray(node)) {
    for (const x of node) pathsIn(x, out, jsonata);
    return;
  }
  if (!isJsonObject(node)) return;
  const ql = node['QueryLanguage'];
  const here = ql === 'JSONata' ? true : ql === 'JSONPath' ? false : jsonata;
  for (const [k, v] of Object.entries(node)) {
    if (!here && typeof v === 'string' && v.startsWith('$') && (k.endsWith('.$') || k.endsWith('Path') || k === 'Variable')) out.push([k, v]);
    pathsIn(v, out, here);
  }
}

test('every path in the recorded JSONPath definitions compiles', { skip }, () => {
  let count = 0;
  for (const c of cases) {
    const found: [string, string][] = [];
    pathsIn(c.definition, found, c.definition['QueryLanguage'] === 'JSONata');
    for (const [field, path] of found) {
      count++;
      assert.equal(isValidPath(path), true, `${c.file}: ${field} ${path}`);
      if (field === 'ResultPath') assert.doesNotThrow(() => compileReferencePath(path), `${c.file}: ${path}`);
    }
  }
  assert.ok(count > 100, `only ${count} paths found`);
});

/** Evaluates a Parameters template that only selects from the input; undefined if it needs more. */
function applyTemplate(t: Json, input: Json): Json | undefined {
  if (Array.isArray(t)) {
    const out: Json[] = [];
    for (const x of t) {
      const v = applyTemplate(x, input);
      if (v === undefined) return undefined;
      out.push(v);
    }
    return out;
  }
  if (!isJsonObject(t)) return t;
  const out: JsonObject = {};
  for (const [k, v] of Object.entries(t)) {
    if (k.endsWith('.$')) {
      if (typeof v !== 'string' || !v.startsWith('$') || v.startsWith('$$')) return undefined;
      const p = compilePath(v);
      if (p.root.kind !== 'input') return undefined;
      const selected = p.select(input);
      if (selected === undefined) return undefined;
      out[k.slice(0, -2)] = selected;
    } else {
      const inner = applyTemplate(v, input);
      if (inner === undefined) return undefined;
      out[k] = inner;
    }
  }
  return out;
}

test('single Pass states selecting from their input give the recorded output', { skip }, () => {
  let count = 0;
  for (const c of cases) {
    const states = c.definition['States'];
    if (c.expected.status !== 'SUCCEEDED' || c.definition['QueryLanguage'] !== undefined || !isJsonObject(states)) continue;
    const names = Object.keys(states);
    const state = states[names[0]!];
    if (names.length !== 1 || !isJsonObject(state) || state['Type'] !== 'Pass') continue;
    if (state['Parameters'] === undefined || Object.keys(state).some((k) => !['Type', 'Parameters', 'End', 'Comment'].includes(k))) continue;
    const output = applyTemplate(state['Parameters'], c.input);
    if (output === undefined) continue;
    count++;
    assert.deepEqual(output, c.expected.output, c.file);
  }
  assert.ok(count >= 10, `only ${count} cases replayed`);
});

/** Every input/output document the recorded history shows, plus the execution input. */
function documentsIn(c: RecordedCase): Json[] {
  const docs: Json[] = [c.input];
  const walk = (n: Json): void => {
    if (Array.isArray(n)) n.forEach(walk);
    else if (isJsonObject(n)) {
      for (const [k, v] of Object.entries(n)) {
        if ((k === 'input' || k === 'output') && v !== undefined) docs.push(typeof v === 'string' ? tryParse(v) : v);
        walk(v);
      }
    }
  };
  walk(c.expected.history ?? []);
  return docs;
}

function tryParse(s: string): Json {
  try {
    return JSON.parse(s) as Json;
  } catch {
    return s;
  }
}

test('recorded "Invalid path" causes are reproduced by describeMiss', { skip }, () => {
  let count = 0;
  for (const c of cases) {
    const cause = c.expected.cause;
    if (typeof cause !== 'string') continue;
    const m = /Invalid path '(.+)' : (.+)$/.exec(cause);
    if (!m) continue;
    const path = compilePath(m[1]!);
    const explained = documentsIn(c).filter((d) => path.select(d) === undefined).map((d) => path.describeMiss(d));
    assert.ok(explained.includes(m[2]!), `${c.file}: expected "${m[2]}", got ${JSON.stringify(explained)}`);
    count++;
  }
  assert.ok(count >= 2, `only ${count} causes checked`);
});
