/**
 * Payloads from the jsonpath-plus and jsonpath advisories (script evaluation in filters, prototype
 * walking). Each must be refused as a syntax error or evaluate as plain data access, without
 * running code, returning functions or touching Object.prototype.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Json } from '../../../../src/core/json.js';
import { compilePath, compileReferencePath, PathSyntaxError } from '../../../../src/asl/jsonpath/index.js';

const PAYLOADS = [
  "$[?(@.constructor.constructor('return process')())]",
  "$..[?(@.constructor.constructor('return process')())]",
  "$[?(@.constructor.constructor('return process.mainModule.require(\"child_process\").execSync(\"touch /tmp/pwned\")')())]",
  '$[?(@.__proto__.polluted = 1)]',
  "$[?(@.toString().includes('x'))]",
  '$[?(this.process)]',
  '$[?(process.exit(1))]',
  "$[?(@.a == require('fs'))]",
  '$..[?(@property === "x")]',
  '$[(@.length-1)]',
  '$[?(@.a)].constructor.constructor',
  '$.constructor.constructor',
  '$.__proto__',
  '$.__proto__.constructor',
  "$['__proto__']['polluted']",
  '$..__proto__',
  '$..constructor',
  "$[?(@.__lookupGetter__('a'))]",
  "$[?(''.constructor.prototype.x = 1)]",
  '$[?([].constructor.constructor("return this")())]',
  '$[?(@ =~ /(a+)+$/)]',
  '$..*..*..*..*..*..*',
  '$' + '[?(@.a'.repeat(40) + ')]'.repeat(40),
  '$[?(' + '('.repeat(100) + '@.a' + ')'.repeat(100) + ')]',
];

const DOC: Json = { a: [{ a: 1, b: 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!' }, { constructor: { constructor: 'data' } }], b: { __proto__x: 1 } };

test('advisory payloads are syntax errors or harmless data access', () => {
  const protoBefore = Object.getOwnPropertyNames(Object.prototype).sort();
  for (const payload of PAYLOADS) {
    let path;
    try {
      path = compilePath(payload);
    } catch (e) {
      assert.ok(e instanceof PathSyntaxError, `${payload}: ${String(e)}`);
      continue;
    }
    const result = path.select(DOC);
    const check = (v: unknown): void => {
      assert.notEqual(typeof v, 'function', payload);
      if (typeof v === 'object' && v !== null) for (const x of Object.values(v)) check(x);
    };
    check(result);
  }
  assert.deepEqual(Object.getOwnPropertyNames(Object.prototype).sort(), protoBefore);
  assert.equal(({} as Record<string, unknown>)['polluted'], undefined);
});

test('prototype members are never selected, only own JSON keys', () => {
  assert.equal(compilePath('$.constructor').select({}), undefined);
  assert.equal(compilePath('$.__proto__').select({}), undefined);
  assert.equal(compilePath('$.toString').select({}), undefined);
  assert.equal(compilePath('$.a.length').select({ a: [1, 2] }), undefined);
  assert.equal(compilePath('$.s.length').select({ s: 'abc' }), undefined);
  assert.deepEqual(compilePath('$..constructor').select({ x: {} }), []);
  assert.deepEqual(compilePath('$[*]').select({}), []);
});

test('"__proto__" and "constructor" are ordinary keys when the data has them', () => {
  const doc = JSON.parse('{"__proto__": {"polluted": 1}, "constructor": {"name": "data"}}') as Json;
  assert.deepEqual(compilePath('$.__proto__').select(doc), { polluted: 1 });
  assert.equal(compilePath('$.constructor.name').select(doc), 'data');
  assert.deepEqual(compilePath("$['__proto__','constructor']").select(doc), { ['__proto__']: { polluted: 1 }, constructor: { name: 'data' } });
  const merged = compilePath("$['__proto__']").select(doc);
  assert.equal(Object.getPrototypeOf(merged), Object.prototype);
  assert.equal(({} as Record<string, unknown>)['polluted'], undefined);
});

test('filter literals with a __proto__ key stay data', () => {
  const doc = JSON.parse('{"a": [{"p": {"__proto__": {"x": 1}}}]}') as Json;
  assert.deepEqual(compilePath("$.a[?(@.p == {'__proto__': {'x': 1}})]").select(doc), [{ p: JSON.parse('{"__proto__": {"x": 1}}') }]);
  assert.equal(({} as Record<string, unknown>)['x'], undefined);
});

test('reference paths never write through the prototype chain', () => {
  compileReferencePath('$.__proto__.polluted').assign({}, true);
  compileReferencePath('$.constructor.prototype.polluted').assign({}, true);
  assert.equal(({} as Record<string, unknown>)['polluted'], undefined);
});

test('nesting is bounded: deeply nested filters are refused, not a stack overflow', () => {
  const deep = '$' + '[?(@.a'.repeat(1000) + ')]'.repeat(1000);
  assert.throws(() => compilePath(deep), PathSyntaxError);
  const literal = '$[?(@.a == ' + '['.repeat(1000) + ']'.repeat(1000) + ')]';
  assert.throws(() => compilePath(literal), PathSyntaxError);
});

test('no eval, Function or vm in the implementation', async () => {
  const { readdir, readFile } = await import('node:fs/promises');
  const { join } = await import('node:path');
  const { fileURLToPath } = await import('node:url');
  // the compiled jsonpath modules, dist/src/asl/jsonpath/
  const here = fileURLToPath(new URL('../../../../src/asl/jsonpath/', import.meta.url));
  for (const name of await readdir(here)) {
    if (!name.endsWith('.js') || name.endsWith('.test.js')) continue;
    const text = await readFile(join(here, name), 'utf8');
    assert.doesNotMatch(text, /\beval\s*\(|new\s+Function\s*\(|\bFunction\s*\(|node:vm|require\(/, name);
  }
});
