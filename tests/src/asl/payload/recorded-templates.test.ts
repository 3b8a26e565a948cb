import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Json, JsonObject } from '../../../../src/core/json.js';
import { compileDynamicValue, compilePayloadTemplate } from '../../../../src/asl/payload/index.js';
import { conformanceCasesDir, sharedCasesAbsent } from '../../../../src/conformance/shared-folder.js';

/*
 * AWS accepted every recorded definition, so every payload template in a JSONPath state of
 * every recorded case must compile: a TemplateSyntaxError here would reject a valid machine.
 */

const ROOT = conformanceCasesDir();

function isObject(v: Json | undefined): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Calls `visit` for each state of a machine, nested Parallel branches and Map processors included. */
function forEachState(machine: JsonObject, inherited: string, visit: (state: JsonObject, ql: string) => void): void {
  const ql = typeof machine['QueryLanguage'] === 'string' ? machine['QueryLanguage'] : inherited;
  const states = machine['States'];
  if (!isObject(states)) return;
  for (const state of Object.values(states)) {
    if (!isObject(state)) continue;
    const stateQl = typeof state['QueryLanguage'] === 'string' ? state['QueryLanguage'] : ql;
    visit(state, stateQl);
    for (const branch of Array.isArray(state['Branches']) ? state['Branches'] : []) {
      if (isObject(branch)) forEachState(branch, stateQl, visit);
    }
    for (const key of ['ItemProcessor', 'Iterator']) {
      const inner = state[key];
      if (isObject(inner)) forEachState(inner, stateQl, visit);
    }
  }
}

/** The templates of one JSONPath state, with the field names the engine passes. */
function templatesOf(state: JsonObject): [string, Json][] {
  const out: [string, Json][] = [];
  const fields = state['Type'] === 'Map' ? ['ItemSelector', 'Parameters', 'ResultSelector'] : ['Parameters', 'ResultSelector'];
  for (const f of [...fields, 'Assign', 'Credentials']) if (state[f] !== undefined) out.push([f, state[f]!]);
  for (const list of ['Catch', 'Choices']) {
    for (const entry of Array.isArray(state[list]) ? state[list] : []) {
      if (isObject(entry) && entry['Assign'] !== undefined) out.push(['Assign', entry['Assign']!]);
    }
  }
  return out;
}

function listCases(): string[] {
  if (!existsSync(ROOT)) return [];
  return readdirSync(ROOT, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .flatMap((d) => readdirSync(join(ROOT, d.name)).filter((f) => f.endsWith('.json')).map((f) => join(ROOT, d.name, f)));
}

const files = listCases();

test(
  'every payload template in the recorded AWS definitions compiles',
  { skip: sharedCasesAbsent() ?? (files.length === 0 ? `no recorded cases in ${ROOT}` : false) },
  () => {
    let templates = 0;
    const failures: string[] = [];
    for (const file of files) {
      const definition = (JSON.parse(readFileSync(file, 'utf8')) as JsonObject)['definition'];
      if (!isObject(definition)) continue;
      forEachState(definition, 'JSONPath', (state, ql) => {
        if (ql !== 'JSONPath') return;
        const compile: [string, () => unknown][] = templatesOf(state).map(([field, t]) => [field, () => compilePayloadTemplate(t, field)]);
        for (const field of ['ErrorPath', 'CausePath']) {
          const v = state[field];
          if (typeof v === 'string') compile.push([field, () => compileDynamicValue(v, field)]);
        }
        for (const [field, run] of compile) {
          templates++;
          try {
            run();
          } catch (e) {
            failures.push(`${file} ${field}: ${(e as Error).message}`);
          }
        }
      });
    }
    assert.deepEqual(failures, []);
    assert.ok(templates > 100, `only ${templates} templates found`);
  },
);
