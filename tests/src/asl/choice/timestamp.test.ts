import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compareTimestamps, parseAwsTimestamp, parseTimestampInto, type TimestampParts } from '../../../../src/asl/choice/timestamp.js';

test('accepts the timestamp forms AWS was recorded accepting', () => {
  assert.equal(parseAwsTimestamp('2016-03-14T01:59:00Z'), Date.UTC(2016, 2, 14, 1, 59, 0));
  assert.equal(parseAwsTimestamp('2024-01-01T00:00:00Z'), Date.UTC(2024, 0, 1));
  assert.equal(parseAwsTimestamp('2016-03-05T21:29:29.243167252Z'), Date.UTC(2016, 2, 5, 21, 29, 29, 243));
  assert.equal(parseAwsTimestamp('2012-10-09T19:00:55+01:00'), Date.UTC(2012, 9, 9, 18, 0, 55));
});

test('refuses the timestamp forms AWS was recorded refusing', () => {
  for (const s of [
    '2024-01-01T00:00:00', // no offset
    '2024-01-01T00:00:00.000000', // fraction but no offset
    '2016-12-05T21:29:29',
    '05-12-2016T21:29:29Z', // day-month-year
    '2016-12-05 21:29:29Z', // space instead of T
    '2016-13-05T21:29:29Z', // month 13
    '2023-02-24', // date only
  ]) {
    assert.equal(parseAwsTimestamp(s), undefined, s);
  }
});

test('applies numeric offsets, so the same instant in two zones is equal', () => {
  assert.equal(parseAwsTimestamp('2012-10-09T20:00:55+01:00'), parseAwsTimestamp('2012-10-09T19:00:55Z'));
  assert.equal(parseAwsTimestamp('2012-10-09T14:30:55-04:30'), parseAwsTimestamp('2012-10-09T19:00:55Z'));
  assert.equal(parseAwsTimestamp('2012-10-09T19:00:55-00:00'), parseAwsTimestamp('2012-10-09T19:00:55Z'));
  assert.equal(parseAwsTimestamp('2000-01-01T00:30:00+01:00'), Date.UTC(1999, 11, 31, 23, 30));
});

test('accepts offsets up to ±18:00 in the +HH:MM form only', () => {
  assert.equal(parseAwsTimestamp('2020-01-01T00:00:00+18:00'), Date.UTC(2019, 11, 31, 6));
  assert.equal(parseAwsTimestamp('2020-01-01T00:00:00-18:00'), Date.UTC(2020, 0, 1, 18));
  for (const s of [
    '2020-01-01T00:00:00+18:01',
    '2020-01-01T00:00:00+19:00',
    '2020-01-01T00:00:00+01:60',
    '2020-01-01T00:00:00+0100',
    '2020-01-01T00:00:00+01',
    '2020-01-01T00:00:00+1:00',
    '2020-01-01T00:00:00+01:00Z',
    '2020-01-01T00:00:00ZZ',
  ]) {
    assert.equal(parseAwsTimestamp(s), undefined, s);
  }
});

test('requires the uppercase T and Z that AWS documents', () => {
  assert.equal(parseAwsTimestamp('2016-03-14t01:59:00Z'), undefined);
  assert.equal(parseAwsTimestamp('2016-03-14T01:59:00z'), undefined);
});

test('accepts 1 to 9 fraction digits and keeps precision below the millisecond', () => {
  assert.equal(parseAwsTimestamp('2016-03-14T01:59:00.5Z'), Date.UTC(2016, 2, 14, 1, 59, 0, 500));
  assert.equal(parseAwsTimestamp('2016-03-14T01:59:00.123Z'), Date.UTC(2016, 2, 14, 1, 59, 0, 123));
  assert.equal(parseAwsTimestamp('2016-03-14T01:59:00.123456Z'), Date.UTC(2016, 2, 14, 1, 59, 0, 123));
  assert.equal(parseAwsTimestamp('2016-03-14T01:59:00.1234567891Z'), undefined, 'ten digits');
  assert.equal(parseAwsTimestamp('2016-03-14T01:59:00.Z'), undefined, 'a dot without digits');
  assert.equal(parseAwsTimestamp('2016-03-14T01:59:00,5Z'), undefined, 'comma as decimal sign');

  const a: TimestampParts = { epochMs: 0, subMsNanos: 0 };
  const b: TimestampParts = { epochMs: 0, subMsNanos: 0 };
  assert.ok(parseTimestampInto('2016-03-05T21:29:29.243167252Z', a));
  assert.equal(a.subMsNanos, 167252);
  assert.ok(parseTimestampInto('2016-03-05T21:29:29.243167253Z', b));
  assert.ok(compareTimestamps(a, b) < 0);
  assert.ok(parseTimestampInto('2016-03-05T22:29:29.243167252+01:00', b));
  assert.equal(compareTimestamps(a, b), 0);
});

test('refuses dates and times that do not exist', () => {
  for (const s of [
    '2023-02-29T00:00:00Z', // not a leap year
    '1900-02-29T00:00:00Z', // century, not a leap year
    '2024-02-30T00:00:00Z',
    '2024-04-31T00:00:00Z',
    '2024-00-10T00:00:00Z',
    '2024-01-00T00:00:00Z',
    '2024-01-32T00:00:00Z',
    '2016-12-31T23:59:60Z', // leap second
    '2024-01-01T24:00:00Z',
    '2024-01-01T23:60:00Z',
  ]) {
    assert.equal(parseAwsTimestamp(s), undefined, s);
  }
  assert.equal(parseAwsTimestamp('2024-02-29T12:00:00Z'), Date.UTC(2024, 1, 29, 12));
  assert.equal(parseAwsTimestamp('2000-02-29T12:00:00Z'), Date.UTC(2000, 1, 29, 12));
});

test('requires seconds and exactly the RFC 3339 layout', () => {
  for (const s of [
    '2016-03-14T01:59Z',
    '2016-3-14T01:59:00Z',
    '16-03-14T01:59:00Z',
    '20160314T015900Z',
    ' 2016-03-14T01:59:00Z',
    '2016-03-14T01:59:00Z ',
    '+2016-03-14T01:59:00Z',
    '2016-03-14T01:59:00.000+01:00x',
    '２０１６-03-14T01:59:00Z',
    '',
  ]) {
    assert.equal(parseAwsTimestamp(s), undefined, JSON.stringify(s));
  }
});

test('matches Date.UTC for every kind of date from year 0000 to 9999', () => {
  let seed = 12345;
  const rand = (n: number): number => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed % n;
  };
  const pad = (v: number, w: number): string => String(v).padStart(w, '0');
  for (let i = 0; i < 5000; i++) {
    const y = i < 10 ? [0, 1, 99, 100, 400, 1582, 1600, 1970, 1969, 9999][i]! : rand(10000);
    const mo = 1 + rand(12);
    const d = 1 + rand(28);
    const h = rand(24);
    const mi = rand(60);
    const s = rand(60);
    const ms = rand(1000);
    const expected = new Date(0);
    expected.setUTCFullYear(y, mo - 1, d);
    expected.setUTCHours(h, mi, s, ms);
    const text = `${pad(y, 4)}-${pad(mo, 2)}-${pad(d, 2)}T${pad(h, 2)}:${pad(mi, 2)}:${pad(s, 2)}.${pad(ms, 3)}Z`;
    assert.equal(parseAwsTimestamp(text), expected.getTime(), text);
  }
});
