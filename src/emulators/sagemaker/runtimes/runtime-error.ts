/**
 * Why an image cannot run locally. The job runner turns it into a job's FailureReason
 * (`ClientError: ...` for an image nobody mapped, `InternalServerError: ...` for a runtime this
 * machine lacks), hosting into a model server that fails to start, `doctor` into a line of advice.
 */
export type RuntimeFault = 'ClientError' | 'InternalServerError';

export class RuntimeUnavailable extends Error {
  constructor(
    /** SageMaker's side at fault: the request (an unmapped image) or the platform (a missing interpreter or module). */
    readonly kind: RuntimeFault,
    message: string,
  ) {
    super(message);
    this.name = 'RuntimeUnavailable';
  }
}
