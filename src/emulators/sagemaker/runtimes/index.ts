/**
 * Which local runtime stands for a SageMaker image: the one place the job runner, hosting and
 * `mlops-sfn doctor` choose an interpreter, a training contract and a model server for an image
 * URI. Built-in rows come from data/runtimes.json; users map other images in <home>/runtimes.json.
 */
export { RuntimeUnavailable, type RuntimeFault } from './runtime-error.js';
export {
  imagePatternMatches,
  loadUserProfiles,
  RUNTIMES_FILE,
  selectProfile,
  unknownImageMessage,
  type MetricDefinition,
  type RuntimeProfile,
  type ServingStack,
  type TrainingContract,
} from './runtime-profiles.js';
export { builtinProfiles } from './runtime-table.js';
export { imageUri, runtimeRow, runtimeRows, urlSuffixFor, type RuntimeModule, type RuntimeRow } from '../../../core/runtime-images.js';
export { checkRuntime, clearRuntimeCheckCache, installAdvice, probeRuntime, type RuntimeProbe } from './runtime-check.js';
export { resolveRuntime } from './resolve-runtime.js';
export { diagnoseRuntimes, type Diagnosis, type ModuleState, type RuntimeState, type SandboxState } from './runtime-diagnosis.js';
