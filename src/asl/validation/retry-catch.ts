import { isJsonObject, ownValue, type Json, type JsonObject } from '../../core/json.js';
import { States } from '../errors.js';
import type { StateUnderCheck } from './context.js';
import { CATCHER_FIELDS, CATCHER_JSONATA_ONLY, CATCHER_JSONPATH_ONLY, RETRIER_FIELDS } from './field-tables.js';
import { checkJsonataStrings } from './jsonata-expressions.js';
import { Msg } from './messages.js';
import { checkPayloadTemplate } from './payload-template.js';
import { expectEnum, expectKind, expectNumber, expectPath, has } from './value-checks.js';

/** Retry and Catch arrays of Task, Parallel and Map states. */
export function checkRetryAndCatch(s: StateUnderCheck): void {
  const retry = ownValue(s.state, 'Retry');
  if (retry !== undefined) checkErrorHandlers(s, 'Retry', retry);
  const catchers = ownValue(s.state, 'Catch');
  if (catchers !== undefined) checkErrorHandlers(s, 'Catch', catchers);
}

function checkErrorHandlers(s: StateUnderCheck, field: 'Retry' | 'Catch', value: Json): void {
  const { problems } = s.ctx;
  if (!Array.isArray(value)) {
    problems.schema(`${s.location}/${field}`, Msg.expectedType('ARRAY'));
    return;
  }
  for (let i = 0; i < value.length; i++) {
    const at = `${s.location}/${field}[${i}]`;
    const handler = value[i];
    if (!isJsonObject(handler)) {
      problems.schema(at, Msg.expectedType('OBJECT'));
      continue;
    }
    const catchesAll = checkErrorEquals(s, handler, at);
    // States.ALL is a wildcard, so a handler after it could never be reached.
    if (catchesAll && i !== value.length - 1) problems.schema(at, Msg.statesAllNotLast(field));
    if (field === 'Retry') checkRetrier(s, handler, at);
    else checkCatcher(s, handler, at);
  }
}

/** True when this handler is the States.ALL wildcard. */
function checkErrorEquals(s: StateUnderCheck, handler: JsonObject, at: string): boolean {
  const { problems } = s.ctx;
  if (!has(handler, 'ErrorEquals')) return false;
  if (!expectKind(handler, 'ErrorEquals', 'ARRAY', at, problems)) return false;
  const names = handler.ErrorEquals as Json[];
  if (names.length === 0) {
    problems.schema(`${at}/ErrorEquals`, Msg.empty());
    return false;
  }
  let all = false;
  for (let j = 0; j < names.length; j++) {
    if (typeof names[j] !== 'string') problems.schema(`${at}/ErrorEquals[${j}]`, Msg.expectedType('STRING'));
    else if (names[j] === States.ALL) all = true;
  }
  if (all && names.length > 1) problems.schema(`${at}/ErrorEquals`, Msg.statesAllNotAlone());
  return all;
}

function checkRetrier(s: StateUnderCheck, retrier: JsonObject, at: string): void {
  const { problems } = s.ctx;
  for (const key of Object.keys(retrier)) if (!RETRIER_FIELDS.has(key)) problems.schema(at, Msg.notSupported(key));
  if (!has(retrier, 'ErrorEquals')) problems.schema(at, Msg.required(['ErrorEquals']));
  // Retrier fields are static numbers in both query languages.
  // AWS's bounds (the ASL schema AWS validates against): 99999999 for counts and intervals, just
  // over a year (31622401 s) for MaxDelaySeconds; BackoffRate has no upper bound.
  expectNumber(retrier, 'IntervalSeconds', { integer: true, min: 1, max: 99_999_999 }, 'JSONPath', at, problems);
  expectNumber(retrier, 'MaxAttempts', { integer: true, min: 0, max: 99_999_999 }, 'JSONPath', at, problems);
  expectNumber(retrier, 'BackoffRate', { integer: false, min: 1, decimal: true }, 'JSONPath', at, problems);
  expectNumber(retrier, 'MaxDelaySeconds', { integer: true, min: 1, max: 31_622_401 }, 'JSONPath', at, problems);
  expectEnum(retrier, 'JitterStrategy', ['FULL', 'NONE'], at, problems);
  expectKind(retrier, 'Comment', 'STRING', at, problems);
}

function checkCatcher(s: StateUnderCheck, catcher: JsonObject, at: string): void {
  const { problems } = s.ctx;
  for (const key of Object.keys(catcher)) if (!CATCHER_FIELDS.has(key)) problems.schema(at, Msg.notSupported(key));
  const missing = ['ErrorEquals', 'Next'].filter((f) => !has(catcher, f));
  if (missing.length > 0) problems.schema(at, Msg.required(missing));
  expectKind(catcher, 'Next', 'STRING', at, problems);
  expectKind(catcher, 'Comment', 'STRING', at, problems);

  const other = s.language === 'JSONPath' ? 'JSONata' : 'JSONPath';
  const foreign = s.language === 'JSONPath' ? CATCHER_JSONATA_ONLY : CATCHER_JSONPATH_ONLY;
  for (const field of foreign) if (has(catcher, field)) problems.schema(at, Msg.fieldOnlyFor(s.language, field, other));
  if (s.language === 'JSONPath') {
    expectPath(catcher, 'ResultPath', { kind: 'result', nullable: true }, at, problems);
    if (expectKind(catcher, 'Assign', 'OBJECT', at, problems)) checkPayloadTemplate(catcher.Assign as Json, `${at}/Assign`, problems);
  } else {
    for (const field of ['Output', 'Assign']) {
      const value = ownValue(catcher, field);
      if (value !== undefined) checkJsonataStrings(value, `${at}/${field}`, problems, true);
    }
  }
}
