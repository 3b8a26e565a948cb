import assert from 'node:assert/strict';
import { test } from 'node:test';
import { compileMetricRegex, MetricRegexError } from '../../../src/core/metric-regex.js';

const value = (pattern: string, line: string): string | undefined => compileMetricRegex(pattern).firstValue(line);

test('a catastrophic pattern runs in linear time on a long line (a backtracking engine would never end)', () => {
  const line = 'a'.repeat(200_000) + '!';
  assert.equal(value('(a+)+$', line), undefined);
  assert.equal(value('(a|aa)*b', line), undefined);
  assert.equal(value('^(a+)+!', line), 'a'.repeat(200_000));
});

test('patterns mean what Python re makes of them', () => {
  assert.equal(value('Train_error=(.*?);', '[3] Train_error=0.138318; Validation_error=0.2;'), '0.138318');
  assert.equal(value('loss: (?P<v>[0-9.e-]+)', 'epoch 3 loss: 1e-05'), '1e-05');
  assert.equal(value('\\d+\\.\\d+', 'took 2.50s'), '2.50', 'no group: the whole match');
  // str patterns: \d, \w, \s are Unicode; (?a) makes them ASCII.
  assert.equal(value('acc=(\\d+)', 'acc=\u0663\u0664'), '\u0663\u0664');
  assert.equal(value('(?a)acc=(\\d+)', 'acc=\u0663\u0664'), undefined);
  assert.equal(value('name=(\\w+)', 'name=café!'), 'café');
  assert.equal(value('a\\sb', 'a\u00a0b'), 'a\u00a0b');
  assert.equal(value('a\\sb', 'a\u000bb'), 'a\u000bb');
  assert.equal(value('x=(\\S+)', 'x=1.5\u00a0rest'), '1.5');
  assert.equal(value('x=([^\\d]+)', 'x=ab1'), 'ab');
  // Python spellings RE2 writes differently.
  assert.equal(value('end=(\\d)\\Z', 'end=7'), '7');
  assert.equal(value('end=(\\d)\\Z', 'end=7 '), undefined);
  assert.equal(value('\\u00e9=(\\d)', 'é=4'), '4');
  assert.equal(value('\\x41\\101\\0', 'AA\0'), 'AA\0');
  assert.equal(value('a{,2}b', 'aaab'), 'aab');
  assert.equal(value('a{b', 'a{b'), 'a{b', 'a { that is no repeat is a literal');
  assert.equal(value('v{}', 'v{}'), 'v{}');
  assert.equal(value('[[:]+', 'x[::]'), '[::', '[ inside a class is a literal, never a POSIX class');
  assert.equal(value('[]x]+', 'a]x]'), ']x]');
  assert.equal(value('\\ =(\\d)', ' =3'), '3', 'escaped punctuation is a literal');
  assert.equal(value('(?i)LOSS=(\\d)', 'loss=2'), '2');
  assert.equal(value('(?#the loss)loss=(\\d)', 'loss=5'), '5');
  assert.equal(value('(?:a|b)=(\\d)', 'b=6'), '6');
});

test('what would need backtracking or is not Python syntax is refused with the reason', () => {
  const refused = (pattern: string, reason: RegExp): void =>
    assert.throws(
      () => compileMetricRegex(pattern),
      (e: unknown) => e instanceof MetricRegexError && reason.test(e.problem),
      pattern,
    );
  refused('(a)\\1', /backreference \\1 at position 3 cannot run in linear time/);
  refused('(?P<x>a)(?P=x)', /backreference at position 8/);
  refused('loss(?=:)', /lookaround at position 4/);
  refused('(?<!x)loss', /lookaround/);
  refused('(?>a+)b', /atomic group/);
  refused('a++', /possessive quantifier/);
  refused('a{2}+', /possessive quantifier/);
  refused('(?(1)a|b)', /conditional group/);
  refused('a{1001}', /repeat count over 1000/);
  refused('(?x) a b', /verbose mode/);
  refused('(unclosed', /not a valid regular expression/);
  refused('\\p{L}', /bad escape \\p/);
  refused('[a-', /unterminated character set/);
  refused('\\xZZ', /incomplete escape/);
});
