import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compileStringMatches } from '../../../../src/asl/choice/string-matches.js';

const matches = (pattern: string, s: string): boolean => compileStringMatches(pattern)(s);

test('a pattern without wildcards must equal the whole string', () => {
  assert.equal(matches('log.txt', 'log.txt'), true);
  assert.equal(matches('log.txt', 'log.txt2'), false);
  assert.equal(matches('log.txt', 'a-log.txt'), false);
  assert.equal(matches('', ''), true);
  assert.equal(matches('', 'a'), false);
});

test('* matches any run of characters, including none (AWS documentation examples)', () => {
  assert.equal(matches('foo*.log', 'foo23.log'), true);
  assert.equal(matches('*.log', 'zebra.log'), true);
  assert.equal(matches('foo*.*', 'foobar.zebra'), true);
  assert.equal(matches('foo*.log', 'foo.log'), true);
  assert.equal(matches('foo*.log', 'foo.lo'), false);
  assert.equal(matches('*', ''), true);
  assert.equal(matches('*', 'anything at all'), true);
  assert.equal(matches('**', 'x'), true);
});

test('middle runs must appear in order without overlapping the prefix or suffix', () => {
  assert.equal(matches('a*b*c', 'abc'), true);
  assert.equal(matches('a*b*c', 'a-c-b'), false);
  assert.equal(matches('ab*ba', 'aba'), false, 'prefix and suffix cannot share characters');
  assert.equal(matches('a*aa*a', 'aaa'), false);
  assert.equal(matches('a*aa*a', 'aaaa'), true);
  assert.equal(matches('*x*y*', 'yx'), false);
  assert.equal(matches('*x*y*', '..x..y..'), true);
});

test('\\* is a literal star and \\\\ a literal backslash', () => {
  assert.equal(matches('log-\\*.txt', 'log-*.txt'), true);
  assert.equal(matches('log-\\*.txt', 'log-1.txt'), false);
  assert.equal(matches('a\\\\*', 'a\\anything'), true);
  assert.equal(matches('a\\\\*', 'a'), false);
  assert.equal(matches('a\\b', 'a\\b'), true, 'other backslashes are ordinary characters');
  assert.equal(matches('a\\', 'a\\'), true);
});

test('no other character is special', () => {
  assert.equal(matches('a?c', 'abc'), false);
  assert.equal(matches('a?c', 'a?c'), true);
  assert.equal(matches('[ab].*', '[ab].x'), true);
  assert.equal(matches('^$', '^$'), true);
});

// A backtracking matcher would not finish this in a lifetime; the time limit catches one. How fast it
// is (and that it grows linearly with the input) is measured by `npm run bench`.
test('answers patterns that make regular expressions backtrack', { timeout: 30_000 }, () => {
  const pattern = '*a'.repeat(30) + 'b';
  const s = 'a'.repeat(5000);
  assert.equal(matches(pattern, s), false);
  assert.equal(matches(pattern, s + 'b'), true);
});
