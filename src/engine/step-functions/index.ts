export {
  LocalStepFunctions,
  type LocalStepFunctionsOptions,
  type StartOptions,
  type StepFunctionsServices,
} from './service.js';
export { StepFunctionsError, validationError, type StepFunctionsErrorName } from './errors.js';
export { MAX_DEFINITION_CHARS, MAX_PAYLOAD_BYTES } from './requests.js';
export { currentOwner, ownerAlive } from './process-owner.js';
export { PROCESS_ENDED_ERROR, processEndedCause } from './orphans.js';
export { notRedrivableReason, REDRIVE_WINDOW_MS } from './shapes.js';
