/**
 * zod's issues → the project's located, actionable problems. zod says what failed; this adds where
 * (line and column from the source map), the field path as users write it, the value that was
 * found, and what to do: the nearest known field name for a misspelling, the accepted values for
 * an enum, the quoting fix for a number written as a string, and so on.
 */
import type { z } from 'zod';
import type { PathSegment } from './field-path.js';
import type { ConfigProblem } from './problems.js';
import { nearestName } from './suggest.js';
import type { SourceMap } from './yaml-source.js';
import { locatedProblem } from './located-problem.js';

type Issue = z.core.$ZodIssue;
type Def = { type: string; shape?: Record<string, z.ZodType>; element?: z.ZodType; innerType?: z.ZodType; valueType?: z.ZodType; in?: z.ZodType };

function defOf(s: z.ZodType): Def {
  return (s as unknown as { _zod: { def: Def } })._zod.def;
}

/** The schema that checks the value at `path`, seen through optional/nullable/default wrappers. */
export function schemaAt(root: z.ZodType, path: readonly PathSegment[]): z.ZodType | undefined {
  let s: z.ZodType | undefined = unwrap(root);
  for (const seg of path) {
    if (!s) return undefined;
    const d = defOf(s);
    if (d.type === 'object' && typeof seg === 'string') s = d.shape?.[seg];
    else if (d.type === 'array') s = d.element;
    else if (d.type === 'record') s = d.valueType;
    else return undefined;
    s = s && unwrap(s);
  }
  return s;
}

function unwrap(s: z.ZodType): z.ZodType {
  let cur = s;
  for (let i = 0; i < 10; i++) {
    const d = defOf(cur);
    if ((d.type === 'optional' || d.type === 'nullable' || d.type === 'default' || d.type === 'prefault' || d.type === 'readonly') && d.innerType) cur = d.innerType;
    else if (d.type === 'pipe' && d.in) cur = d.in;
    else break;
  }
  return cur;
}

/** The field names an object at `path` accepts (for "did you mean"). */
export function knownFieldsAt(root: z.ZodType, path: readonly PathSegment[]): string[] {
  const s = schemaAt(root, path);
  if (!s) return [];
  const d = defOf(s);
  return d.type === 'object' && d.shape ? Object.keys(d.shape) : [];
}

/** The "set by the pipeline" note of a managed field, if the schema at `path` is one. */
function managedNote(root: z.ZodType, path: readonly PathSegment[]): string | undefined {
  const parentPath = path.slice(0, -1);
  const parent = schemaAt(root, parentPath);
  const key = path[path.length - 1];
  if (!parent || typeof key !== 'string') return undefined;
  const field = defOf(parent).shape?.[key];
  const meta = field ? (field as unknown as { meta?: () => { description?: string } | undefined }).meta?.() : undefined;
  return meta?.description;
}

function valueAt(root: unknown, path: readonly PathSegment[]): unknown {
  let v = root;
  for (const seg of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = Object.prototype.hasOwnProperty.call(v, seg) ? (v as Record<string | number, unknown>)[seg] : undefined;
  }
  return v;
}

function typeName(v: unknown): string {
  if (v === null) return 'empty (null)';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'a mapping';
  if (typeof v === 'string') return `the string ${JSON.stringify(v.length > 60 ? v.slice(0, 57) + '...' : v)}`;
  return `${typeof v} ${JSON.stringify(v)}`;
}

const EXPECTED: Record<string, string> = {
  string: 'a string',
  number: 'a number',
  int: 'a whole number',
  boolean: 'true or false',
  object: 'a mapping of fields',
  record: 'a mapping of names to values',
  array: 'a list',
  null: 'empty',
};

const TOP_LEVEL_WORDS = 'unknown stage or setting';

/** Hints for required fields whose fix is not obvious from the name. */
const MISSING_HINTS: Record<string, string> = {
  run: 'add run: true or run: false',
  app_id: 'add app_id: <your application>, e.g. app_id: aiops',
  model_id: 'add model_id: <your model>, e.g. model_id: demo',
  job_prefix: 'add job_prefix: <prefix for job names>, e.g. job_prefix: mlops',
};

export function issuesToProblems(issues: readonly Issue[], root: z.ZodType, value: unknown, sourceMap: SourceMap, file: string): ConfigProblem[] {
  const out: ConfigProblem[] = [];
  const add = (path: readonly PathSegment[], message: string, prefer: 'key' | 'value' = 'value', at: readonly PathSegment[] = path) => {
    out.push(locatedProblem(sourceMap, file, path, message, { prefer, at }));
  };

  for (const issue of issues) {
    const path = issue.path as PathSegment[];
    const found = valueAt(value, path);
    switch (issue.code) {
      case 'unrecognized_keys': {
        const known = knownFieldsAt(root, path);
        for (const key of issue.keys) {
          const suggestion = nearestName(key, known);
          const what = path.length === 0 ? TOP_LEVEL_WORDS : 'unknown field';
          let hint: string;
          if (suggestion) hint = `did you mean ${suggestion}?`;
          else if (path.length === 0) hint = `stages: preprocessing, training, evaluation, CreateModel, batchTransform; settings: app_id, model_id, job_prefix, approval, registry, endpoint`;
          else if (known.length > 0 && known.length <= 12) hint = `known fields here: ${known.join(', ')}`;
          else hint = 'remove it, or check the SageMaker API reference for the request';
          add([...path, key], `${what} (${hint})`, 'key');
        }
        break;
      }
      case 'invalid_type': {
        if (issue.expected === 'never') {
          const note = managedNote(root, path);
          add(path, `is set by the pipeline, not the file${note ? ` (${note.replace(/^Set by the pipeline \((.*)\); do not write it\.$/, '$1')}; remove it)` : ' (remove it)'}`, 'key');
          break;
        }
        const key = path[path.length - 1];
        if (found === undefined) {
          const hint = typeof key === 'string' ? MISSING_HINTS[key] : undefined;
          // A missing field has no position of its own: point at the mapping that lacks it.
          add(path, `is required but missing (${hint ?? `add ${String(key)}`})`, 'key', path.slice(0, -1));
          break;
        }
        const expected = EXPECTED[issue.expected] ?? issue.expected;
        add(path, `must be ${expected}, not ${typeName(found)}${typeHint(issue.expected, found)}`);
        break;
      }
      case 'invalid_value': {
        const values = issue.values.map((v) => String(v));
        const suggestion = typeof found === 'string' ? nearestName(found, values) : undefined;
        const shown = found === undefined ? 'a missing value' : typeof found === 'string' ? JSON.stringify(found) : typeName(found);
        add(path, `${shown} is not accepted (${suggestion ? `did you mean ${suggestion}? ` : ''}accepted: ${values.join(', ')})`);
        break;
      }
      case 'too_small': {
        const min = Number(issue.minimum);
        if (issue.origin === 'array') add(path, `needs at least ${min} item${min === 1 ? '' : 's'} (add ${min === 1 ? 'one' : 'more'})`);
        else if (issue.origin === 'string') add(path, min <= 1 ? 'must not be empty (write a value)' : `is shorter than ${min} characters (write a longer value)`);
        else add(path, `is ${JSON.stringify(found)}, below the minimum of ${min}${issue.inclusive === false ? ' (exclusive)' : ''} (use ${min} or more)`);
        break;
      }
      case 'too_big': {
        const max = Number(issue.maximum);
        if (issue.origin === 'array') add(path, `has more than ${max} items (SageMaker accepts at most ${max}; remove some)`);
        else if (issue.origin === 'string') add(path, `is longer than ${max} characters (shorten it)`);
        else add(path, `is ${JSON.stringify(found)}, above the maximum of ${max} (use ${max} or less)`);
        break;
      }
      case 'invalid_format':
      case 'custom':
        add(path, issue.message);
        break;
      case 'not_multiple_of':
        add(path, `must be a multiple of ${String(issue.divisor)}`);
        break;
      default:
        add(path, `${issue.message} (check this value)`);
    }
  }
  return out;
}

function typeHint(expected: string, found: unknown): string {
  if ((expected === 'number' || expected === 'int') && typeof found === 'string' && found.trim() !== '' && Number.isFinite(Number(found))) {
    return ` (write ${found.trim()} without quotes)`;
  }
  if (expected === 'int' && typeof found === 'number') return ` (write a whole number, e.g. ${Math.round(found)})`;
  if (expected === 'string' && (typeof found === 'number' || typeof found === 'boolean')) {
    return ` (put it in quotes: "${String(found)}")`;
  }
  if (expected === 'boolean' && typeof found === 'string' && /^(true|false|yes|no|on|off)$/i.test(found)) {
    return ` (write true or false without quotes)`;
  }
  if (expected === 'array' && found !== null && typeof found === 'object') return ' (write each item on its own line starting with "- ")';
  if (expected === 'object' && found === null) return ' (write its fields under it, indented)';
  return '';
}
