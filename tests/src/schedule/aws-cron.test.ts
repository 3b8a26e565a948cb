import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CronExpressionError, nextFireTimes, parseAwsCron, TimeZoneError, validateTimeZone } from '../../../src/schedule/index.js';

/** The next `n` fire times after `from`, as ISO strings in UTC. */
function fires(expr: string, from: string, n: number, zone = 'UTC'): string[] {
  return nextFireTimes(parseAwsCron(expr), zone, Date.parse(from), n).times.map((t) => new Date(t.at).toISOString());
}

function rejects(expr: string, reason: RegExp): void {
  assert.throws(
    () => parseAwsCron(expr),
    (e: unknown) => {
      assert.ok(e instanceof CronExpressionError, `expected CronExpressionError, got ${String(e)}`);
      assert.match(e.message, reason);
      assert.ok(e.message.startsWith(`invalid cron expression ${JSON.stringify(expr)}: `), e.message);
      assert.ok(!e.message.includes('\n'), 'one line');
      return true;
    },
  );
}

test('accepts cron(...) and the six bare fields, and normalises to the Scheduler expression', () => {
  const a = parseAwsCron('cron(0 6 * * ? *)');
  const b = parseAwsCron('  0  6 * * ?   * ');
  assert.equal(a.expression, 'cron(0 6 * * ? *)');
  assert.equal(b.expression, 'cron(0 6 * * ? *)');
  assert.equal(b.fields, '0 6 * * ? *');
  assert.equal(parseAwsCron('0 18 ? * mon-fri *').expression, 'cron(0 18 ? * MON-FRI *)');
});

// The examples of AWS's cron reference, evaluated in UTC from Thursday 2026-01-01 00:00.
test("AWS's examples fire when the documentation says they do", () => {
  const from = '2026-01-01T00:00:00Z';
  // Run at 10:00 am every day
  assert.deepEqual(fires('0 10 * * ? *', from, 2), ['2026-01-01T10:00:00.000Z', '2026-01-02T10:00:00.000Z']);
  // Run at 12:15 pm every day
  assert.deepEqual(fires('15 12 * * ? *', from, 1), ['2026-01-01T12:15:00.000Z']);
  // Run at 6:00 pm every Monday through Friday (Jan 1 2026 is a Thursday)
  assert.deepEqual(fires('0 18 ? * MON-FRI *', from, 3), [
    '2026-01-01T18:00:00.000Z',
    '2026-01-02T18:00:00.000Z',
    '2026-01-05T18:00:00.000Z',
  ]);
  // Run at 8:00 am every first day of the month
  assert.deepEqual(fires('0 8 1 * ? *', from, 2), ['2026-01-01T08:00:00.000Z', '2026-02-01T08:00:00.000Z']);
  // Run every 15 minutes
  assert.deepEqual(fires('0/15 * * * ? *', from, 3), [
    '2026-01-01T00:15:00.000Z',
    '2026-01-01T00:30:00.000Z',
    '2026-01-01T00:45:00.000Z',
  ]);
  // Run every 10 minutes Monday through Friday: Saturday and Sunday are skipped
  assert.deepEqual(fires('0/10 * ? * MON-FRI *', '2026-01-02T23:45:00Z', 2), ['2026-01-02T23:50:00.000Z', '2026-01-05T00:00:00.000Z']);
  // Run every 5 minutes Monday through Friday between 8:00 am and 5:55 pm
  assert.deepEqual(fires('0/5 8-17 ? * MON-FRI *', '2026-01-01T17:50:00Z', 3), [
    '2026-01-01T17:55:00.000Z',
    '2026-01-02T08:00:00.000Z',
    '2026-01-02T08:05:00.000Z',
  ]);
  // Run at 9:00 am on the first Monday of each month
  assert.deepEqual(fires('0 9 ? * 2#1 *', from, 2), ['2026-01-05T09:00:00.000Z', '2026-02-02T09:00:00.000Z']);
});

test('the default schedule fires daily at 06:00 and excludes the starting instant', () => {
  assert.deepEqual(fires('0 6 * * ? *', '2026-05-10T06:00:00Z', 2), ['2026-05-11T06:00:00.000Z', '2026-05-12T06:00:00.000Z']);
  assert.deepEqual(fires('0 6 * * ? *', '2026-05-10T05:59:59Z', 1), ['2026-05-10T06:00:00.000Z']);
});

test('L, LW and nW in day-of-month', () => {
  assert.deepEqual(fires('0 0 L * ? *', '2028-01-15T00:00:00Z', 3), [
    '2028-01-31T00:00:00.000Z',
    '2028-02-29T00:00:00.000Z', // leap year
    '2028-03-31T00:00:00.000Z',
  ]);
  // Last weekday: 2026-01-31 is a Saturday, 2026-05-31 a Sunday.
  assert.deepEqual(fires('0 0 LW 1,5 ? 2026', '2026-01-01T00:00:00Z', 2), ['2026-01-30T00:00:00.000Z', '2026-05-29T00:00:00.000Z']);
  // 15W: 2026-02-15 is a Sunday -> Monday 16th; 2026-08-15 a Saturday -> Friday 14th.
  assert.deepEqual(fires('0 0 15W 2,8 ? 2026', '2026-01-01T00:00:00Z', 2), ['2026-02-16T00:00:00.000Z', '2026-08-14T00:00:00.000Z']);
  // 1W never leaves the month: 2026-08-01 is a Saturday -> Monday 3rd.
  assert.deepEqual(fires('0 0 1W 8 ? 2026', '2026-01-01T00:00:00Z', 1), ['2026-08-03T00:00:00.000Z']);
});

test('L, nL and # in day-of-week', () => {
  // L alone is the last day of the week: Saturday.
  assert.deepEqual(fires('0 12 ? * L *', '2026-01-01T00:00:00Z', 2), ['2026-01-03T12:00:00.000Z', '2026-01-10T12:00:00.000Z']);
  // 6L: the last Friday of the month.
  assert.deepEqual(fires('0 12 ? * 6L *', '2026-01-01T00:00:00Z', 2), ['2026-01-30T12:00:00.000Z', '2026-02-27T12:00:00.000Z']);
  // 3#2: the second Tuesday.
  assert.deepEqual(fires('0 12 ? * TUE#2 *', '2026-01-01T00:00:00Z', 2), ['2026-01-13T12:00:00.000Z', '2026-02-10T12:00:00.000Z']);
  // 5th Friday exists only in some months.
  assert.deepEqual(fires('0 12 ? * 6#5 *', '2026-01-01T00:00:00Z', 2), ['2026-01-30T12:00:00.000Z', '2026-05-29T12:00:00.000Z']);
});

test('the year field bounds the schedule', () => {
  assert.deepEqual(fires('0 12 1 1 ? 2027-2028', '2026-06-01T00:00:00Z', 5), ['2027-01-01T12:00:00.000Z', '2028-01-01T12:00:00.000Z']);
  assert.deepEqual(fires('0 12 * * ? 2020', '2026-06-01T00:00:00Z', 5), []);
  // February 30th never comes.
  assert.deepEqual(fires('0 0 30 2 ? *', '2026-06-01T00:00:00Z', 1), []);
});

test('ranges wrap around and increments apply to ranges', () => {
  // 20-2 on weekdays: 20:00 to 02:59 of the same calendar day's hours.
  const p = parseAwsCron('0/30 20-2 ? * MON-FRI *');
  assert.deepEqual([...p.hours].sort((a, b) => a - b), [0, 1, 2, 20, 21, 22, 23]);
  assert.deepEqual(parseAwsCron('0 0 ? * FRI-MON *').dayOfWeek, { kind: 'days', days: new Set([6, 7, 1, 2]) });
  assert.deepEqual([...parseAwsCron('10-40/15 * * * ? *').minutes], [10, 25, 40]);
  assert.deepEqual([...parseAwsCron('*/20 * * * ? *').minutes], [0, 20, 40]);
  assert.deepEqual([...parseAwsCron('0 0 1 JAN,jul ? *').months].sort((a, b) => a - b), [1, 7]);
});

test('in a zone with daylight saving, 06:00 local keeps its wall time across the change', () => {
  // New York springs forward on 2026-03-08: 06:00 EST is 11:00Z, 06:00 EDT is 10:00Z.
  assert.deepEqual(fires('0 6 * * ? *', '2026-03-06T12:00:00Z', 3, 'America/New_York'), [
    '2026-03-07T11:00:00.000Z',
    '2026-03-08T10:00:00.000Z',
    '2026-03-09T10:00:00.000Z',
  ]);
});

test('a wall time skipped by spring-forward does not fire, and is reported', () => {
  // 2026-03-08 02:30 does not exist in New York (02:00 -> 03:00).
  const r = nextFireTimes(parseAwsCron('30 2 * * ? *'), 'America/New_York', Date.parse('2026-03-06T12:00:00Z'), 3);
  assert.deepEqual(
    r.times.map((t) => new Date(t.at).toISOString()),
    ['2026-03-07T07:30:00.000Z', '2026-03-09T06:30:00.000Z', '2026-03-10T06:30:00.000Z'],
  );
  assert.deepEqual(r.dstNotes, [{ kind: 'skipped', local: { year: 2026, month: 3, day: 8, hour: 2, minute: 30 } }]);
  // London: 2026-03-29 01:00 -> 02:00.
  assert.deepEqual(fires('30 1 * * ? *', '2026-03-28T12:00:00Z', 2, 'Europe/London'), [
    '2026-03-30T00:30:00.000Z',
    '2026-03-31T00:30:00.000Z',
  ]);
});

test('a wall time repeated by fall-back fires once, at its first occurrence', () => {
  // New York falls back on 2026-11-01: 01:00-01:59 happens twice (EDT, then EST).
  const r = nextFireTimes(parseAwsCron('30 1 * * ? *'), 'America/New_York', Date.parse('2026-10-30T12:00:00Z'), 3);
  assert.deepEqual(
    r.times.map((t) => [new Date(t.at).toISOString(), t.offsetMinutes]),
    [
      ['2026-10-31T05:30:00.000Z', -240],
      ['2026-11-01T05:30:00.000Z', -240],
      ['2026-11-02T06:30:00.000Z', -300],
    ],
  );
  assert.deepEqual(r.dstNotes, [{ kind: 'once', local: { year: 2026, month: 11, day: 1, hour: 1, minute: 30 } }]);
  // Every 30 minutes through the overlap: 01:00 and 01:30 fire once each, then 02:00 EST.
  assert.deepEqual(fires('0/30 * * * ? *', '2026-11-01T04:45:00Z', 4, 'America/New_York'), [
    '2026-11-01T05:00:00.000Z',
    '2026-11-01T05:30:00.000Z',
    '2026-11-01T07:00:00.000Z',
    '2026-11-01T07:30:00.000Z',
  ]);
});

test('a zone with a half-hour offset', () => {
  assert.deepEqual(fires('0 9 * * ? *', '2026-01-01T00:00:00Z', 1, 'Asia/Kolkata'), ['2026-01-01T03:30:00.000Z']);
});

test('wrong field counts, the ? rule and misplaced wildcards are rejected with one-line reasons', () => {
  rejects('0 6 * * *', /expected 6 fields \(minutes hours day-of-month month day-of-week year\) but got 5$/);
  rejects('0 0 6 * * ? *', /expected 6 fields .* but got 7$/);
  rejects('', /but got none$/);
  rejects('0 6 * * * *', /day-of-month and day-of-week are both set: use \? in one of them/);
  rejects('0 6 1 * MON *', /both set/);
  rejects('0 6 ? * ? *', /day-of-month and day-of-week are both \?: set one of them/);
  rejects('? 6 * * ? *', /the minutes field does not take "\?"/);
  rejects('0 6 1,? * ? *', /the day-of-month field takes \? only on its own/);
  rejects('0 6 * * ? L', /the year field does not take "L" here \(it takes , - \* \/\)/);
  rejects('0 L * * ? *', /the hours field does not take "L"/);
  rejects('0 6 ? * 2W *', /the day-of-week field does not take "W"/);
  rejects('0 6 3#1 * ? *', /the day-of-month field does not take "#"/);
  rejects('0 6 ? * 3#1,6#3 *', /the day-of-week field takes # only as one expression such as 3#2/);
  rejects('0 6 ? * 3#6 *', /the day-of-week field occurrence #6 is out of range 1-5/);
  rejects('0 6 L-3 * ? *', /the day-of-month field takes L, LW or nW \(e\.g\. 15W\) only on their own, not "L-3"/);
  rejects('0 6 1-5W * ? *', /takes L, LW or nW/);
});

test('out-of-range values, bad names, backwards years and bad increments are rejected', () => {
  rejects('60 6 * * ? *', /the minutes field value 60 is out of range 0-59/);
  rejects('0 24 * * ? *', /the hours field value 24 is out of range 0-23/);
  rejects('0 6 0 * ? *', /the day-of-month field value 0 is out of range 1-31/);
  rejects('0 6 32W * ? *', /the day-of-month field value 32 is out of range 1-31/);
  rejects('0 6 * 13 ? *', /the month field value 13 is out of range 1-12/);
  rejects('0 6 ? * 0 *', /the day-of-week field value 0 is out of range 1-7/);
  rejects('0 6 ? * SUNDAY *', /the day-of-week field has "SUNDAY" where a number 1-7 or a name SUN-SAT belongs/);
  rejects('0 6 * FOO ? *', /the month field has "FOO" where a number 1-12 or a name JAN-DEC belongs/);
  rejects('0 6 * * ? 1969', /the year field value 1969 is out of range 1970-2199/);
  rejects('0 6 * * ? 2030-2025', /the year field range 2030-2025 runs backwards/);
  rejects('0/0 * * * ? *', /the minutes field increment 0 is out of range 1-59/);
  rejects('0/60 * * * ? *', /increment 60 is out of range 1-59/);
  rejects('0/x * * * ? *', /the minutes field has "X" where a number 0-59 belongs|needs a number after \//);
  rejects('1-2-3 * * * ? *', /malformed range/);
  rejects('1,,2 * * * ? *', /empty list item/);
  rejects('rate(5 minutes)', /only cron\(\.\.\.\) expressions are supported here/);
  rejects('cron(0 6 * * ? *', /missing the closing "\)"/);
});

test('time zones must be IANA names', () => {
  assert.equal(validateTimeZone('UTC'), 'UTC');
  assert.equal(validateTimeZone('America/New_York'), 'America/New_York');
  assert.equal(validateTimeZone('America/Argentina/Buenos_Aires'), 'America/Argentina/Buenos_Aires');
  assert.throws(() => validateTimeZone('Mars/Olympus_Mons'), (e: unknown) => e instanceof TimeZoneError && /not a known IANA time zone name/.test(e.message));
  assert.throws(() => validateTimeZone('+02:00'), (e: unknown) => e instanceof TimeZoneError && /expected an IANA time zone name/.test(e.message));
  assert.throws(() => validateTimeZone(''), TimeZoneError);
});
