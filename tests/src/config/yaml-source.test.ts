import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatProblem } from '../../../src/config/problems.js';
import { parseYamlSource } from '../../../src/config/yaml-source.js';

const lines = (text: string) => parseYamlSource(text, 'p.yaml').problems.map(formatProblem);

test('plain YAML becomes plain data with the position of every key and value', () => {
  const r = parseYamlSource('a: 1\nb:\n  - x: "s"\n    y: null\n', 'p.yaml');
  assert.deepEqual(r.problems, []);
  assert.deepEqual(r.value, { a: 1, b: [{ x: 's', y: null }] });
  assert.deepEqual(r.sourceMap.locate(['b', 0, 'x'], 'value'), { line: 3, column: 8 });
  assert.deepEqual(r.sourceMap.locate(['b', 0, 'y'], 'key'), { line: 4, column: 5 });
  // Missing paths fall back to the nearest ancestor that exists.
  assert.deepEqual(r.sourceMap.locate(['b', 0, 'missing']), { line: 3, column: 5 });
});

test('JSON (the seed writes its input.yaml as JSON) parses as YAML', () => {
  const r = parseYamlSource('{"app_id": "aiops", "training": {"run": true, "input": {"HyperParameters": null}}}', 'p.yaml');
  assert.deepEqual(r.problems, []);
  assert.deepEqual(r.value, { app_id: 'aiops', training: { run: true, input: { HyperParameters: null } } });
});

test('YAML 1.1 booleans stay strings under the core schema, as JSON would keep them', () => {
  assert.deepEqual(parseYamlSource('a: yes\nb: on\nc: true\n', 'p.yaml').value, { a: 'yes', b: 'on', c: true });
});

// Expanding the bomb (9^9 strings) would exhaust the process; the time limit catches a parser that tries.
test('an alias bomb is refused at the alias, without expanding anything', { timeout: 30_000 }, () => {
  const bomb = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
  for (const l of 'bcdefghi') bomb.push(`${l}: &${l} [${Array(9).fill('*' + String.fromCharCode(l.charCodeAt(0) - 1)).join(',')}]`);
  const problems = lines(bomb.join('\n'));
  assert.ok(problems.length > 0);
  assert.match(problems[0]!, /^p\.yaml:2:\d+: b\[0\]: YAML aliases \(\*a\) are not accepted \(write the value out in full\)$/);
});

test('10,000 levels of nesting give one clean line, in flow and block style', () => {
  // (Block style cannot reach 10,000 levels within the 1 MiB size limit; 1,000 levels is ~500 KB.)
  for (const text of ['['.repeat(10_000) + ']'.repeat(10_000), '{a: '.repeat(10_000) + '1' + '}'.repeat(10_000), Array.from({ length: 1_000 }, (_, i) => ' '.repeat(i) + 'a:').join('\n') + ' 1']) {
    const problems = lines(text);
    assert.equal(problems.length, 1, problems.join('\n'));
    assert.match(problems[0]!, /nesting/);
    assert.ok(!problems[0]!.includes('\n'));
  }
  // Below the parser's own limit, our depth limit answers.
  const problems = lines('['.repeat(100) + ']'.repeat(100));
  assert.equal(problems.length, 1);
  assert.match(problems[0]!, /nesting deeper than 64 levels is not accepted/);
});

test('__proto__ keys are refused and never reach a prototype', () => {
  const r = parseYamlSource('__proto__: {polluted: true}\nok:\n  __proto__:\n    polluted: true\n', 'p.yaml');
  assert.deepEqual(r.problems.map(formatProblem), [
    'p.yaml:1:1: __proto__: "__proto__" is not accepted as a key (remove it)',
    'p.yaml:3:3: ok.__proto__: "__proto__" is not accepted as a key (remove it)',
  ]);
  assert.equal(({} as Record<string, unknown>)['polluted'], undefined);
  assert.equal(Object.getPrototypeOf((r.value as { ok: object }).ok), Object.prototype);
});

test('merge keys, duplicate keys, tabs, tags and extra documents each get one located line', () => {
  assert.deepEqual(lines('base: &b {x: 1}\nc:\n  <<: *b\n'), ['p.yaml:3:3: c["<<"]: YAML merge keys (<<) are not accepted (write the fields out in full)']);
  assert.deepEqual(lines('a: 1\na: 2\n'), ['p.yaml:2:1: this key appears twice in the same mapping (keep one of them)']);
  assert.deepEqual(lines('a:\n\t- b\n'), ['p.yaml:2:1: tabs are not allowed for indentation in YAML (indent with spaces)']);
  assert.match(lines('a: !Ref Bucket\n')[0]!, /^p\.yaml:1:4: .*!Ref.*\(write a plain value/);
  assert.deepEqual(lines('a: 1\n---\nb: 2\n'), ['p.yaml:2:1: the file holds more than one YAML document (keep one pipeline per file; remove the extra "---")']);
  assert.match(lines('a: [1, 2\nb: 3')[0]!, /^p\.yaml:2:1: invalid YAML: .* \(check the indentation and quoting around here\)$/);
  assert.deepEqual(lines('a: .inf\n'), ['p.yaml:1:4: a: .inf is not a number JSON can carry (write a finite number)']);
});

test('an oversized file is refused before parsing', () => {
  assert.match(lines('a: "' + 'x'.repeat(1024 * 1024) + '"')[0]!, /larger than 1024 KiB/);
});
