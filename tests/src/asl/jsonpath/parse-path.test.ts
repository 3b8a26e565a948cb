import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compilePath, isReferencePath, isValidPath, PathSyntaxError } from '../../../../src/asl/jsonpath/index.js';
import { parsePath } from '../../../../src/asl/jsonpath/parse-path.js';

test('accepts the documented path forms', () => {
  const valid = [
    '$',
    '$.a.b',
    "$['a']",
    '$["a b"]',
    '$.a[0]',
    '$.a[-1]',
    '$[*]',
    '$.*',
    '$.a[1:]',
    '$.a[:2]',
    '$.a[1:5:2]',
    '$.a[-2:]',
    '$.a[0,1]',
    "$['a','b']",
    '$..a',
    '$..[0]',
    '$..*',
    '$.a[?(@.price < 10)]',
    '$.a[?(@.isbn)]',
    '$.a[?(!@.isbn)]',
    '$.a[?(@.x == 1 && @.y != "z" || @.b)]',
    "$.a[?(@.name =~ /^a.*b$/i)]",
    '$.a.length()',
    '$.delivery-partner',
    '$.naïve_ключ',
    '$$',
    '$$.Execution.Id',
    '$$.Map.Item.Value',
    '$myVar',
    '$myVar.a[0]',
    "$myVar['x']",
    '$.[0]',
    "$['a'][0]['b']",
    '$[ 0 , 1 ]',
    "$[ 'a' ]",
    '$[ * ]',
  ];
  for (const p of valid) assert.equal(isValidPath(p), true, p);
});

test('rejects malformed paths with a PathSyntaxError that names the problem and position', () => {
  const invalid = [
    '',
    'a.b',
    '.a',
    '   ',
    '\t$.a',
    '$.',
    '$..',
    '$.a.',
    '$...a',
    '$a b',
    '$.a b',
    '$[',
    '$[]',
    "$['a'",
    "$['a' 'b']",
    '$[a]',
    '$[:]',
    '$[::2]',
    '$[1,]',
    '$[0',
    '$[99999999999]',
    '$[*',
    '$[?(@.a)',
    '$[?(@.a == )]',
    '$[?(1)]',
    '$[?(@.a foo 1)]',
    '$.a.nosuchfn()',
    '$.a.length().b',
    '$..length()',
    '$$$',
    '$$a',
    '$1',
    '$-x',
    '$[?(@.a =~ 1)]',
    '$[?(@.a == /x/)]',
    '$[?(@.a empty 1)]',
  ];
  for (const p of invalid) {
    assert.throws(
      () => compilePath(p),
      (e: unknown) => e instanceof PathSyntaxError && e.message.startsWith(`Invalid JSONPath '`) && / at position \d+$/.test(e.message),
      p,
    );
    assert.equal(isValidPath(p), false, p);
  }
});

test('a syntax error message stays on one line and points at the offending character', () => {
  const err = (() => {
    try {
      compilePath('$.a\n.b c');
    } catch (e) {
      return e as PathSyntaxError;
    }
    throw new Error('expected a syntax error');
  })();
  assert.ok(!err.message.includes('\n'));
  assert.equal(err.position, 6); // the blank before 'c'
});

test('roots: $ is the input, $$ the context object, $name a variable', () => {
  assert.deepEqual(compilePath('$.a').root, { kind: 'input' });
  assert.deepEqual(compilePath('$$.Execution.Id').root, { kind: 'context' });
  assert.deepEqual(compilePath('$$').root, { kind: 'context' });
  assert.deepEqual(compilePath('$myVar.a[0]').root, { kind: 'variable', name: 'myVar' });
  assert.deepEqual(compilePath('$my_var2').root, { kind: 'variable', name: 'my_var2' });
});

test('definite means a single name, index, name list or function at every segment', () => {
  for (const p of ['$', '$.a.b', "$['a']", '$.a[0]', '$.a[-1]', "$['a','b']", '$.a.length()', '$$.x', '$v.a[2]']) {
    assert.equal(compilePath(p).definite, true, p);
  }
  for (const p of ['$[*]', '$.*', '$.a[1:]', '$.a[:1]', '$.a[0,1]', '$..a', '$.a[?(@.b)]', '$.a[*].length()']) {
    assert.equal(compilePath(p).definite, false, p);
  }
});

test('a reference path holds names and single indexes only', () => {
  for (const p of ['$', '$.a.b', "$['a']", '$.a[0]', '$$.Execution.Input', '$var.x', '$$']) assert.equal(isReferencePath(p), true, p);
  for (const p of ['$[*]', '$.a[1:]', '$..a', "$['a','b']", '$.a[?(@.b)]', '$.a.length()', '$.a[0,1]', 'nope', '$.']) {
    assert.equal(isReferencePath(p), false, p);
  }
});

test('the source text is kept as given', () => {
  assert.equal(compilePath("$['a']").source, "$['a']");
});

test('blanks around a path are trimmed before it is parsed, as Jayway does; tabs and inner blanks are not', () => {
  assert.deepEqual(parsePath('$.config.size '), parsePath('$.config.size'));
  assert.deepEqual(parsePath('  $$.Execution.Id  '), parsePath('$$.Execution.Id'));
  assert.deepEqual(parsePath("$['a b'] "), parsePath("$['a b']"));
  assert.deepEqual(parsePath('$.a\t').steps, [{ kind: 'property', name: 'a\t' }], 'a tab is a name character, as in Jayway');
  assert.throws(() => parsePath('$.a b '), PathSyntaxError);
});
