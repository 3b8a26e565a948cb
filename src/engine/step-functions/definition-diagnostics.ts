/**
 * ValidateStateMachineDefinition: the checks CreateStateMachine makes (src/asl/validation), reported
 * as AWS reports them: `result` OK or FAIL, one diagnostic per problem with its severity, code,
 * message and location (left out where AWS gives none), at most `maxResults` of them (`truncated`
 * says whether more were found). Every problem the local validator finds is an ERROR; AWS's
 * WARNING diagnostics are advice this validator does not produce.
 */
import type { ValidateStateMachineDefinitionDiagnostic, ValidateStateMachineDefinitionInput, ValidateStateMachineDefinitionOutput } from '@aws-sdk/client-sfn';
import { InvalidDefinitionError, loadStateMachine } from '../../asl/machine.js';
import { validateDefinition } from '../../asl/validation/index.js';
import { validationError } from './errors.js';
import { checkLength, MAX_DEFINITION_CHARS, required } from './requests.js';

const MAX_DIAGNOSTICS = 100;

export function validateStateMachineDefinition(input: ValidateStateMachineDefinitionInput): ValidateStateMachineDefinitionOutput {
  const definition = required(input.definition, 'definition');
  checkLength(definition, 'definition', MAX_DEFINITION_CHARS, true);
  const type = input.type ?? 'STANDARD';
  if (type !== 'STANDARD' && type !== 'EXPRESS') throw validationError('type', type, 'Member must satisfy enum value set: [STANDARD, EXPRESS]');
  const severity = input.severity ?? 'ERROR';
  if (severity !== 'ERROR' && severity !== 'WARNING') throw validationError('severity', severity, 'Member must satisfy enum value set: [ERROR, WARNING]');
  const max = input.maxResults ?? 0;
  if (typeof max !== 'number' || !Number.isInteger(max) || max < 0 || max > MAX_DIAGNOSTICS) {
    throw validationError('maxResults', max, `Member must have value less than or equal to ${MAX_DIAGNOSTICS}`);
  }
  const limit = max === 0 ? MAX_DIAGNOSTICS : max;

  const found: ValidateStateMachineDefinitionDiagnostic[] = validateDefinition(definition, { type }).map((p) => {
    const d: ValidateStateMachineDefinitionDiagnostic = { severity: 'ERROR', code: p.code, message: p.message };
    if (p.location !== '') d.location = p.location;
    return d;
  });
  if (found.length === 0) {
    // What the validator lets through but the compiler cannot parse is refused by CreateStateMachine too.
    try {
      loadStateMachine(JSON.parse(definition), { type });
    } catch (e) {
      if (!(e instanceof InvalidDefinitionError)) throw e;
      found.push({ severity: 'ERROR', code: 'SCHEMA_VALIDATION_FAILED', message: e.message });
    }
  }
  // Both severities are at least ERROR-level here, so a WARNING filter shows them all as well.
  return {
    result: found.length === 0 ? 'OK' : 'FAIL',
    diagnostics: found.slice(0, limit),
    truncated: found.length > limit,
  };
}
