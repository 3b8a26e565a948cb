import assert from 'node:assert/strict';
import { test } from 'node:test';
import { jsRegexToRe2 } from '../../../../src/asl/jsonata/js-regex-to-re2.js';
import { GuardedRegExp } from '../../../../src/asl/jsonata/regex-engine.js';
import { evaluate, failure } from '../../../support/jsonata.js';

/** Every match a global regex finds, as jsonata walks them (lastIndex after each exec). */
function allMatches(re: { lastIndex: number; exec(s: string): RegExpExecArray | null }, s: string): unknown[] {
  const out: unknown[] = [];
  re.lastIndex = 0;
  for (let n = 0; n < 50; n++) {
    const m = re.exec(s);
    if (m === null) break;
    out.push([m.index, [...m]]);
    if (m[0] === '') re.lastIndex++; // as jsonata refuses to loop on an empty match
  }
  return out;
}

// What JSONata users write, plus the places where RE2 and JavaScript read a pattern differently.
const PATTERNS: [string, string][] = [
  ['\\d+', ''], ['(\\w+)\\s(\\w+)', ''], ['\\s*,\\s*', ''], ['^hello$', 'i'], ['^y$', 'm'], ['^b$', 'm'], ['a.b', ''],
  ['(?<x>ab)+', ''], ['a*?', ''], ['\\bbar', ''], ['a{b}', ''], ['a{2}', ''], ['a{2,}', ''], ['[[]x]', ''], ['[^\\s]+', ''],
  ['[\\s\\d]', ''], ['\\S+', ''], ['(a)|(b)', ''], ['[a-z\\-]+', 'i'], ['^(.*)$', 'm'], ['\\u00e9', ''], ['\\x41', 'i'],
  ['\\cJ', ''], ['\\0', ''], ['[\\b]', ''], ['\\/', ''], ['(?:ab|a)(c|bcd)', ''], ['(a|ab)(c|bcd)(d*)', ''], ['x*', ''],
  ['(a+)+$', ''], ['.+?b', ''], ['[^a]', 'i'], ['K', 'i'], ['\\W', 'i'], ['^', 'm'], ['$', 'm'], ['\\B', ''], ['é+', 'i'],
];
const INPUTS = [
  '', 'a', 'ab12cd345', 'hello world', 'a, b ,c', 'Hello', 'x\ny', 'a\r\nb', 'a\u2028b', 'a\u00a0b', 'abab', 'aaa', 'foo bar',
  'a{b}', 'aa', '[x]', 'tab\there', 'ab\ncd', 'É é', 'A\nB', '\0', '\b', 'a/b', 'abcd', 'abcbcd', 'aaaab', 'x😀b', 'k K \u212a',
  'ſ s S', '  ', 'ab\r\ncd\u2029ef',
];

test('JSONata regexes find what JavaScript RegExp finds, on the linear engine or the native one', () => {
  for (const [source, flags] of PATTERNS) {
    for (const input of INPUTS) {
      const native = new RegExp(source, flags + 'g');
      const guarded = new GuardedRegExp(native);
      assert.deepEqual(allMatches(guarded, input), allMatches(new RegExp(source, flags + 'g'), input), `/${source}/${flags} on ${JSON.stringify(input)}`);
    }
  }
});

test('only patterns RE2 can mean exactly are rewritten for it', () => {
  assert.equal(jsRegexToRe2('a.b'), 'a[^\\n\\r\\x{2028}\\x{2029}]b');
  assert.equal(jsRegexToRe2('(?<year>\\d{4})'), '(?P<year>\\d{4})');
  for (const nativeOnly of ['(a)\\1', 'a(?=b)', 'a(?!b)', '(?<=a)b', '(?<!a)b', '[^]', '[]', '[\\S]', '\\p{L}', '\\k<x>', '😀']) {
    assert.equal(jsRegexToRe2(nativeOnly), undefined, nativeOnly);
  }
});

test('the characters that fold differently under `i` are all known to the engine', () => {
  // JavaScript without `u` compares toUpperCase(), but never maps a non-ASCII character to ASCII.
  const canon = (c: number): number => {
    const u = String.fromCharCode(c).toUpperCase();
    if (u.length !== 1) return c;
    const uc = u.charCodeAt(0);
    return c >= 128 && uc < 128 ? c : uc;
  };
  const sameCanon = new Map<number, number[]>();
  for (let c = 0; c < 0x10000; c++) {
    if (c >= 0xd800 && c <= 0xdfff) continue;
    const k = canon(c);
    sameCanon.set(k, [...(sameCanon.get(k) ?? []), c]);
  }
  const differing: string[] = [];
  for (const [, group] of sameCanon) {
    for (const c of group) {
      const s = String.fromCharCode(c);
      const candidates = new Set(group);
      for (const x of [s.toLowerCase(), s.toUpperCase(), s.toUpperCase().toLowerCase(), s.toLowerCase().toUpperCase()]) {
        if (x.length === 1) candidates.add(x.charCodeAt(0));
      }
      if (candidates.size === 1) continue;
      const native = new RegExp(`\\u${c.toString(16).padStart(4, '0')}`, 'gi');
      for (const d of candidates) {
        const input = String.fromCharCode(d);
        const guarded = new GuardedRegExp(native);
        if (c >= 0x80 && guarded.exec(input) !== null !== new RegExp(native).test(input)) differing.push(c.toString(16));
        // The ASCII side of a differing pair is caught through the input's character.
        const asciiPattern = new RegExp(`\\x${(d & 0x7f).toString(16).padStart(2, '0')}`, 'gi');
        if (d < 0x80 && c >= 0x80) {
          const g = new GuardedRegExp(asciiPattern);
          if ((g.exec(s) !== null) !== new RegExp(asciiPattern).test(s)) differing.push(`${d.toString(16)} on ${c.toString(16)}`);
        }
      }
    }
  }
  assert.deepEqual(differing, []);
});

// 2^40 backtracking steps for a JavaScript RegExp: without the linear engine each of these hangs.
const CATASTROPHIC_INPUT = 'a'.repeat(40) + 'b';

test('catastrophic patterns in $match, $contains, $replace and $split answer at once', { timeout: 20_000 }, async () => {
  const input = { s: CATASTROPHIC_INPUT };
  assert.equal(await evaluate('{% $exists($match($states.input.s, /(a+)+$/)) %}', input), false);
  assert.equal(await evaluate('{% $contains($states.input.s, /^(a|aa)+$/) %}', input), false);
  assert.equal(await evaluate('{% $replace($states.input.s, /(a*)*c/, "x") %}', input), CATASTROPHIC_INPUT);
  assert.deepEqual(await evaluate('{% $split($states.input.s, /(\\w+\\s?)+$/) %}', { s: 'x'.repeat(40) + '!' }), ['x'.repeat(40) + '!']);
  assert.equal(await evaluate('{% $exists($match($states.input.s, /^(a|a)*$/)) %}', input), false);
});

test('a catastrophic pattern RE2 cannot run is stopped by the expression timeout', { timeout: 20_000 }, async () => {
  for (const expr of [
    '$match($states.input.s, /(a+)+(?=c)/)',
    '$replace($states.input.s, /((a+)+)\\2c/, "x")',
    '$map([1, 2, 3], function($v) { $contains($states.input.s, /(?=(a+)+c)/) })',
  ]) {
    const e = await failure(`{% ${expr} %}`, { s: CATASTROPHIC_INPUT });
    const cause = e.cause ?? "";
    assert.equal(e.error, 'States.QueryEvaluationError', expr);
    assert.match(cause, /threw an error during evaluation\. D1012: Evaluation timeout/, expr);
  }
  // The same patterns on harmless input still answer.
  assert.deepEqual(await evaluate('{% $match("aac", /(a+)+(?=c)/).match %}'), 'aa');
});
