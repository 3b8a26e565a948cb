import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Json } from '../../../../src/core/json.js';
import { StatesError } from '../../../../src/asl/errors.js';
import { compileReferencePath, PathSyntaxError, REFERENCE_PATH_CONFLICT } from '../../../../src/asl/jsonpath/index.js';

const assign = (path: string, target: Json, value: Json): Json => compileReferencePath(path).assign(target, value);

/** Deep-freezes a document so that any mutation by assign throws. */
function frozen<T extends Json>(v: T): T {
  if (typeof v === 'object' && v !== null) {
    for (const child of Object.values(v)) frozen(child);
    Object.freeze(v);
  }
  return v;
}

test("'$' replaces the whole target", () => {
  assert.deepEqual(assign('$', { a: 1 }, [1, 2]), [1, 2]);
  assert.equal(assign('$', 'anything', null), null);
});

test('a name is set on a copy; the target is not mutated and siblings are shared', () => {
  const target = frozen({ keep: { deep: [1] }, a: { x: 1 } });
  const out = assign('$.a.y', target, 'v') as { keep: Json; a: Json };
  assert.deepEqual(out, { keep: { deep: [1] }, a: { x: 1, y: 'v' } });
  assert.deepEqual(target, { keep: { deep: [1] }, a: { x: 1 } });
  assert.equal(out.keep, target.keep);
  assert.notEqual(out.a, target.a);
});

test('an existing member is replaced', () => {
  assert.deepEqual(assign('$.a', { a: { old: true }, b: 2 }, 5), { a: 5, b: 2 });
});

test('missing objects along the path are created', () => {
  assert.deepEqual(assign('$.a.b.c', {}, 1), { a: { b: { c: 1 } } });
  assert.deepEqual(assign("$['x y']['z']", { q: 1 }, true), { q: 1, 'x y': { z: true } });
});

test('an index addresses an existing element, counting from the end when negative', () => {
  const target = frozen({ a: [{ v: 1 }, { v: 2 }] });
  assert.deepEqual(assign('$.a[1].v', target, 9), { a: [{ v: 1 }, { v: 9 }] });
  assert.deepEqual(assign('$.a[-1]', target, 'z'), { a: [{ v: 1 }, 'z'] });
  assert.deepEqual(target, { a: [{ v: 1 }, { v: 2 }] });
});

test('setting a name on a non-object fails with AWS error and cause', () => {
  // Observed on AWS: States.ReferencePathConflict, "Unable to apply ReferencePath $.someTaskResult to input \"input1\"".
  assert.throws(
    () => assign('$.someTaskResult', 'input1', { r: 1 }),
    (e: unknown) =>
      e instanceof StatesError &&
      e.error === REFERENCE_PATH_CONFLICT &&
      e.cause === 'Unable to apply ReferencePath $.someTaskResult to input "input1"',
  );
  for (const [path, target] of [
    ['$.a.b', { a: 5 }],
    ['$.a.b', { a: [1] }],
    ['$.a.b', { a: null }],
    ['$.x', [1, 2]],
    ['$.x', null],
  ] as [string, Json][]) {
    assert.throws(
      () => assign(path, target, 1),
      (e: unknown) => e instanceof StatesError && e.error === REFERENCE_PATH_CONFLICT && e.cause === `Unable to apply ReferencePath ${path} to input ${JSON.stringify(target)}`,
      path,
    );
  }
});

test('an index that is out of range or not on an array fails', () => {
  for (const [path, target] of [
    ['$.a[2]', { a: [1] }],
    ['$.a[-2]', { a: [1] }],
    ['$.a[0]', { a: { 0: 1 } }],
    ['$.a[0]', {}],
  ] as [string, Json][]) {
    assert.throws(() => assign(path, target, 1), (e: unknown) => e instanceof StatesError && e.error === REFERENCE_PATH_CONFLICT, path);
  }
});

test('"__proto__" and "constructor" are written as plain members', () => {
  const out = assign('$.__proto__.polluted', {}, 'yes') as Record<string, unknown>;
  assert.equal(({} as Record<string, unknown>)['polluted'], undefined);
  assert.equal(Object.getPrototypeOf(out), Object.prototype);
  assert.deepEqual(Object.keys(out), ['__proto__']);
  assert.equal(JSON.stringify(out), '{"__proto__":{"polluted":"yes"}}');
  const withCtor = assign('$.constructor.prototype.x', {}, 1);
  assert.equal(JSON.stringify(withCtor), '{"constructor":{"prototype":{"x":1}}}');
  assert.equal((Object.prototype as Record<string, unknown>)['x'], undefined);
});

test('only names and single indexes on the input root compile', () => {
  for (const p of ['$[*]', '$.a[1:]', '$..a', "$['a','b']", '$.a[?(@.b)]', '$.a.length()', '$$.x', '$var.x', 'x']) {
    assert.throws(() => compileReferencePath(p), PathSyntaxError, p);
  }
  assert.equal(compileReferencePath('$.a[0]').source, '$.a[0]');
});
