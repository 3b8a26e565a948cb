/**
 * The stage-failure Lambda: where a failed stage ends the run. Catching a stage's error (to retry a
 * job SageMaker had no capacity for, and to say which stage failed) would leave a Fail state as the
 * execution's failed state, and RedriveExecution restarts the failed state: it would only fail
 * again. So the run fails in this Task instead: first with the stage's error and cause; when the
 * execution is redriven, the Task runs again, sees a redrive count above the one recorded with the
 * failure, and succeeds, and the state machine goes back to the state that failed.
 *
 * The error keeps the stage's error name (the Node.js runtime reports an error's name as Lambda's
 * errorType, which Step Functions reports as the task's error), and its message is the cause.
 */
import { LocalError } from '../core/errors.js';
import { PIPELINE_ERRORS, STATES_ERRORS } from '../core/error-catalogue.js';

export interface StageFailureEvent {
  error: string;
  cause: string;
  /** False on a redrive: answer so the execution goes back to the failed state. */
  raise: boolean;
}

export interface StageFailureResult {
  redriven: true;
}

/** Thrown for an event that is not `{"error", "cause", "raise"}`. */
export class InvalidStageFailureEventError extends LocalError {
  constructor(message: string) {
    super(PIPELINE_ERRORS.InvalidStageFailureEvent, message);
  }
}

/** An error named `name` (its class carries the name too: the local Lambda integration reports the class's name, as Node's runtime reports `name`). */
function namedError(name: string, message: string): Error {
  const Named = { [name]: class extends Error {} }[name]!;
  const e = new Named(message);
  Object.defineProperty(e, 'name', { value: name, enumerable: false, configurable: true, writable: true });
  // The failure happened in the stage, not here: no frames of this handler in the cause.
  e.stack = `${name}: ${message}`;
  return e;
}

export async function stageFailureHandler(event: unknown): Promise<StageFailureResult> {
  const e = event as Partial<StageFailureEvent> | null;
  if (e === null || typeof e !== 'object' || typeof e.error !== 'string' || typeof e.cause !== 'string' || typeof e.raise !== 'boolean') {
    throw new InvalidStageFailureEventError('Invalid event: expected {"error": string, "cause": string, "raise": boolean} from the pipeline state machine');
  }
  if (e.raise) throw namedError(e.error === '' ? STATES_ERRORS.TaskFailed : e.error.slice(0, 256), e.cause);
  return { redriven: true };
}

/** The Lambda entry point in AWS. */
export const handler = stageFailureHandler;

/**
 * The cause a person reads: a stage failure reaches the execution as Lambda's error payload
 * (`{"errorMessage": "Stage training failed ...", "errorType": ..., ...}`); its message is the cause.
 * Any other cause is returned as it is.
 */
export function readableCause(cause: string): string {
  if (!cause.startsWith('{"errorMessage"')) return cause;
  try {
    const v = JSON.parse(cause) as { errorMessage?: unknown };
    return typeof v.errorMessage === 'string' ? v.errorMessage : cause;
  } catch {
    return cause;
  }
}
