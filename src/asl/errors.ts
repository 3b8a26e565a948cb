import { STATES_ERRORS } from '../core/error-catalogue.js';

/**
 * Errors that travel through a state machine: what Retry and Catch match on, and what ends an
 * execution. `error` and `cause` are exactly what AWS puts in the history (either may be absent:
 * a Fail state without Error reports no error name).
 */
export class StatesError extends Error {
  constructor(
    readonly error: string | undefined,
    override readonly cause: string | undefined,
    /**
     * When true the engine prefixes the cause with AWS's
     * "An error occurred while executing the state 'X' (entered at the event id #N). ".
     * Set by the evaluators (paths, intrinsics, JSONata, validation of runtime values); task
     * failures and Fail states carry their cause verbatim.
     */
    readonly inStateContext = false,
  ) {
    super(`${error ?? '(no error)'}: ${cause ?? '(no cause)'}`);
    this.name = 'StatesError';
  }
  /** The field that failed to evaluate ("Arguments", "Assign/x", "Items"), shown in EvaluationFailed events. */
  location?: string;
}

/** A runtime evaluation error whose cause AWS prefixes with the state name and entered event id. */
export function runtimeError(error: string, cause: string, location?: string): StatesError {
  const e = new StatesError(error, cause, true);
  if (location !== undefined) e.location = location;
  return e;
}

/** The predefined error names (AWS "Error names"), from the error catalogue. */
export const States = STATES_ERRORS;
