import type { Json, JsonObject } from '../../core/json.js';
import { StatesError, States } from '../errors.js';
import { payloadDetails } from '../history.js';
import type { Frame, StateEntry, StateOutcome } from '../runtime.js';
import { isoTime } from '../runtime.js';
import { checkPayloadSize } from '../payload-limit.js';

export type QueryLanguage = 'JSONPath' | 'JSONata';

/** The parts every state shares: its name, type, transition, and how it appears in history. */
export abstract class StateBase {
  readonly next: string | undefined;
  /** History name of the type, e.g. "Pass" → PassStateEntered. */
  readonly typeName: string;

  constructor(
    readonly name: string,
    readonly raw: JsonObject,
    readonly queryLanguage: QueryLanguage,
  ) {
    this.typeName = String(raw['Type']);
    this.next = typeof raw['Next'] === 'string' ? raw['Next'] : undefined;
  }

  /** Runs the state; throws a StatesError (already prefixed) when it fails and nothing catches it. */
  abstract run(input: Json, frame: Frame): StateOutcome | Promise<StateOutcome>;

  /**
   * States that wait on something outside (Task, Wait): while one is in progress its thread names
   * it, so a failing Map or Parallel can record `<Type>StateAborted` for it, as AWS does.
   */
  protected get abortable(): boolean {
    return false;
  }

  /** Whether `$$.State.RetryCount` exists (states that can retry). */
  protected get hasRetryCount(): boolean {
    return false;
  }

  protected enter(input: Json, frame: Frame): StateEntry {
    const h = frame.rt.history;
    const prev = frame.thread.last;
    const id = h.enabled
      ? h.emit(frame.thread, this.typeName + 'StateEntered', { name: this.name, ...payloadDetails('input', input) })
      : h.emit(frame.thread, this.typeName + 'StateEntered');
    if (this.abortable) frame.thread.running = this.typeName;
    // A replayed event keeps its recorded time, so $$.State.EnteredTime reads as it did.
    const recorded = h.timestampOf(id);
    const at = Number.isNaN(recorded) ? frame.rt.clock.now() : recorded;
    return {
      name: this.name,
      enteredEventId: id,
      enteredPreviousEventId: prev,
      enteredTime: isoTime(at),
      enteredAt: at,
      retryCount: 0,
    };
  }

  /** Emits StateExited; checks the output against AWS's payload quota first. */
  protected exit(entry: StateEntry, output: Json, frame: Frame, assigned?: Map<string, Json>): void {
    checkPayloadSize(output, this.name);
    if (frame.thread.running !== undefined) frame.thread.running = undefined;
    const h = frame.rt.history;
    if (!h.enabled) {
      h.emit(frame.thread, this.typeName + 'StateExited');
      return;
    }
    const details: Record<string, unknown> = { name: this.name };
    if (assigned !== undefined && assigned.size > 0) {
      const vars: Record<string, string> = {};
      for (const [k, v] of assigned) vars[k] = JSON.stringify(v);
      details['assignedVariables'] = vars;
      details['assignedVariablesDetails'] = { truncated: false };
    }
    Object.assign(details, payloadDetails('output', output));
    h.emit(frame.thread, this.typeName + 'StateExited', details);
  }

  /**
   * Turns any failure inside the state into the error AWS reports: evaluation errors get the
   * "An error occurred while executing the state ..." prefix, and JSONata evaluation errors are
   * also recorded as an EvaluationFailed event.
   */
  protected failure(e: unknown, entry: StateEntry, frame: Frame): StatesError {
    const err = asStatesError(e);
    if (!err.inStateContext) return err;
    const cause =
      `An error occurred while executing the state '${this.name}' (entered at the event id #${entry.enteredEventId}). ` +
      (err.cause ?? '');
    if (err.error === States.QueryEvaluationError) {
      const h = frame.rt.history;
      const details: Record<string, unknown> = { cause, error: err.error, state: this.name };
      const location = err.location ?? locationFromCause(err.cause ?? '');
      if (location !== undefined) details['location'] = location;
      frame.thread.last = h.emitAfter(this.evaluationFailedPrevious(entry), 'EvaluationFailed', h.enabled ? details : undefined, frame.thread);
    }
    return new StatesError(err.error, cause, false);
  }

  /** AWS chains EvaluationFailed to the event before StateEntered for most states. */
  protected evaluationFailedPrevious(entry: StateEntry): number {
    return entry.enteredPreviousEventId;
  }
}

/** Any thrown value as a StatesError (a bug in our code still fails the execution, visibly). */
export function asStatesError(e: unknown): StatesError {
  if (e instanceof StatesError) return e;
  const message = e instanceof Error ? e.message : String(e);
  return new StatesError(States.Runtime, `Internal error in the local engine: ${message}`, true);
}

/** The field named in an evaluation error's cause, where the evaluator did not set one. */
function locationFromCause(cause: string): string | undefined {
  const m = /specified for the field '([^']+)'/.exec(cause) ?? /^The (\w+) field /.exec(cause);
  return m?.[1];
}
