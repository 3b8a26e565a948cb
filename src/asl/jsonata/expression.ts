import type jsonata from 'jsonata';
import { loadJsonata } from './lazy-modules.js';
import type { Json, JsonObject } from '../../core/json.js';
import { analyseExpression, BUILTIN_FUNCTIONS, STATES_VARIABLE, type ExpressionAnalysis, type FastPath } from './ast-scan.js';
import { registerAwsFunctions } from './aws-functions.js';
import { JsonataSyntaxError, returnedNothing, threwDuringEvaluation, unsupportedResult } from './errors.js';
import { JSONATA_LIMITS } from './limits.js';
import { GuardedRegExp } from './regex-engine.js';
import { setOwn, toPlainJson, UnsupportedResultType } from './to-json.js';
import type { JsonataBindings } from './types.js';

const OPTIONS: jsonata.JsonataOptions = {
  timeout: JSONATA_LIMITS.timeoutMs,
  stack: JSONATA_LIMITS.maxDepth,
  sequence: JSONATA_LIMITS.maxSequence,
  RegexEngine: GuardedRegExp as unknown as RegExpConstructor,
};

const hasOwn = Object.prototype.hasOwnProperty;

/** Marks a fast path that met data only jsonata itself can navigate (an array mid-path). */
const NEEDS_JSONATA = Symbol('needs-jsonata');

/**
 * Per-evaluation state shared by all expressions of one field value, so `$states` is built once
 * however many expressions an Arguments object holds.
 */
export class EvaluationScope {
  private statesObject: JsonObject | undefined;
  constructor(readonly b: JsonataBindings) {}

  get states(): JsonObject {
    if (this.statesObject === undefined) {
      const s: JsonObject = { input: this.b.input, context: this.b.context };
      if (this.b.result !== undefined) s['result'] = this.b.result;
      if (this.b.errorOutput !== undefined) s['errorOutput'] = this.b.errorOutput;
      this.statesObject = s;
    }
    return this.statesObject;
  }

  /** `$states.<key>` without building the `$states` object. */
  stateField(key: string): Json | undefined {
    switch (key) {
      case 'input':
        return this.b.input;
      case 'context':
        return this.b.context;
      case 'result':
        return this.b.result;
      case 'errorOutput':
        return this.b.errorOutput;
      default:
        return undefined;
    }
  }
}

interface Parsed {
  readonly analysis: ExpressionAnalysis;
  /** Undefined until first needed when the text is a plain path (see simplePath). */
  expr: jsonata.Expression | undefined;
}

/**
 * jsonata's parser rebuilds its symbol table on every call (~0.5 ms per expression), and the same
 * expression texts ("$states.input", "$states.result.Payload") recur across states and machines.
 * A parsed expression is reentrant (each evaluation gets its own frame), so parses are shared.
 */
const parsedBySource = new Map<string, Parsed>();
const PARSE_CACHE_LIMIT = 5000;

/** `$name.field.field` with plain identifiers: read directly, parsed by jsonata only if needed. */
const SIMPLE_PATH = /^\$([A-Za-z_][A-Za-z0-9_]*)((?:\.[A-Za-z_][A-Za-z0-9_]*)*)$/;
/** Step names jsonata reads as literals (and then refuses), not as field names. */
const LITERAL_WORDS: ReadonlySet<string> = new Set(['true', 'false', 'null']);

function simplePath(source: string): ExpressionAnalysis | undefined {
  const m = SIMPLE_PATH.exec(source);
  if (m === null) return undefined;
  const head = m[1]!;
  if (BUILTIN_FUNCTIONS.has(head)) return undefined;
  const steps = m[2] === '' ? [] : m[2]!.slice(1).split('.');
  if (steps.some((s) => LITERAL_WORDS.has(s))) return undefined;
  const isVariable = head !== STATES_VARIABLE;
  return {
    mentioned: new Set([head]),
    bindNames: isVariable ? [head] : [],
    variables: new Set(isVariable ? [head] : []),
    topLevelReferences: [],
    fastPath: { head, steps },
  };
}

function newExpression(source: string, field: string): jsonata.Expression {
  try {
    return loadJsonata()(source, OPTIONS);
  } catch (err) {
    const e = err as { code?: unknown; message?: unknown };
    const detail = typeof e.message === 'string' ? e.message : String(err);
    throw new JsonataSyntaxError(field, source, detail, typeof e.code === 'string' ? e.code : '');
  }
}

function parse(source: string, field: string): Parsed {
  const cached = parsedBySource.get(source);
  if (cached !== undefined) return cached;
  let parsed: Parsed;
  const simple = simplePath(source);
  if (simple !== undefined) {
    parsed = { analysis: simple, expr: undefined };
  } else {
    const expr = newExpression(source, field);
    const analysis = analyseExpression(expr.ast());
    registerAwsFunctions(expr, analysis.mentioned);
    parsed = { analysis, expr };
  }
  if (parsedBySource.size >= PARSE_CACHE_LIMIT) parsedBySource.clear();
  parsedBySource.set(source, parsed);
  return parsed;
}

/** One `{% %}` expression, parsed and analysed once. */
export class CompiledExpression {
  readonly analysis: ExpressionAnalysis;
  private readonly parsed: Parsed;
  private readonly fastPath: FastPath | undefined;

  constructor(
    /** The text between the delimiters, trimmed. */
    readonly source: string,
    /** Where it sits: "Output", "Arguments/Payload/id", "Items[1]". */
    readonly field: string,
  ) {
    this.parsed = parse(source, field);
    this.analysis = this.parsed.analysis;
    this.fastPath = this.analysis.fastPath;
  }

  private get expr(): jsonata.Expression {
    if (this.parsed.expr === undefined) {
      // A simple path is always valid jsonata, and names no function to register.
      this.parsed.expr = newExpression(this.source, this.field);
    }
    return this.parsed.expr;
  }

  async evaluate(scope: EvaluationScope): Promise<Json> {
    if (this.fastPath !== undefined) {
      const v = this.followPath(this.fastPath, scope);
      if (v !== NEEDS_JSONATA) {
        if (v === undefined) throw returnedNothing(this.source, this.field);
        return v;
      }
    }
    let raw: unknown;
    try {
      raw = await this.expr.evaluate(undefined, this.bindingsFor(scope));
    } catch (err) {
      throw threwDuringEvaluation(this.source, this.field, err);
    }
    if (raw === undefined) throw returnedNothing(this.source, this.field);
    // The whole input (or result) echoed back is already plain JSON.
    const b = scope.b;
    if (raw === b.input || raw === b.result || raw === b.errorOutput || raw === b.context) return raw as Json;
    try {
      const plain = toPlainJson(raw);
      if (plain === undefined) throw returnedNothing(this.source, this.field);
      return plain;
    } catch (err) {
      if (err instanceof UnsupportedResultType) throw unsupportedResult(this.source, this.field);
      if (err instanceof RangeError) throw threwDuringEvaluation(this.source, this.field, err);
      throw err;
    }
  }

  /** Reads `$head.a.b` directly, as jsonata would, as long as every step lands on an object. */
  private followPath(fp: FastPath, scope: EvaluationScope): Json | undefined | typeof NEEDS_JSONATA {
    const steps = fp.steps;
    let i = 0;
    let cur: Json | undefined;
    if (fp.head === STATES_VARIABLE) {
      if (steps.length === 0) return scope.states;
      cur = scope.stateField(steps[0]!);
      i = 1;
    } else {
      cur = scope.b.variables.lookup(fp.head);
    }
    for (; i < steps.length; i++) {
      if (cur === undefined) return undefined;
      // jsonata maps a step over an array and flattens; leave that (and oddities) to it.
      if (typeof cur !== 'object' || cur === null || Array.isArray(cur)) return NEEDS_JSONATA;
      const key = steps[i]!;
      cur = hasOwn.call(cur, key) ? cur[key] : undefined;
    }
    return cur;
  }

  /** `$states` plus the workflow variables this expression reads (and only those). */
  private bindingsFor(scope: EvaluationScope): Record<string, unknown> {
    const bindings: Record<string, unknown> = { [STATES_VARIABLE]: scope.states };
    for (const name of this.analysis.bindNames) {
      const v = scope.b.variables.lookup(name);
      if (v !== undefined) setOwn(bindings as JsonObject, name, v);
    }
    return bindings;
  }
}
