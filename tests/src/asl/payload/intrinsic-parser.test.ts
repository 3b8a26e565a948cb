import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isIntrinsicCall, parseIntrinsicCall, type CallNode, type IntrinsicNode } from '../../../../src/asl/payload/intrinsic-parser.js';
import { TemplateSyntaxError } from '../../../../src/asl/payload/template-syntax-error.js';

function args(source: string): readonly IntrinsicNode[] {
  return parseIntrinsicCall(source, 'x.$').args;
}

test('isIntrinsicCall recognises States.Name( and nothing else', () => {
  assert.equal(isIntrinsicCall('States.Format($.a)'), true);
  assert.equal(isIntrinsicCall('States.UUID()'), true);
  assert.equal(isIntrinsicCall('$.States.Format'), false);
  assert.equal(isIntrinsicCall('States.Format'), false);
  assert.equal(isIntrinsicCall('Format($.a)'), false);
});

test('arguments can be strings, numbers, booleans, null, paths and nested calls', () => {
  const a = args("States.Array('s', -1.5e2, 7, true, false, null, $.a.b, $$.Execution.Id, $var.x, States.UUID())");
  assert.deepEqual(
    a.map((n) => (n.kind === 'literal' ? n.value : n.kind === 'path' ? n.source : n.name)),
    ['s', -150, 7, true, false, null, '$.a.b', '$$.Execution.Id', '$var.x', 'States.UUID'],
  );
  assert.deepEqual(a.map((n) => n.kind), ['literal', 'literal', 'literal', 'literal', 'literal', 'literal', 'path', 'path', 'path', 'call']);
});

test('whitespace around arguments is ignored, inside string literals it is kept', () => {
  const a = args("States.Array(  ' a b ' ,\n\t$.x   ,1 )");
  assert.deepEqual(a[0], { kind: 'literal', value: ' a b ', formatPieces: [' a b '] });
  assert.deepEqual(a[1], { kind: 'path', source: '$.x' });
  assert.deepEqual(a[2], { kind: 'literal', value: 1 });
});

test("string escapes \\' \\{ \\} \\\\ give the character, and escaped braces are no placeholder", () => {
  const [s] = args("States.Format('it\\'s \\{\\} {} \\\\ {x}')");
  assert.equal(s?.kind, 'literal');
  if (s?.kind !== 'literal') return;
  assert.equal(s.value, "it's {} {} \\ {x}");
  assert.deepEqual(s.formatPieces, ["it's {} ", ' \\ {x}']);
  assert.equal(s.openEscape, undefined);
});

test('unescaped braces and double quotes in a literal are plain text (JSON inside a literal)', () => {
  const [s] = args(`States.StringToJson('{"a": {"b": 1}}')`);
  assert.equal(s?.kind === 'literal' && s.value, '{"a": {"b": 1}}');
});

test('an escape AWS does not define is remembered, not rejected', () => {
  const [s] = args("States.Format('a\\nb')");
  assert.equal(s?.kind === 'literal' && s.openEscape, '\\n');
});

test('paths keep brackets, quoted keys and filters containing commas and parentheses', () => {
  const a = args(`States.Array($['a,b'], $.x[?(@.y == 'p,q)')].z, $.list[0:2])`);
  assert.deepEqual(
    a.map((n) => (n.kind === 'path' ? n.source : '?')),
    [`$['a,b']`, `$.x[?(@.y == 'p,q)')].z`, '$.list[0:2]'],
  );
});

test('calls nest up to 10 levels; the 11th is rejected', () => {
  const nest = (n: number): string => (n === 0 ? '$.a' : `States.Array(${nest(n - 1)})`);
  let node: CallNode = parseIntrinsicCall(nest(10), 'x.$');
  let depth = 1;
  while (node.args[0]?.kind === 'call') {
    node = node.args[0];
    depth++;
  }
  assert.equal(depth, 10);
  assert.throws(() => parseIntrinsicCall(nest(11), 'x.$'), /nested at most 10 levels/);
});

test('the documented nine-deep example parses', () => {
  const src =
    "States.Format('{}.{}.{}', States.ArrayGetItem(States.StringSplit(States.ArrayGetItem(States.StringSplit($.ImageRecipe.Arn, '/'), 2), '.'), 0), States.ArrayGetItem(States.StringSplit(States.ArrayGetItem(States.StringSplit($.ImageRecipe.Arn, '/'), 2), '.'), 1))";
  assert.equal(parseIntrinsicCall(src, 'myArn.$').args.length, 3);
});

for (const [source, what] of [
  ["States.Format('abc", /unterminated string literal/],
  ['States.Format($.a', /missing '\)'/],
  ['States.Format($.a) x', /unexpected text after the closing parenthesis/],
  ['States.Array(1,)', /missing argument/],
  ['States.Array("a")', /single quotes/],
  ['States.Array(1 2)', /invalid number/],
  ['States.Array(truex)', /unexpected character 't'/],
  ["States.Array('a' 'b')", /unexpected text after a string literal/],
  ['States.Array($[0)', /unterminated bracket/],
] as const) {
  test(`syntax error names the field and the problem: ${source}`, () => {
    assert.throws(
      () => parseIntrinsicCall(source, 'result.$'),
      (e: unknown) => e instanceof TemplateSyntaxError && e.field === 'result.$' && e.message.includes("'result.$'") && what.test(e.message),
    );
  });
}
