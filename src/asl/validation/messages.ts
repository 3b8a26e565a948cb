/**
 * AWS's diagnostic wording, in one place.
 *
 * Where the text comes from (so it can be re-checked when AWS changes it):
 * - Measured against `aws stepfunctions validate-state-machine-definition` and quoted in issue threads
 *   (floci-io/floci#2735, #2968, #3733, #2745 and their tests; localstack/localstack#12487 which
 *   reproduced CreateStateMachine on AWS; LocalStack's AWS-recorded snapshot
 *   test_sfn_api_validation): "Field 'X' is not supported", "These fields are required: [..]",
 *   "Value should be one of the following: [..]", "Expected value of type [STRING]",
 *   "Minimum value is 0" / "Minimum value is 0.0" / "Maximum value is 100.0",
 *   "There should only be one of the following fields: [A, B]", "Missing 'Next' target: X",
 *   `State "X" is not reachable.`, "Workflow has no terminal state", the two QueryLanguage texts,
 *   the Type enum text, the resource-not-recognised text and JSONata parser messages (jsonata's own
 *   message with its "S0xxx: " code dropped).
 * - Quoted from deployment errors in public repositories (less certain, kept because they are the
 *   only wording found): "Invalid State name: State exceeds the 80-character limit allowed by the
 *   service", "Duplicate State name: X", "This object should have only one of the following
 *   fields: [..]" (neither of two required alternatives), "Value cannot be empty",
 *   "Value is not a Reference Path: ...", "The field 'RoleArn' is required but was missing".
 * - Written here in the same style because no AWS text was found: Label, Retry/Catch `States.ALL`
 *   placement, HeartbeatSeconds vs TimeoutSeconds, path syntax and payload-template `.$` values.
 */

export type JsonKind = 'STRING' | 'INTEGER' | 'NUMBER' | 'BOOLEAN' | 'OBJECT' | 'ARRAY';

export const Msg = {
  notSupported: (field: string) => `Field '${field}' is not supported`,
  required: (fields: readonly string[]) => `These fields are required: [${fields.join(', ')}]`,
  fieldRequired: (field: string) => `The field '${field}' is required but was missing`,
  oneOf: (values: readonly string[]) => `Value should be one of the following: [${values.join(', ')}]`,
  stateType: (values: readonly string[]) => `The field 'Type' should have one of these values: [${values.join(', ')}]`,
  expectedType: (kind: JsonKind) => `Expected value of type [${kind}]`,
  minimum: (min: string) => `Minimum value is ${min}`,
  maximum: (max: string) => `Maximum value is ${max}`,
  onlyOneOf: (fields: readonly string[]) => `There should only be one of the following fields: [${fields.join(', ')}]`,
  exactlyOneOf: (fields: readonly string[]) => `This object should have only one of the following fields: [${fields.join(', ')}]`,
  empty: () => 'Value cannot be empty',
  definitionNotObject: () => 'Definition must be a valid JSON object',
  missingDefinition: () => 'Received a null or empty workflow input',

  missingTarget: (target: string) => `Missing 'Next' target: ${target}`,
  unreachable: (name: string) => `State "${name}" is not reachable.`,
  noTerminalState: () => 'Workflow has no terminal state',
  duplicateState: (name: string) => `Duplicate State name: ${name}`,
  stateNameTooLong: () => 'Invalid State name: State exceeds the 80-character limit allowed by the service',
  tooDeep: () => 'The states are too deeply nested',
  jsonTooDeep: (max: number) => `The definition nests objects and arrays more than ${max} levels deep`,

  labelTooLong: () => 'Invalid Label name: Label exceeds the 40-character limit allowed by the service',
  labelEmpty: () => 'Invalid Label name: Label cannot be empty',
  labelChar: (shown: string) => `Invalid Label name: Label contains the invalid character '${shown}'`,
  duplicateLabel: (label: string) => `Duplicate Label name: ${label}`,

  fieldOnlyFor: (language: string, field: string, other: string) =>
    `The QueryLanguage is set to '${language}', but field '${field}' is only supported for the '${other}' QueryLanguage`,
  downgrade: () => "'QueryLanguage' can not be 'JSONPath' if set to 'JSONata' for whole state machine",

  resourceNotRecognised: (arn: string) =>
    `The resource provided ${arn} is not recognized. The value is not a valid resource ARN, or the resource is not available in this region.`,
  // AWS's texts (LocalStack's AWS-recorded test_sfn_api_express), the '.waitForTaskToken' one with its trailing space.
  expressNoSync: () => "Express state machine does not support '.sync' service integration",
  expressNoCallback: () => "Express state machine does not support '.waitForTaskToken' service integration ",
  expressNoActivity: () => 'Express state machine does not support Activity ARN',
  notRfc3339: () => 'String does not match RFC3339 timestamp',
  heartbeatNotBelowTimeout: () => "The field 'HeartbeatSeconds' must be smaller than the field 'TimeoutSeconds'",

  statesAllNotAlone: () => "The value 'States.ALL' must appear alone in 'ErrorEquals'",
  statesAllNotLast: (field: 'Retry' | 'Catch') =>
    `The element with 'States.ALL' in 'ErrorEquals' must be the last one in '${field}'`,

  notReferencePath: (reason: string) => `Value is not a Reference Path: ${reason}`,
  /**
   * AWS's text (a CloudFormation deployment error quotes it for an OutputPath without '$'); where we
   * know more about what is wrong, the reason follows in parentheses.
   */
  notJsonPath: (reason?: string) => (reason === undefined ? 'Value must be a valid JSONPath.' : `Value must be a valid JSONPath. (${reason})`),
  badDollarField: (key: string) => `The value for the field '${key}' must be a valid JSONPath or a valid intrinsic function call`,
} as const;
