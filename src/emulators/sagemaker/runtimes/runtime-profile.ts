/**
 * A local runtime: what stands for a SageMaker image when it runs without Docker (the built-in
 * table's rows and the user's runtimes.json entries both become one of these).
 */
import type { MetricDefinition, ServingStack, TrainingContract } from '../../../core/runtime-images.js';

export interface RuntimeProfile {
  readonly name: string;
  /** For messages and `doctor` ("SageMaker XGBoost 1.7-1"). */
  readonly title: string;
  /** Image URIs; `*` matches any run of characters, the rest is literal. */
  readonly images: readonly string[];
  /** The interpreter that `python`/`python3` in a command stands for. */
  readonly python: string;
  /** PATH inside the job (the interpreter's folder is put first if missing). */
  readonly path: string;
  /** Modules the image ships and scripts expect; checked once before the first job. */
  readonly modules: readonly string[];
  /** How to install each module on this machine, for the error message (module -> package). */
  readonly install: Readonly<Record<string, string>>;
  /** The real image's version of each module (module -> distribution name and version), for `doctor`. */
  readonly libraries: Readonly<Record<string, { readonly library: string; readonly version: string }>>;
  /** The real image's Python version ('' when unknown). */
  readonly imagePython: string;
  /** The image's ENTRYPOINT and CMD (exec form); both empty for the SageMaker framework images. */
  readonly entrypoint: readonly string[];
  readonly cmd: readonly string[];
  /** The image's ENV. */
  readonly env: Readonly<Record<string, string>>;
  /** `train` is the SageMaker training toolkit: script mode with sagemaker_program. */
  readonly trainingToolkit: boolean;
  readonly training: TrainingContract;
  readonly serving: ServingStack;
  /** Metric definitions SageMaker attaches to training jobs on the image when the request has none. */
  readonly metricDefinitions: readonly MetricDefinition[];
  /** Where the profile comes from: the built-in table or the user's runtimes.json. */
  readonly source: 'builtin' | 'user';
}
