/**
 * Definition validation as AWS's CreateStateMachine / ValidateStateMachineDefinition does it:
 * a definition AWS would create yields no problems; one it would refuse yields AWS's codes,
 * locations and messages.
 */
export type { DefinitionProblem } from './problem.js';
export { Code as DefinitionProblemCode } from './problem.js';
export { validateDefinition, type ValidationOptions } from './validate-definition.js';
export { formatProblems } from './format-problems.js';

/** CreateStateMachine's limit on a definition's length, in characters. */
export const MAX_DEFINITION_CHARS = 1_048_576;
