export { SageMakerService, SAGEMAKER_ACTIONS, type SageMakerAction, type SageMakerServiceOptions, type AdoptedEndpoint, type SettledOrphan } from './service.js';
export { SageMakerError, isSageMakerError, validationError, type SageMakerErrorCode } from './errors.js';
export { sagemakerArn, nameFromArn, type ResourceKind, type JobKind } from './arns.js';
export { sfnParameterProblem, withoutNulls, type Shape, type StructShape, type ParameterProblem } from './shape.js';
export { requestShape } from './request-shape-table.js';
export { isTerminalJobStatus } from './jobs.js';
export { isEndpointSettled } from './endpoints.js';
