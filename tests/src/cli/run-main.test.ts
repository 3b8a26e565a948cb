/**
 * The CLI's side of the error contract: the services', emulators' and Lambdas' typed errors become
 * one line and an exit status here, at the CLI's edge; only a bug prints a stack.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { UserError } from '../../../src/core/errors.js';
import { exitCodeFor } from '../../../src/cli/run-main.js';
import { InvalidDefinitionError } from '../../../src/asl/machine.js';
import { NoSuchKeyError } from '../../../src/emulators/s3/errors.js';
import { InvalidS3UriError } from '../../../src/emulators/s3/uri.js';
import { SageMakerRuntimeError } from '../../../src/emulators/sagemaker/runtime-errors.js';
import { SageMakerError } from '../../../src/emulators/sagemaker/service/errors.js';
import { StepFunctionsError } from '../../../src/engine/step-functions/index.js';
import { ExecutionNameTakenError, InvalidTriggerEventError, PipelineFileNotFoundError } from '../../../src/lambda/index.js';

test('errors a caller can fix exit 2 with their message on one line', () => {
  for (const e of [
    new StepFunctionsError('ExecutionDoesNotExist', "Execution Does Not Exist: 'arn:x'"),
    new SageMakerError('ResourceNotFound', 'Could not find endpoint "census".'),
    new NoSuchKeyError('b', 'k'),
    new InvalidDefinitionError('Invalid State Machine Definition: ...'),
    new InvalidS3UriError('s3:/x', 'no bucket'),
    new SageMakerRuntimeError('ValidationError', 'Endpoint census of account 111111111111 not found.'),
    new PipelineFileNotFoundError('s3://b/k: no such object'),
    new InvalidTriggerEventError('Invalid event {}'),
    new ExecutionNameTakenError('An execution named x already exists'),
  ]) {
    const r = exitCodeFor(e);
    assert.deepEqual(r, { code: 2, line: e.message }, e.name);
    assert.ok(!(e instanceof UserError), `${e.name} is not a CLI UserError`);
  }
});

test("a service's own failure (AWS's 5xx) exits 1 naming the error; a UserError keeps its command's exit status", () => {
  assert.deepEqual(exitCodeFor(new SageMakerRuntimeError('ServiceUnavailable', 'try again')), { code: 1, line: 'ServiceUnavailable: try again' });
  assert.deepEqual(exitCodeFor(new UserError('the run failed', 'RUN_FAILED', 1)), { code: 1, line: 'the run failed' });
});

test('anything else is a bug: exit 70 with its stack, to report', () => {
  const r = exitCodeFor(new TypeError('x is undefined'));
  assert.equal(r.code, 70);
  assert.match(r.line, /^internal error \(please report\): TypeError: x is undefined\n\s+at /);
});
