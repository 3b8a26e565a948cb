/**
 * The project's error types.
 *
 * `UserError` is what a command of the CLI reports as anything the user can fix (bad file, bad flag,
 * bad definition): the CLI prints its message on one line and exits with its exit code, never a
 * stack trace.
 *
 * `AwsError` and `LocalError` are what the services, emulators and Lambdas raise: a name from the
 * error catalogue (AWS's, or our `Local.` / `Pipeline.` ones) and a message. They know nothing of
 * exit codes: the local APIs answer them in AWS's protocols, the engine turns them into task
 * errors, and the CLI maps them to an exit status at its edge (cli/run-main.ts).
 */
import type { LocalErrorName, PipelineErrorName } from './error-catalogue.js';

export class UserError extends Error {
  constructor(
    message: string,
    /** A stable machine-readable code, e.g. "INVALID_DEFINITION". */
    readonly code: string = 'USER_ERROR',
    readonly exitCode: number = 2,
  ) {
    super(message);
    this.name = 'UserError';
  }
}

/**
 * An AWS API's error, as a local service answers it: AWS's error name (the subclass narrows it to
 * its service's names in the catalogue) and the HTTP status AWS answers it with. A status below 500
 * is the caller's to fix.
 */
export class AwsError extends Error {
  constructor(
    readonly errorName: string,
    message: string,
    readonly statusCode: number = 400,
  ) {
    super(message);
    this.name = errorName;
  }
}

/**
 * An error of our own that a person can fix, named in the catalogue: the local engine's (`Local.`)
 * or the pipeline's and its Lambdas' (`Pipeline.`, raised in AWS too, where it is the Lambda's
 * error type).
 */
export class LocalError extends Error {
  constructor(
    readonly errorName: LocalErrorName | PipelineErrorName,
    message: string,
  ) {
    super(message);
    this.name = errorName;
  }
}
