import { parseAwsTimestamp } from '../choice/index.js';
import type { StateUnderCheck } from './context.js';
import { isJsonataString } from './jsonata-expressions.js';
import { Msg } from './messages.js';
import { expectKind, expectNumber, expectPath, has } from './value-checks.js';

/** In the order AWS lists them. */
const WAIT_FIELDS = ['SecondsPath', 'Seconds', 'TimestampPath', 'Timestamp'] as const;

/** Wait: exactly one way of saying how long. */
export function checkWait(s: StateUnderCheck): void {
  const { problems } = s.ctx;
  const { state, location } = s;
  const count = WAIT_FIELDS.filter((f) => has(state, f)).length;
  if (count === 0) problems.schema(location, Msg.exactlyOneOf(WAIT_FIELDS));
  else if (count > 1) problems.schema(location, Msg.onlyOneOf(WAIT_FIELDS));
  expectNumber(state, 'Seconds', { integer: true, min: 0 }, s.language, location, problems);
  // A literal Timestamp must be RFC 3339 (nanosecond precision is fine); in a JSONPath state a
  // `{% %}` string is a literal too, and refused (recorded on AWS). JSONata values are checked when
  // the state runs.
  if (expectKind(state, 'Timestamp', 'STRING', location, problems)) {
    const t = state.Timestamp as string;
    const expression = s.language === 'JSONata' && isJsonataString(t);
    if (!expression && parseAwsTimestamp(t) === undefined) problems.schema(`${location}/Timestamp`, Msg.notRfc3339());
  }
  if (s.language === 'JSONPath') {
    expectPath(state, 'SecondsPath', { kind: 'reference' }, location, problems);
    expectPath(state, 'TimestampPath', { kind: 'reference' }, location, problems);
  }
}
