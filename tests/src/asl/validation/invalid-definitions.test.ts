import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { JsonObject } from '../../../../src/core/json.js';
import { validateDefinition, type DefinitionProblem } from '../../../../src/asl/validation/index.js';

/**
 * Definitions AWS refuses, with the problems it reports. Each case asserts the complete list
 * (code, location, message), so an extra or a missing diagnostic fails it too.
 */

const S = 'SCHEMA_VALIDATION_FAILED';
const TARGET = 'MISSING_TRANSITION_TARGET';

const schema = (location: string, message: string): DefinitionProblem => ({ code: S, location, message });

/** A machine around the given states, starting at the first one. */
function machine(states: JsonObject, extra: JsonObject = {}): JsonObject {
  return { StartAt: Object.keys(states)[0], States: states, ...extra };
}
const pass = (fields: JsonObject = {}): JsonObject => ({ Type: 'Pass', End: true, ...fields });
const task = (fields: JsonObject = {}): JsonObject => ({ Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', End: true, ...fields });
const subMachine = (states: JsonObject): JsonObject => ({ StartAt: Object.keys(states)[0], States: states });
const map = (fields: JsonObject = {}): JsonObject => ({ Type: 'Map', ItemProcessor: subMachine({ P: pass() }), End: true, ...fields });
const choice = (rules: JsonObject[], fields: JsonObject = {}): JsonObject => ({ Type: 'Choice', Choices: rules, Default: 'Done', ...fields });
/** The same state moving on to `target` instead of ending. */
function goingTo(state: JsonObject, target: string): JsonObject {
  const { End: _end, ...rest } = state;
  return { ...rest, Next: target };
}
const withDone = (states: JsonObject): JsonObject => machine({ ...states, Done: { Type: 'Succeed' } });
const jsonata = (states: JsonObject): JsonObject => machine(states, { QueryLanguage: 'JSONata' });

interface Case {
  name: string;
  definition: unknown;
  expected: DefinitionProblem[];
}

const CASES: Case[] = [
  // ── the document and its top level ──
  { name: 'a definition that is not an object', definition: [1], expected: [schema('', 'Definition must be a valid JSON object')] },
  { name: 'blank definition text', definition: '  ', expected: [schema('', 'Definition must be a valid JSON object')] },
  { name: 'a missing definition', definition: null, expected: [{ code: 'MISSING_DESCRIPTION', location: '', message: 'Received a null or empty workflow input' }] },
  { name: 'an empty object', definition: {}, expected: [schema('/', 'These fields are required: [States, StartAt]')] },
  { name: 'no StartAt', definition: { States: { A: pass() } }, expected: [schema('/', 'These fields are required: [StartAt]')] },
  {
    name: 'StartAt naming no state',
    definition: { StartAt: 'Nope', States: { A: pass() } },
    expected: [
      { code: TARGET, location: '/StartAt', message: "Missing 'Next' target: Nope" },
      { code: TARGET, location: '/States/A', message: 'State "A" is not reachable.' },
    ],
  },
  { name: 'an unknown top-level field', definition: machine({ A: pass() }, { Coment: 'typo' }), expected: [schema('/', "Field 'Coment' is not supported")] },
  { name: 'a Version other than 1.0', definition: machine({ A: pass() }, { Version: '2.0' }), expected: [schema('/Version', 'Value should be one of the following: [1.0]')] },
  { name: 'a zero machine TimeoutSeconds', definition: machine({ A: pass() }, { TimeoutSeconds: 0 }), expected: [schema('/TimeoutSeconds', 'Minimum value is 1')] },
  { name: 'a fractional machine TimeoutSeconds', definition: machine({ A: pass() }, { TimeoutSeconds: 1.5 }), expected: [schema('/TimeoutSeconds', 'Expected value of type [INTEGER]')] },
  {
    name: 'a QueryLanguage outside the enum',
    definition: machine({ A: pass() }, { QueryLanguage: 'jsonata' }),
    expected: [schema('/QueryLanguage', 'Value should be one of the following: [JSONPath, JSONata]')],
  },
  { name: 'a QueryLanguage that is not a string', definition: machine({ A: pass() }, { QueryLanguage: 5 }), expected: [schema('/QueryLanguage', 'Expected value of type [STRING]')] },
  { name: 'a Comment that is not a string', definition: machine({ A: pass() }, { Comment: 3 }), expected: [schema('/Comment', 'Expected value of type [STRING]')] },
  { name: 'an empty States object', definition: { StartAt: 'A', States: {} }, expected: [schema('/States', 'Value cannot be empty')] },

  // ── every state ──
  {
    name: 'an unknown state Type',
    definition: machine({ A: { Type: 'Pause', End: true } }),
    expected: [schema('/States/A/Type', "The field 'Type' should have one of these values: [Task, Wait, Pass, Succeed, Fail, Choice, Parallel, Map]")],
  },
  { name: 'a state without Type', definition: machine({ A: { End: true } }), expected: [schema('/States/A', 'These fields are required: [Type]')] },
  { name: 'an unknown state field', definition: machine({ A: pass({ Foo: 1 }) }), expected: [schema('/States/A', "Field 'Foo' is not supported")] },
  {
    name: 'Catch on a Pass state',
    definition: machine({ A: pass({ Catch: [{ ErrorEquals: ['States.ALL'], Next: 'A' }] }) }),
    expected: [schema('/States/A', "Field 'Catch' is not supported")],
  },
  {
    name: 'TimeoutSeconds on a Parallel state',
    definition: machine({ P: { Type: 'Parallel', TimeoutSeconds: 5, Branches: [subMachine({ W: pass() })], End: true } }),
    expected: [schema('/States/P', "Field 'TimeoutSeconds' is not supported")],
  },
  { name: 'both Next and End', definition: withDone({ A: pass({ Next: 'Done' }) }), expected: [schema('/States/A', 'There should only be one of the following fields: [Next, End]')] },
  { name: 'neither Next nor End', definition: machine({ A: { Type: 'Pass' }, B: pass() }), expected: [
    schema('/States/A', 'This object should have only one of the following fields: [Next, End]'),
    { code: TARGET, location: '/States/B', message: 'State "B" is not reachable.' },
  ] },
  { name: 'Next on a Succeed state', definition: machine({ A: { Type: 'Succeed', Next: 'A' } }), expected: [schema('/States/A', "Field 'Next' is not supported")] },
  { name: 'a Next naming no state', definition: machine({ A: goingTo(pass(), 'Ghost'), B: pass() }), expected: [
    { code: TARGET, location: '/States/A/Next', message: "Missing 'Next' target: Ghost" },
    { code: TARGET, location: '/States/B', message: 'State "B" is not reachable.' },
  ] },
  {
    name: 'a state nothing transitions to',
    definition: machine({ A: pass(), B: pass() }),
    expected: [{ code: TARGET, location: '/States/B', message: 'State "B" is not reachable.' }],
  },
  {
    name: 'a state name longer than 80 characters',
    definition: machine({ ['N'.repeat(81)]: pass() }),
    expected: [{ code: 'INVALID_STATE_NAME', location: `/States/${'N'.repeat(81)}`, message: 'Invalid State name: State exceeds the 80-character limit allowed by the service' }],
  },
  {
    name: 'a state name used again inside a Parallel branch',
    definition: machine({ A: { Type: 'Parallel', Branches: [subMachine({ A: pass() })], End: true } }),
    expected: [{ code: 'DUPLICATE_STATE_NAME', location: '/States/A/Branches[0]/States/A', message: 'Duplicate State name: A' }],
  },
  {
    name: 'a loop with no terminal state',
    definition: machine({ A: { Type: 'Pass', Next: 'B' }, B: { Type: 'Pass', Next: 'A' }, Unused: { Type: 'Pass', Next: 'A' } }),
    expected: [{ code: 'MISSING_END_STATE', location: '', message: 'Workflow has no terminal state' }],
  },

  // ── query languages ──
  {
    name: 'JSONPath-only fields in a JSONata state',
    definition: jsonata({ A: pass({ InputPath: '$.a', ResultPath: '$.c' }) }),
    expected: [
      schema('/States/A', "The QueryLanguage is set to 'JSONata', but field 'InputPath' is only supported for the 'JSONPath' QueryLanguage"),
      schema('/States/A', "The QueryLanguage is set to 'JSONata', but field 'ResultPath' is only supported for the 'JSONPath' QueryLanguage"),
    ],
  },
  {
    name: 'Output in a JSONPath state',
    definition: machine({ A: pass({ Output: { v: 1 } }) }),
    expected: [schema('/States/A', "The QueryLanguage is set to 'JSONPath', but field 'Output' is only supported for the 'JSONata' QueryLanguage")],
  },
  {
    name: 'Arguments in a JSONPath Task',
    definition: machine({ T: task({ Arguments: { payload: 'x' } }) }),
    expected: [schema('/States/T', "The QueryLanguage is set to 'JSONPath', but field 'Arguments' is only supported for the 'JSONata' QueryLanguage")],
  },
  {
    name: 'a state switching back to JSONPath in a JSONata machine',
    definition: jsonata({ A: pass({ QueryLanguage: 'JSONPath', Output: { v: '{% 1 %}' } }) }),
    expected: [schema('/States/A', "'QueryLanguage' can not be 'JSONPath' if set to 'JSONata' for whole state machine")],
  },
  {
    name: 'QueryLanguage on an ItemProcessor',
    definition: machine({ M: map({ ItemProcessor: { QueryLanguage: 'JSONata', ...subMachine({ P: pass() }) } }) }),
    expected: [schema('/States/M/ItemProcessor', "Field 'QueryLanguage' is not supported")],
  },
  {
    name: 'a JSONata Map leaving its inner states on the machine language',
    definition: machine({ M: map({ QueryLanguage: 'JSONata', Items: '{% [1, 2] %}', ItemProcessor: subMachine({ P: pass({ Output: { d: '{% $states.input * 2 %}' } }) }) }) }),
    expected: [schema('/States/M/ItemProcessor/States/P', "The QueryLanguage is set to 'JSONPath', but field 'Output' is only supported for the 'JSONata' QueryLanguage")],
  },

  // ── Choice ──
  { name: 'a Choice without Choices', definition: withDone({ C: { Type: 'Choice', Default: 'Done' } }), expected: [schema('/States/C', 'These fields are required: [Choices]')] },
  { name: 'an empty Choices array', definition: withDone({ C: choice([]) }), expected: [schema('/States/C/Choices', 'Value cannot be empty')] },
  {
    name: 'a rule with two comparison operators',
    definition: withDone({ C: choice([{ Variable: '$.x', StringEquals: 'a', NumericEquals: 1, Next: 'Done' }]) }),
    expected: [schema('/States/C/Choices[0]', 'There should only be one of the following fields: [StringEquals, NumericEquals]')],
  },
  {
    name: 'a numeric operator given a string',
    definition: withDone({ C: choice([{ Variable: '$.x', NumericEquals: '1', Next: 'Done' }]) }),
    expected: [schema('/States/C/Choices[0]/NumericEquals', 'Expected value of type [NUMBER]')],
  },
  {
    name: 'an operator without Variable',
    definition: withDone({ C: choice([{ StringEquals: 'a', Next: 'Done' }]) }),
    expected: [schema('/States/C/Choices[0]', 'These fields are required: [Variable]')],
  },
  {
    name: 'Next inside a nested And rule',
    definition: withDone({ C: choice([{ And: [{ Variable: '$.x', IsPresent: true, Next: 'Done' }], Next: 'Done' }]) }),
    expected: [schema('/States/C/Choices[0]/And[0]', "Field 'Next' is not supported")],
  },
  {
    name: 'a Not that is not a rule object',
    definition: withDone({ C: choice([{ Not: [{ Variable: '$.x', IsNull: true }], Next: 'Done' }]) }),
    expected: [schema('/States/C/Choices[0]/Not', 'Expected value of type [OBJECT]')],
  },
  {
    name: 'a rule with neither a comparison nor a combinator',
    definition: withDone({ C: choice([{ Next: 'Done' }]) }),
    expected: [schema('/States/C/Choices[0]', 'This object should have only one of the following fields: [And, Or, Not, Variable]')],
  },
  { name: 'a top-level rule without Next', definition: withDone({ C: choice([{ Variable: '$.x', IsNull: true }]) }), expected: [schema('/States/C/Choices[0]', 'These fields are required: [Next]')] },
  {
    name: 'a JSONata rule written the JSONPath way',
    definition: machine({ C: choice([{ Variable: '$.x', IsNull: true, Next: 'Done' }]), Done: { Type: 'Succeed' } }, { QueryLanguage: 'JSONata' }),
    expected: [
      schema('/States/C/Choices[0]', "The QueryLanguage is set to 'JSONata', but field 'Variable' is only supported for the 'JSONPath' QueryLanguage"),
      schema('/States/C/Choices[0]', "The QueryLanguage is set to 'JSONata', but field 'IsNull' is only supported for the 'JSONPath' QueryLanguage"),
      schema('/States/C/Choices[0]', 'These fields are required: [Condition]'),
    ],
  },
  {
    name: 'a Default naming no state',
    definition: machine({ C: choice([{ Variable: '$.x', IsNull: true, Next: 'Done' }], { Default: 'Ghost' }), Done: { Type: 'Succeed' } }),
    expected: [{ code: TARGET, location: '/States/C/Default', message: "Missing 'Next' target: Ghost" }],
  },

  // ── Wait and Fail ──
  {
    name: 'a Wait with both Seconds and Timestamp',
    definition: machine({ W: { Type: 'Wait', Seconds: 1, Timestamp: '2024-01-01T00:00:00Z', End: true } }),
    expected: [schema('/States/W', 'There should only be one of the following fields: [SecondsPath, Seconds, TimestampPath, Timestamp]')],
  },
  {
    name: 'a Wait that says nothing about how long',
    definition: machine({ W: { Type: 'Wait', End: true } }),
    expected: [schema('/States/W', 'This object should have only one of the following fields: [SecondsPath, Seconds, TimestampPath, Timestamp]')],
  },
  { name: 'negative Wait Seconds', definition: machine({ W: { Type: 'Wait', Seconds: -1, End: true } }), expected: [schema('/States/W/Seconds', 'Minimum value is 0')] },
  {
    name: 'a Fail with both Error and ErrorPath',
    definition: machine({ F: { Type: 'Fail', Error: 'E', ErrorPath: '$.e' } }),
    expected: [schema('/States/F/Error', 'There should only be one of the following fields: [Error, ErrorPath]')],
  },
  {
    name: 'a Fail with both Cause and CausePath',
    definition: machine({ F: { Type: 'Fail', Cause: 'c', CausePath: '$.c' } }),
    expected: [schema('/States/F/Cause', 'There should only be one of the following fields: [Cause, CausePath]')],
  },
  {
    name: 'an ErrorPath that is neither a path nor an intrinsic',
    definition: machine({ F: { Type: 'Fail', ErrorPath: 'ErrorX' } }),
    expected: [schema('/States/F/ErrorPath', "The value for the field 'ErrorPath' must be a valid JSONPath or a valid intrinsic function call")],
  },

  // ── Task ──
  { name: 'a Task without Resource', definition: machine({ T: { Type: 'Task', End: true } }), expected: [schema('/States/T', 'These fields are required: [Resource]')] },
  {
    name: 'a Resource that is no ARN shape AWS knows',
    definition: machine({ T: task({ Resource: 'createToken' }) }),
    expected: [schema('/States/T/Resource', 'The resource provided createToken is not recognized. The value is not a valid resource ARN, or the resource is not available in this region.')],
  },
  {
    name: 'both TimeoutSeconds and TimeoutSecondsPath',
    definition: machine({ T: task({ TimeoutSeconds: 5, TimeoutSecondsPath: '$.t' }) }),
    expected: [schema('/States/T/TimeoutSeconds', 'There should only be one of the following fields: [TimeoutSeconds, TimeoutSecondsPath]')],
  },
  {
    name: 'a heartbeat not smaller than the timeout',
    definition: machine({ T: task({ TimeoutSeconds: 10, HeartbeatSeconds: 10 }) }),
    expected: [schema('/States/T/HeartbeatSeconds', "The field 'HeartbeatSeconds' must be smaller than the field 'TimeoutSeconds'")],
  },
  { name: 'a zero Task TimeoutSeconds', definition: machine({ T: task({ TimeoutSeconds: 0 }) }), expected: [schema('/States/T/TimeoutSeconds', 'Minimum value is 1')] },
  { name: 'Credentials without RoleArn', definition: machine({ T: task({ Credentials: {} }) }), expected: [schema('/States/T/Credentials', "The field 'RoleArn' is required but was missing")] },

  // ── Retry and Catch ──
  { name: 'an empty ErrorEquals', definition: machine({ T: task({ Retry: [{ ErrorEquals: [] }] }) }), expected: [schema('/States/T/Retry[0]/ErrorEquals', 'Value cannot be empty')] },
  {
    name: 'States.ALL next to other error names',
    definition: machine({ T: task({ Retry: [{ ErrorEquals: ['States.ALL', 'States.Timeout'] }] }) }),
    expected: [schema('/States/T/Retry[0]/ErrorEquals', "The value 'States.ALL' must appear alone in 'ErrorEquals'")],
  },
  {
    name: 'a States.ALL retrier before another retrier',
    definition: machine({ T: task({ Retry: [{ ErrorEquals: ['States.ALL'] }, { ErrorEquals: ['States.Timeout'] }] }) }),
    expected: [schema('/States/T/Retry[0]', "The element with 'States.ALL' in 'ErrorEquals' must be the last one in 'Retry'")],
  },
  { name: 'a negative MaxAttempts', definition: machine({ T: task({ Retry: [{ ErrorEquals: ['E'], MaxAttempts: -1 }] }) }), expected: [schema('/States/T/Retry[0]/MaxAttempts', 'Minimum value is 0')] },
  { name: 'a BackoffRate below 1', definition: machine({ T: task({ Retry: [{ ErrorEquals: ['E'], BackoffRate: 0.5 }] }) }), expected: [schema('/States/T/Retry[0]/BackoffRate', 'Minimum value is 1.0')] },
  { name: 'a zero IntervalSeconds', definition: machine({ T: task({ Retry: [{ ErrorEquals: ['E'], IntervalSeconds: 0 }] }) }), expected: [schema('/States/T/Retry[0]/IntervalSeconds', 'Minimum value is 1')] },
  {
    name: 'an unknown JitterStrategy',
    definition: machine({ T: task({ Retry: [{ ErrorEquals: ['E'], JitterStrategy: 'HALF' }] }) }),
    expected: [schema('/States/T/Retry[0]/JitterStrategy', 'Value should be one of the following: [FULL, NONE]')],
  },
  { name: 'a retrier without ErrorEquals', definition: machine({ T: task({ Retry: [{ MaxAttempts: 1 }] }) }), expected: [schema('/States/T/Retry[0]', 'These fields are required: [ErrorEquals]')] },
  {
    name: 'a catcher naming no state',
    definition: machine({ T: task({ Catch: [{ ErrorEquals: ['States.ALL'], Next: 'Ghost' }] }) }),
    expected: [{ code: TARGET, location: '/States/T/Catch[0]/Next', message: "Missing 'Next' target: Ghost" }],
  },
  { name: 'a catcher without Next', definition: machine({ T: task({ Catch: [{ ErrorEquals: ['States.ALL'] }] }) }), expected: [schema('/States/T/Catch[0]', 'These fields are required: [Next]')] },

  // ── Parallel and Map ──
  { name: 'a Parallel with no branches', definition: machine({ P: { Type: 'Parallel', Branches: [], End: true } }), expected: [schema('/States/P/Branches', 'Value cannot be empty')] },
  {
    name: 'a branch without StartAt',
    definition: machine({ P: { Type: 'Parallel', Branches: [{ States: { B: pass() } }], End: true } }),
    expected: [schema('/States/P/Branches[0]', 'These fields are required: [StartAt]')],
  },
  {
    name: 'an unreachable state inside a branch',
    definition: machine({ P: { Type: 'Parallel', Branches: [subMachine({ W: pass(), Ghost: pass() })], End: true } }),
    expected: [{ code: TARGET, location: '/States/P/Branches[0]/States/Ghost', message: 'State "Ghost" is not reachable.' }],
  },
  {
    name: 'a Map with neither ItemProcessor nor Iterator',
    definition: machine({ M: { Type: 'Map', End: true } }),
    expected: [schema('/States/M', 'This object should have only one of the following fields: [ItemProcessor, Iterator]')],
  },
  {
    name: 'an unknown processor Mode',
    definition: machine({ M: map({ ItemProcessor: { ProcessorConfig: { Mode: 'SOMETIMES' }, ...subMachine({ P: pass() }) } }) }),
    expected: [schema('/States/M/ItemProcessor/ProcessorConfig/Mode', 'Value should be one of the following: [INLINE, DISTRIBUTED]')],
  },
  {
    name: 'a DISTRIBUTED processor without ExecutionType',
    definition: machine({ M: map({ ItemProcessor: { ProcessorConfig: { Mode: 'DISTRIBUTED' }, ...subMachine({ P: pass() }) } }) }),
    expected: [schema('/States/M/ItemProcessor/ProcessorConfig', 'These fields are required: [ExecutionType]')],
  },
  { name: 'a negative MaxConcurrency', definition: machine({ M: map({ MaxConcurrency: -1 }) }), expected: [schema('/States/M/MaxConcurrency', 'Minimum value is 0')] },
  {
    name: 'both MaxConcurrency and MaxConcurrencyPath',
    definition: machine({ M: map({ MaxConcurrency: 2, MaxConcurrencyPath: '$.limit' }) }),
    expected: [schema('/States/M/MaxConcurrency', 'There should only be one of the following fields: [MaxConcurrency, MaxConcurrencyPath]')],
  },
  { name: 'a tolerated percentage above 100', definition: machine({ M: map({ ToleratedFailurePercentage: 100.5 }) }), expected: [schema('/States/M/ToleratedFailurePercentage', 'Maximum value is 100.0')] },
  { name: 'a negative tolerated percentage', definition: machine({ M: map({ ToleratedFailurePercentage: -1 }) }), expected: [schema('/States/M/ToleratedFailurePercentage', 'Minimum value is 0.0')] },
  {
    name: 'a Label longer than 40 characters',
    definition: machine({ M: map({ Label: 'L'.repeat(41) }) }),
    expected: [{ code: 'INVALID_LABEL_NAME', location: '/States/M/Label', message: 'Invalid Label name: Label exceeds the 40-character limit allowed by the service' }],
  },
  {
    name: 'a Label with a wildcard character',
    definition: machine({ M: map({ Label: 'is-this-valid?' }) }),
    expected: [{ code: 'INVALID_LABEL_NAME', location: '/States/M/Label', message: "Invalid Label name: Label contains the invalid character '?'" }],
  },
  {
    name: 'a Label with a control character',
    definition: machine({ M: map({ Label: 'tab\there' }) }),
    expected: [{ code: 'INVALID_LABEL_NAME', location: '/States/M/Label', message: "Invalid Label name: Label contains the invalid character '\\u0009'" }],
  },
  {
    name: 'the same Label on two Maps',
    definition: machine({ M1: goingTo(map({ Label: 'batch' }), 'M2'), M2: { Type: 'Map', Iterator: subMachine({ Q: pass() }), Label: 'batch', End: true } }),
    expected: [{ code: 'DUPLICATE_LABEL_NAME', location: '/States/M2/Label', message: 'Duplicate Label name: batch' }],
  },
  {
    name: 'an ItemsPath selecting several nodes',
    definition: machine({ M: map({ ItemsPath: '$.items[*]' }) }),
    expected: [schema('/States/M/ItemsPath', 'Value is not a Reference Path: a reference path may contain only names and single indexes')],
  },

  // ── paths and payload templates ──
  { name: 'an InputPath without $', definition: machine({ A: pass({ InputPath: 'items' }) }), expected: [schema('/States/A/InputPath', 'Value must be a valid JSONPath.')] },
  {
    name: 'a ResultPath into the context object',
    definition: machine({ A: pass({ ResultPath: '$$.Execution.Name' }) }),
    expected: [schema('/States/A/ResultPath', "Value is not a Reference Path: a reference path here must start with '$' (the state input)")],
  },
  {
    name: 'a Choice Variable without $',
    definition: withDone({ C: choice([{ Variable: 'States.ArrayLength($.Arns)', NumericEquals: 0, Next: 'Done' }]) }),
    expected: [schema('/States/C/Choices[0]/Variable', "Value is not a Reference Path: Reference path didn't start with '$'")],
  },
  {
    name: 'a ResultPath with a wildcard',
    definition: machine({ A: pass({ ResultPath: '$.a[*]' }) }),
    expected: [schema('/States/A/ResultPath', 'Value is not a Reference Path: a reference path may contain only names and single indexes')],
  },
  {
    name: 'a ".$" key whose value is not a string',
    definition: machine({ A: pass({ Parameters: { 'x.$': 5 } }) }),
    expected: [schema('/States/A/Parameters/x.$', "The value for the field 'x.$' must be a valid JSONPath or a valid intrinsic function call")],
  },
  {
    name: 'a ".$" key calling an unknown intrinsic function',
    definition: machine({ T: task({ Parameters: { nested: { 'id.$': 'States.Nope()' } } }) }),
    expected: [schema('/States/T/Parameters/nested/id.$', "The value for the field 'id.$' must be a valid JSONPath or a valid intrinsic function call")],
  },
  {
    name: 'a ".$" key in a JSONPath Assign with a malformed path',
    definition: machine({ A: pass({ Assign: { 'v.$': '$.a[' } }) }),
    expected: [schema('/States/A/Assign/v.$', "The value for the field 'v.$' must be a valid JSONPath or a valid intrinsic function call")],
  },

  // ── JSONata expressions ──
  {
    name: 'an expression that does not parse',
    definition: jsonata({ A: pass({ Output: '{% 1 + %}' }) }),
    expected: [{ code: 'INVALID_JSONATA_EXPRESSION', location: '/States/A/Output', message: 'Unexpected end of expression' }],
  },
  {
    name: 'an unterminated regular expression inside Arguments',
    definition: jsonata({ T: task({ Arguments: { list: ['{% $match("a", /abc %}'] } }) }),
    expected: [{ code: 'INVALID_JSONATA_EXPRESSION', location: '/States/T/Arguments/list[0]', message: 'No terminating / in regular expression' }],
  },
  {
    name: 'a read of the absent context at the top level',
    definition: jsonata({ A: pass({ Output: { v: '{% phone.number & phone %}' } }) }),
    expected: [{ code: 'UNSUPPORTED_JSONATA_EXPRESSION', location: '/States/A/Output/v', message: "Reference to 'phone' at the top level is not supported." }],
  },
  {
    name: 'the root context $$',
    definition: jsonata({ A: pass({ Output: '{% $$ %}' }) }),
    expected: [{ code: 'UNSUPPORTED_JSONATA_EXPRESSION', location: '/States/A/Output', message: "Reference to '$$' is not supported." }],
  },
  {
    name: '$states.errorOutput outside a catcher',
    definition: jsonata({ A: pass({ Output: '{% $states.errorOutput %}' }) }),
    expected: [{ code: 'UNSUPPORTED_JSONATA_EXPRESSION', location: '/States/A/Output', message: "Field '$states.errorOutput' does not exist." }],
  },
  {
    name: 'a Condition that does not parse',
    definition: machine({ C: choice([{ Condition: '{% $states.input.x = %}', Next: 'Done' }]), Done: { Type: 'Succeed' } }, { QueryLanguage: 'JSONata' }),
    expected: [{ code: 'INVALID_JSONATA_EXPRESSION', location: '/States/C/Choices[0]/Condition', message: 'Unexpected end of expression' }],
  },
  // ── paths: AWS's text for a path field, blanks trimmed as Jayway does ──
  { name: 'an OutputPath that is a bare word', definition: machine({ A: pass({ OutputPath: 'Test' }) }), expected: [schema('/States/A/OutputPath', 'Value must be a valid JSONPath.')] },
  {
    name: 'a blank inside a dot name (only the ends are trimmed)',
    definition: machine({ A: pass({ InputPath: ' $.a b ' }) }),
    expected: [schema('/States/A/InputPath', "Value must be a valid JSONPath. (use bracket notation ['my name'] for a name with blanks)")],
  },
  { name: 'a path that is only blanks', definition: machine({ A: pass({ OutputPath: '   ' }) }), expected: [schema('/States/A/OutputPath', 'Value must be a valid JSONPath.')] },
  // ── Wait: a literal Timestamp must be RFC 3339 (recorded texts) ──
  ...['2016-12-05 21:29:29Z', '2016-12-05T21:29:29', '2016-13-05T21:29:29Z', '2016-12-05T25:29:29Z', '05-12-2016T21:29:29Z', "{% '2016-03-14T01:59:00Z' %}", '2024-02-30T00:00:00Z'].map((t) => ({
    name: `the Wait Timestamp ${t} in a JSONPath state`,
    definition: machine({ W: { Type: 'Wait', Timestamp: t, End: true } }),
    expected: [schema('/States/W/Timestamp', 'String does not match RFC3339 timestamp')],
  })),
  {
    name: 'a literal Wait Timestamp without a zone in a JSONata state',
    definition: jsonata({ W: { Type: 'Wait', Timestamp: '2016-12-05T21:29:29', End: true } }),
    expected: [schema('/States/W/Timestamp', 'String does not match RFC3339 timestamp')],
  },
];

/** EXPRESS state machines: what they cannot wait for (AWS's recorded texts). */
const EXPRESS_CASES: Case[] = [
  {
    name: 'a .sync integration',
    definition: machine({ T: task({ Resource: 'arn:aws:states:::states:startExecution.sync:2' }) }),
    expected: [schema('/States/T/Resource', "Express state machine does not support '.sync' service integration")],
  },
  {
    name: 'a .waitForTaskToken integration inside a Map',
    definition: machine({ M: map({ ItemProcessor: subMachine({ T: task({ Resource: 'arn:aws:states:::sqs:sendMessage.waitForTaskToken' }) }) }) }),
    expected: [schema('/States/M/ItemProcessor/States/T/Resource', "Express state machine does not support '.waitForTaskToken' service integration ")],
  },
  {
    name: 'an activity',
    definition: machine({ T: task({ Resource: 'arn:aws:states:us-east-1:111111111111:activity:work' }) }),
    expected: [schema('/States/T/Resource', 'Express state machine does not support Activity ARN')],
  },
];

describe('EXPRESS state machines AWS refuses', () => {
  for (const c of EXPRESS_CASES) {
    it(`reports ${c.name}`, () => assert.deepEqual(validateDefinition(c.definition, { type: 'EXPRESS' }), c.expected));
    it(`accepts ${c.name} in a STANDARD machine`, () => assert.deepEqual(validateDefinition(c.definition, { type: 'STANDARD' }), []));
  }
});

describe('definitions AWS refuses', () => {
  it('has a broad table of cases', () => assert.ok(CASES.length >= 40, `${CASES.length} cases`));
  for (const c of CASES) {
    it(`reports ${c.name}`, () => {
      assert.deepEqual(validateDefinition(JSON.parse(JSON.stringify(c.definition ?? null))), c.expected);
    });
  }

  it('reports text that is not JSON as INVALID_JSON_DESCRIPTION', () => {
    const [problem, ...rest] = validateDefinition('{not json');
    assert.equal(rest.length, 0);
    assert.equal(problem?.code, 'INVALID_JSON_DESCRIPTION');
    assert.equal(problem?.location, '');
    assert.ok(problem && problem.message.length > 0);
  });

  it('refuses sub-machines nested beyond the limit instead of recursing without bound', () => {
    let inner: JsonObject = subMachine({ Leaf: pass() });
    for (let i = 0; i < 80; i++) inner = subMachine({ [`P${i}`]: { Type: 'Parallel', Branches: [inner], End: true } });
    const problems = validateDefinition(inner);
    assert.equal(problems.length, 1);
    assert.equal(problems[0]?.code, 'TOO_DEEPLY_NESTED');
  });
});

describe('definitions given as JSON text', () => {
  it('reports two states of the same name that JSON.parse would silently merge', () => {
    const text = '{"StartAt":"A","States":{"A":{"Type":"Pass","Next":"B"},"B":{"Type":"Pass","End":true},"A":{"Type":"Succeed"}}}';
    assert.deepEqual(validateDefinition(text)[0], { code: 'DUPLICATE_STATE_NAME', location: '/States/A', message: 'Duplicate State name: A' });
  });
  it('finds the duplicate inside a branch and ignores repeated keys elsewhere', () => {
    const text = JSON.stringify({
      StartAt: 'P',
      States: { P: { Type: 'Parallel', Branches: [{ StartAt: 'X', States: { X: { Type: 'Pass', End: true }, Y: { Type: 'Pass', End: true } } }], End: true } },
    }).replace('"Y":', '"X":').replace('"Type":"Parallel"', '"Type":"Parallel","Comment":"a","Comment":"b"');
    assert.deepEqual(
      validateDefinition(text).filter((p) => p.code === 'DUPLICATE_STATE_NAME'),
      [{ code: 'DUPLICATE_STATE_NAME', location: '/States/P/Branches[0]/States/X', message: 'Duplicate State name: X' }],
    );
  });
  it('reads escaped state names as the names they spell', () => {
    const text = '{"StartAt":"a\\"b","States":{"a\\"b":{"Type":"Succeed"},"a\\u0022b":{"Type":"Succeed"}}}';
    assert.deepEqual(validateDefinition(text).map((p) => p.location), ['/States/a"b']);
  });
});
