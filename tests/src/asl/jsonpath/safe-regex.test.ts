import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compileSafeRegex, RegexSyntaxError } from '../../../../src/asl/jsonpath/safe-regex.js';

const matches = (re: string, input: string, flags = ''): boolean => compileSafeRegex(re, flags).test(input);

test('matching is against the whole input, like Java matches()', () => {
  assert.equal(matches('abc', 'abc'), true);
  assert.equal(matches('abc', 'xabc'), false);
  assert.equal(matches('abc', 'abcx'), false);
  assert.equal(matches('a.c', 'abc'), true);
  assert.equal(matches('', ''), true);
});

test('quantifiers, alternation, groups and classes', () => {
  assert.equal(matches('a*b+c?', 'aaabb'), true);
  assert.equal(matches('a{2,3}', 'aaa'), true);
  assert.equal(matches('a{2,3}', 'aaaa'), false);
  assert.equal(matches('a{2}', 'aa'), true);
  assert.equal(matches('a{2,}', 'aaaaa'), true);
  assert.equal(matches('(ab|cd)+', 'abcdab'), true);
  assert.equal(matches('(?:ab)*?', 'abab'), true);
  assert.equal(matches('[a-c]+[^0-9]', 'abcx'), true);
  assert.equal(matches('[a-c]+[^0-9]', 'abc1'), false);
  assert.equal(matches('\\d{3}-\\w+\\s?', '123-ab_c '), true);
  assert.equal(matches('[\\d.]+', '1.5'), true);
  assert.equal(matches('\\.\\*', '.*'), true);
  assert.equal(matches('(?<year>\\d{4})', '2024'), true);
});

test('anchors and word boundaries', () => {
  assert.equal(matches('^abc$', 'abc'), true);
  assert.equal(matches('a\\b.*', 'a b'), true);
  assert.equal(matches('a\\b.*', 'ab'), false);
  assert.equal(matches('a$\\n', 'a\n'), true);
});

test('flag i folds ASCII letters only, as Java does without UNICODE_CASE', () => {
  assert.equal(matches('hello', 'HeLLo', 'i'), true);
  assert.equal(matches('[a-z]+', 'ABC', 'i'), true);
  assert.equal(matches('é', 'É', 'i'), false);
  assert.equal(matches('hello', 'HeLLo'), false);
});

test('dot does not match line terminators', () => {
  assert.equal(matches('a.b', 'a\nb'), false);
  assert.equal(matches('a.b', 'a\tb'), true);
});

test('code points beyond the BMP count as one character', () => {
  assert.equal(matches('.', '🆗'), true);
  assert.equal(matches('..', '🆗'), false);
});

test('constructs that need backtracking are refused', () => {
  for (const re of ['(a)\\1', '(?=a)a', '(?!a)b', '(?<=a)b', '(?>a)', 'a*+', '(?i)a', '\\k<x>', '[a&&b]', '\\p{L}']) {
    assert.throws(() => compileSafeRegex(re, ''), RegexSyntaxError, re);
  }
});

test('malformed patterns are refused', () => {
  for (const re of ['(', ')', '[a', '*', 'a{', 'a{3,1}', 'a**', '\\', '[z-a]', 'a{99999}']) {
    assert.throws(() => compileSafeRegex(re, ''), RegexSyntaxError, re);
  }
});

// A backtracking engine would not finish these in a lifetime; the time limit catches one. The
// linear growth itself is measured by `npm run bench`.
test('catastrophic-backtracking patterns are answered', { timeout: 30_000 }, () => {
  const input = 'a'.repeat(50_000) + '!';
  for (const re of ['(a+)+$', '(a|a)*b', '(a*)*b', '(.*a){20}', '(\\w+\\s?)*$']) {
    assert.equal(matches(re, input), false, re);
  }
});

test('the program size is bounded', () => {
  assert.throws(() => compileSafeRegex('(a{1000}){1000}', ''), RegexSyntaxError);
});
