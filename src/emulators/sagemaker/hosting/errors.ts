/**
 * Why a model server did not start. `message` is the FailureReason SageMaker records for the
 * endpoint (AWS's wording); `detail` is what actually went wrong locally (the Python exception),
 * which AWS would only show in CloudWatch. The full traceback is in the server's log file.
 */
export type StartStage =
  | 'model_data'
  | 'code'
  | 'requirements'
  | 'model_archive'
  | 'code_archive'
  | 'import'
  | 'model_fn'
  | 'bind'
  | 'spawn'
  | 'timeout'
  | 'ping'
  | 'start';

const PING_FAILURE = (variant: string): string =>
  `The primary container for production variant ${variant} did not pass the ping health check. Please check CloudWatch logs for this endpoint.`;

export class ModelServerStartError extends Error {
  constructor(
    readonly stage: StartStage,
    /** The local cause, e.g. "FileNotFoundError: ... model.joblib ...". */
    readonly detail: string,
    readonly logFile: string,
    /** Set for failures SageMaker reports with their own text (model data missing or not a tar.gz). */
    private readonly ownReason?: string,
  ) {
    super(ownReason ?? PING_FAILURE('AllTraffic'));
    this.name = 'ModelServerStartError';
  }

  /** The endpoint's FailureReason for a given production variant. */
  failureReasonFor(variantName: string): string {
    return this.ownReason ?? PING_FAILURE(variantName);
  }

  /** One line for people: AWS's reason plus the local cause and where the log is. */
  describe(): string {
    return `${this.message} Local cause (${this.stage}): ${this.detail} (log: ${this.logFile})`;
  }
}

export function modelDataNotFound(url: string): string {
  return `Could not find model data at ${url}.`;
}

export function modelArchiveInvalid(url: string): string {
  return `Failed to extract model data archive from URL "${url}". Please ensure that the object located at the URL is a valid tar.gz archive.`;
}
