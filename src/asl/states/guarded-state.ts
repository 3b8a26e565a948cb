import { isAborted } from '../history.js';
import type { Json, JsonObject } from '../../core/json.js';
import { StatesError, States } from '../errors.js';
import { compileReferencePath, type ReferencePath } from '../jsonpath/index.js';
import { compileJsonataValue, type CompiledJsonata } from '../jsonata/index.js';
import { buildContext, type Frame, type StateEntry, type StateOutcome } from '../runtime.js';
import { assignByJsonata, assignByPath, compileAssign, type CompiledAssign } from './assign.js';
import { JsonPathIO } from './jsonpath-io.js';
import { StateBase, type QueryLanguage } from './state-base.js';
import type { PathScope } from '../scope.js';

interface Retrier {
  errorEquals: string[];
  intervalSeconds: number;
  maxAttempts: number;
  backoffRate: number;
  maxDelaySeconds: number | undefined;
  jitter: boolean;
}

interface Catcher {
  errorEquals: string[];
  next: string;
  resultPath: ReferencePath | null | undefined;
  output: CompiledJsonata | undefined;
  assign: CompiledAssign | undefined;
}

/**
 * Whether an error name is matched by an ErrorEquals list. States.ALL matches everything but
 * States.Runtime (AWS treats it as terminal); States.TaskFailed matches everything but
 * States.Timeout and the terminal errors.
 */
export function errorMatches(errorEquals: readonly string[], error: string | undefined): boolean {
  const name = error ?? '';
  if (name === States.Runtime) return false;
  for (const e of errorEquals) {
    if (e === name) return true;
    if (e === States.ALL) return true;
    if (e === States.TaskFailed && name !== States.Timeout) return true;
  }
  return false;
}

/** The error output a Catch passes on: {"Error", "Cause"}, with "" where AWS has no cause. */
export function errorOutput(err: StatesError): JsonObject {
  return { Error: err.error ?? '', Cause: err.cause ?? '' };
}

/** What one attempt of a guarded state produced. */
export interface AttemptResult {
  output: Json;
  assigned?: Map<string, Json>;
}

/**
 * Task, Parallel and Map: states that produce a result (from a service, branches or iterations),
 * shape it into their output the same way, and have Retry and Catch.
 */
export abstract class GuardedState extends StateBase {
  private readonly retriers: Retrier[];
  private readonly catchers: Catcher[];
  /** JSONPath processing (undefined in JSONata states). */
  protected readonly io: JsonPathIO | undefined;
  /** JSONata Output (undefined in JSONPath states or when absent). */
  protected readonly outputExpr: CompiledJsonata | undefined;
  private readonly assign: CompiledAssign | undefined;

  /** `parametersField`: the JSONPath field that shapes the effective input ("Parameters"), if any. */
  constructor(name: string, raw: JsonObject, ql: QueryLanguage, parametersField: string | undefined) {
    super(name, raw, ql);
    this.retriers = asArray(raw['Retry']).map(compileRetrier);
    this.catchers = asArray(raw['Catch']).map((c) => compileCatcher(c, ql));
    this.assign = compileAssign(raw['Assign'], ql);
    if (ql === 'JSONPath') this.io = new JsonPathIO(raw, parametersField);
    else if (raw['Output'] !== undefined) this.outputExpr = compileJsonataValue(raw['Output'], 'Output');
  }

  run(input: Json, frame: Frame): Promise<StateOutcome> {
    const entry = this.enter(input, frame);
    return this.guarded(input, frame, entry, () => this.attempt(input, frame, entry));
  }

  /** One try of the state's work, up to and including its output; Retry and Catch wrap it. */
  protected abstract attempt(input: Json, frame: Frame, entry: StateEntry): Promise<AttemptResult>;

  /**
   * From the raw result to the state's output: ResultSelector → Assign → ResultPath → OutputPath
   * (JSONPath), or Assign and Output with `$states.result` (JSONata).
   */
  protected async shapeResult(input: Json, result: Json, scope: PathScope): Promise<AttemptResult> {
    if (this.io) {
      const selected = this.io.selectResult(result, scope);
      const assigned = assignByPath(this.assign, { ...scope, input: selected });
      const output = this.io.output(this.io.combine(input, selected), scope);
      return assigned ? { output, assigned } : { output };
    }
    const b = { ...scope, result };
    const assigned = this.assign ? await assignByJsonata(this.assign, b) : undefined;
    const output = this.outputExpr ? await this.outputExpr.evaluate(b) : result;
    return assigned ? { output, assigned } : { output };
  }

  protected override get hasRetryCount(): boolean {
    return true;
  }

  /** The event recorded when the state finally fails (after retries), if the state type has one. */
  protected get failedEventType(): string | undefined {
    return undefined;
  }

  /**
   * Runs `attempt` until it succeeds, a retrier gives up, or a catcher takes the error.
   * `attempt` returns the state's output (already through ResultSelector/ResultPath/OutputPath
   * or Output) and the variables to assign; this method emits StateExited.
   */
  protected async guarded(
    input: Json,
    frame: Frame,
    entry: StateEntry,
    attempt: () => Promise<AttemptResult>,
  ): Promise<StateOutcome> {
    const counts = new Array<number>(this.retriers.length).fill(0);
    for (;;) {
      let err: StatesError;
      try {
        const { output, assigned } = await attempt();
        if (assigned) frame.vars.assignAll(assigned);
        this.exit(entry, output, frame, assigned);
        return { next: this.next, output };
      } catch (e) {
        err = this.failure(e, entry, frame);
      }
      // States.Runtime is terminal; a branch or iteration aborted by a failing sibling stops here too.
      if (err.error === States.Runtime || isAborted(frame.thread)) throw err;
      const ri = this.retriers.findIndex((r) => errorMatches(r.errorEquals, err.error));
      if (ri >= 0) {
        const r = this.retriers[ri]!;
        if (counts[ri]! < r.maxAttempts) {
          // Resuming: a retry already recorded needs no wait; one cut short waits out the rest.
          const h = frame.rt.history;
          if (h.peek(frame.thread) === undefined) {
            const failedAt = h.timestampOf(frame.thread.last);
            const elapsed = Number.isNaN(failedAt) ? 0 : Math.max(0, frame.rt.clock.now() - failedAt);
            await frame.rt.clock.sleep(retryDelayMs(r, counts[ri]!) - elapsed, frame.rt.signal);
          }
          counts[ri]!++;
          entry.retryCount++;
          continue;
        }
      }
      // Only a final failure is recorded (Map/Parallel emit MapStateFailed/ParallelStateFailed);
      // an attempt that will be retried leaves no such event.
      if (this.failedEventType !== undefined) frame.rt.history.emit(frame.thread, this.failedEventType);
      const c = this.catchers.find((x) => errorMatches(x.errorEquals, err.error));
      if (c === undefined) throw err;
      return this.caught(c, err, input, frame, entry);
    }
  }

  private async caught(c: Catcher, err: StatesError, input: Json, frame: Frame, entry: StateEntry): Promise<StateOutcome> {
    const eo = errorOutput(err);
    let output: Json;
    let assigned: Map<string, Json> | undefined;
    try {
      if (this.queryLanguage === 'JSONPath') {
        const scope = { input: eo, context: buildContext(frame, entry, true), variables: frame.vars };
        assigned = assignByPath(c.assign, scope);
        output = c.resultPath === undefined ? eo : c.resultPath === null ? input : c.resultPath.assign(input, eo);
      } else {
        const b = { input, context: buildContext(frame, entry, true), variables: frame.vars, errorOutput: eo };
        assigned = c.assign ? await assignByJsonata(c.assign, b) : undefined;
        output = c.output ? await c.output.evaluate(b) : eo;
      }
    } catch (e) {
      throw this.failure(e, entry, frame);
    }
    if (assigned) frame.vars.assignAll(assigned);
    this.exit(entry, output, frame, assigned);
    return { next: c.next, output };
  }
}

/** AWS's backoff: IntervalSeconds × BackoffRate^attempt, capped by MaxDelaySeconds, FULL jitter in [0, d]. */
/**
 * No execution outlives a year (Standard's limit), so a longer delay means "never" in practice; it
 * is capped there so a huge BackoffRate cannot make Infinity or NaN reach the clock.
 */
const LONGEST_DELAY_SECONDS = 366 * 24 * 3600;

function retryDelayMs(r: Retrier, attempt: number): number {
  let seconds = r.intervalSeconds * Math.pow(r.backoffRate, attempt);
  if (r.maxDelaySeconds !== undefined) seconds = Math.min(seconds, r.maxDelaySeconds);
  if (!(seconds <= LONGEST_DELAY_SECONDS)) seconds = LONGEST_DELAY_SECONDS;
  if (r.jitter) seconds = Math.random() * seconds;
  return seconds * 1000;
}

function asArray(v: Json | undefined): JsonObject[] {
  return Array.isArray(v) ? (v.filter((x) => typeof x === 'object' && x !== null && !Array.isArray(x)) as JsonObject[]) : [];
}

function strings(v: Json | undefined): string[] {
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
}

function compileRetrier(r: JsonObject): Retrier {
  return {
    errorEquals: strings(r['ErrorEquals']),
    intervalSeconds: typeof r['IntervalSeconds'] === 'number' ? r['IntervalSeconds'] : 1,
    maxAttempts: typeof r['MaxAttempts'] === 'number' ? r['MaxAttempts'] : 3,
    backoffRate: typeof r['BackoffRate'] === 'number' ? r['BackoffRate'] : 2,
    maxDelaySeconds: typeof r['MaxDelaySeconds'] === 'number' ? r['MaxDelaySeconds'] : undefined,
    jitter: r['JitterStrategy'] === 'FULL',
  };
}

function compileCatcher(c: JsonObject, ql: QueryLanguage): Catcher {
  const rp = c['ResultPath'];
  return {
    errorEquals: strings(c['ErrorEquals']),
    next: String(c['Next']),
    resultPath: ql === 'JSONata' ? undefined : rp === undefined ? undefined : rp === null ? null : compileReferencePath(String(rp)),
    output: ql === 'JSONata' && c['Output'] !== undefined ? compileJsonataValue(c['Output'], 'Output') : undefined,
    assign: compileAssign(c['Assign'], ql),
  };
}
