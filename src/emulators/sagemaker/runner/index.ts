/** The local SageMaker job runner: processing and training jobs as sandboxed local processes. */
export { createJobRunner, type JobRunnerOptions, type JobTimings } from './job-runner.js';
export { SANDBOX_ENV, type SandboxMode } from './sandbox.js';
export { MetricCollector, type MetricDatum } from './metrics.js';
/** Where a training job's model lands, known before it runs (ModelArtifacts is a required Describe field). */
export { modelArtifactsUri } from './artifacts-upload.js';
