import type { Json, JsonObject } from '../../core/json.js';
import { runtimeError, States } from '../errors.js';
import { parseAwsTimestamp } from '../choice/index.js';
import { compileJsonataValue, type CompiledJsonata } from '../jsonata/index.js';
import { compilePath, selectInScope, type CompiledPath } from '../jsonpath/index.js';
import type { PathScope } from '../scope.js';
import { buildContext, type Frame, type StateEntry, type StateOutcome } from '../runtime.js';
import { assignByJsonata, assignByPath, compileAssign, type CompiledAssign } from './assign.js';
import { JsonPathIO } from './jsonpath-io.js';
import { compileNumberField, readNumberField, type NumberChecks, type NumberField } from './number-field.js';
import { StateBase, type QueryLanguage } from './state-base.js';

/** AWS's upper bound on a Wait's Seconds field (definition check and JSONata value). */
const MAX_WAIT_SECONDS = 99_999_999;
/**
 * AWS keeps a delay in a signed 32-bit count of seconds: a Timestamp 24,855 days ahead waits, one
 * 24,856 days ahead fails with "Wait state delay is too long." (recorded on AWS).
 */
const MAX_DELAY_SECONDS = 2_147_483_647;
const JAVA_LONG_MAX = 9_223_372_036_854_775_807n;

/** Seconds (fixed, SecondsPath or JSONata) count from the state's entry; a Timestamp is absolute. */
type Until = { seconds: NumberField } | { timestamp: number; text: string } | { timestampPath: CompiledPath } | { timestampExpr: CompiledJsonata };

/** Wait: delays for Seconds or until a Timestamp, on the execution's clock. */
export class WaitState extends StateBase {
  private readonly until: Until;
  private readonly io: JsonPathIO | undefined;
  private readonly outputExpr: CompiledJsonata | undefined;
  private readonly assign: CompiledAssign | undefined;

  constructor(name: string, raw: JsonObject, ql: QueryLanguage) {
    super(name, raw, ql);
    this.assign = compileAssign(raw['Assign'], ql);
    if (ql === 'JSONPath') this.io = new JsonPathIO(raw, undefined);
    else if (raw['Output'] !== undefined) this.outputExpr = compileJsonataValue(raw['Output'], 'Output');
    const seconds = compileNumberField(raw, 'Seconds', ql);
    const t = raw['Timestamp'];
    if (seconds !== undefined) this.until = { seconds };
    else if (typeof t === 'string' && ql === 'JSONata' && /^\s*\{%/.test(t)) this.until = { timestampExpr: compileJsonataValue(t, 'Timestamp') };
    else if (typeof t === 'string') this.until = { timestamp: parseAwsTimestamp(t) ?? NaN, text: t };
    else this.until = { timestampPath: compilePath(String(raw['TimestampPath'])) };
  }

  protected override get abortable(): boolean {
    return true;
  }

  protected override evaluationFailedPrevious(entry: StateEntry): number {
    return entry.enteredEventId;
  }

  async run(input: Json, frame: Frame): Promise<StateOutcome> {
    const entry = this.enter(input, frame);
    try {
      const scope = { input, context: buildContext(frame, entry, false), variables: frame.vars };
      const effective = this.io ? this.io.effectiveInput(input, scope) : input;
      const delayMs = await this.delayMs({ ...scope, input: effective }, frame, entry);
      if (delayMs > MAX_DELAY_SECONDS * 1000) throw runtimeError(States.Runtime, 'Wait state delay is too long.');
      // Resuming: a Wait whose end is recorded is over; one cut short waits until its original end.
      const over = frame.rt.history.peek(frame.thread) !== undefined;
      if (delayMs > 0 && !over) await frame.rt.clock.sleep(delayMs, frame.rt.signal);
      let output: Json;
      let assigned: Map<string, Json> | undefined;
      if (this.io) {
        assigned = assignByPath(this.assign, { ...scope, input: effective });
        output = this.io.output(effective, scope);
      } else {
        assigned = this.assign ? await assignByJsonata(this.assign, scope) : undefined;
        output = this.outputExpr ? await this.outputExpr.evaluate(scope) : input;
      }
      if (assigned) frame.vars.assignAll(assigned);
      this.exit(entry, output, frame, assigned);
      return { next: this.next, output };
    } catch (e) {
      throw this.failure(e, entry, frame);
    }
  }

  /** How long is left to wait: relative waits count from the state's entry (a resumed Wait keeps its end time). */
  private async delayMs(scope: PathScope, frame: Frame, entry: StateEntry): Promise<number> {
    const u = this.until;
    const now = frame.rt.clock.now();
    const since = Math.max(0, now - entry.enteredAt);
    if ('seconds' in u) {
      // Awaited only when JSONata runs: a fixed or path value keeps the event order of a synchronous read.
      let seconds = readNumberField(u.seconds, scope, WAIT_SECONDS);
      if (seconds instanceof Promise) seconds = await seconds;
      return seconds * 1000 - since;
    }
    if ('timestamp' in u) return u.timestamp - now;
    if ('timestampPath' in u) {
      const v = selectInScope(u.timestampPath, scope);
      const at = typeof v === 'string' ? parseAwsTimestamp(v) : undefined;
      if (at === undefined) {
        const shown = typeof v === 'string' ? v : JSON.stringify(v ?? null);
        throw runtimeError(
          States.Runtime,
          `The TimestampPath parameter does not reference a valid ISO-8601 extended offset date-time format string: ${u.timestampPath.source} == ${shown}`,
        );
      }
      return at - now;
    }
    const v = await u.timestampExpr.evaluate(scope);
    const at = typeof v === 'string' ? parseAwsTimestamp(v) : undefined;
    if (at === undefined) {
      throw runtimeError(
        States.QueryEvaluationError,
        `The Timestamp field cannot be parsed as an ISO-8601 extended offset date-time format string: ${typeof v === 'string' ? v : JSON.stringify(v)}`,
      );
    }
    return at - now;
  }
}

/** Seconds: SecondsPath's value as AWS reads it; a JSONata value must be a whole number of seconds in AWS's range. */
const WAIT_SECONDS: NumberChecks = {
  fromPath: (v, path) => secondsFromPath(path, v),
  fromJsonata(v: Json): number {
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v > MAX_WAIT_SECONDS) {
      throw runtimeError(States.QueryEvaluationError, `The Seconds field must be an integer between 0 and ${MAX_WAIT_SECONDS}, but was: ${JSON.stringify(v)}`);
    }
    return v;
  },
};

/**
 * SecondsPath's value, with AWS's cause for each way it can be wrong. AWS reads the value's text as
 * a Java long: a missing value, a text that is not a whole number (1.5, "abc", an object) and a
 * negative number each have their own message; the value is shown as its JSON text.
 */
function secondsFromPath(path: CompiledPath, v: Json | undefined): number {
  if (v === undefined) {
    throw runtimeError(States.Runtime, `The SecondsPath parameter does not reference an input value: ${path.source}`);
  }
  const text = typeof v === 'string' ? v : JSON.stringify(v);
  if (!/^[+-]?\d+$/.test(text) || BigInt(text) > JAVA_LONG_MAX || BigInt(text) < -JAVA_LONG_MAX - 1n) {
    throw runtimeError(States.Runtime, `The SecondsPath parameter cannot be parsed as a long value: ${path.source} == ${text}`);
  }
  const n = Number(text);
  if (n < 0) throw runtimeError(States.Runtime, `The SecondsPath parameter references a negative value: ${path.source} == ${text}`);
  return n;
}
