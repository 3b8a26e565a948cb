import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import type { Json, JsonObject } from '../../../../src/core/json.js';
import { StatesError } from '../../../../src/asl/errors.js';
import type { PathScope } from '../../../../src/asl/scope.js';
import { compileDynamicValue, setIntrinsicRandomSource, TemplateSyntaxError } from '../../../../src/asl/payload/index.js';

function scope(input: Json = {}, context: JsonObject = {}, vars: Record<string, Json> = {}): PathScope {
  return { input, context, variables: { lookup: (n) => (Object.prototype.hasOwnProperty.call(vars, n) ? vars[n] : undefined) } };
}

function run(source: string, input: Json = {}): Json {
  return compileDynamicValue(source, 'r.$').evaluate(scope(input));
}

/** Asserts the call fails at run time with the error name and a cause matching `cause`. */
function fails(source: string, input: Json, error: string, cause: RegExp): void {
  const compiled = compileDynamicValue(source, 'r.$');
  assert.throws(
    () => compiled.evaluate(scope(input)),
    (e: unknown) => e instanceof StatesError && e.error === error && e.inStateContext && cause.test(e.cause ?? ''),
  );
}

/** AWS fails the state with States.Runtime for every bad intrinsic argument (docs/conformance.md). */
const FAIL = 'States.Runtime';

test('States.Format fills placeholders in order and renders values Java-style', () => {
  assert.equal(run("States.Format('Hello, my name is {}.', $.name)", { name: 'Arnav' }), 'Hello, my name is Arnav.');
  assert.equal(run('States.Format($.template, $.name)', { template: 'Hi {}!', name: 'Ann' }), 'Hi Ann!');
  assert.equal(run("States.Format('{} {} {} {}', $.o, $.n, $.f, $.b)", { o: { Arg1: 1, Arg2: [] }, n: null, f: 1.1, b: true }), '{Arg1=1, Arg2=[]} null 1.1 true');
  assert.equal(run("States.Format('a\\{\\}b{}', 1)"), 'a{}b1');
  assert.equal(run("States.Format('no placeholders')"), 'no placeholders');
});

test('States.Format fails when placeholders and values do not match', () => {
  fails("States.Format('{} and {}', 1)", {}, FAIL, /2 placeholders '\{\}' but 1 value was given/);
  fails('States.Format($.t)', { t: 'x{}' }, FAIL, /1 placeholder '\{\}' but 0 values were given/);
  fails('States.Format($.t, 1)', { t: 5 }, FAIL, /first argument must be a string, but was number 5/);
});

test('States.StringToJson parses, and returns null for an empty or blank string', () => {
  assert.deepEqual(run('States.StringToJson($.s)', { s: '{"foo": "bar"}' }), { foo: 'bar' });
  assert.equal(run('States.StringToJson($.s)', { s: '' }), null);
  assert.equal(run('States.StringToJson($.s)', { s: ' \n' }), null);
  assert.equal(Object.is(run('States.StringToJson($.s)', { s: '-0' }), 0), true);
  assert.equal(run("States.StringToJson('\"HelloWorld\"')"), 'HelloWorld');
  fails('States.StringToJson($.s)', { s: '{nope' }, FAIL, /is not valid JSON/);
  fails('States.StringToJson($.s)', { s: 1 }, FAIL, /must be a string/);
});

test('States.StringToJson keeps "__proto__" as a plain key', () => {
  const v = run('States.StringToJson($.s)', { s: '{"__proto__": {"polluted": true}}' }) as JsonObject;
  assert.deepEqual(Object.keys(v), ['__proto__']);
  assert.equal(({} as Record<string, unknown>)['polluted'], undefined);
});

test('States.JsonToString gives compact JSON', () => {
  assert.equal(run('States.JsonToString($.v)', { v: { foo: 'bar', n: [1, 2.5, null] } }), '{"foo":"bar","n":[1,2.5,null]}');
  assert.equal(run('States.JsonToString($.v)', { v: null }), 'null');
  assert.equal(run("States.JsonToString('x')"), '"x"');
});

test('States.Array collects its arguments, including none', () => {
  assert.deepEqual(run('States.Array($.a, 2, States.Array())', { a: 'x' }), ['x', 2, []]);
  assert.deepEqual(run('States.Array()'), []);
});

test('States.ArrayPartition chunks, the last chunk holding the rest', () => {
  assert.deepEqual(run('States.ArrayPartition($.a, 2)', { a: [0, 1, 2] }), [[0, 1], [2]]);
  assert.deepEqual(run('States.ArrayPartition($.a, 5)', { a: [] }), []);
  fails('States.ArrayPartition($.a, 0)', { a: [1] }, FAIL, /chunk size must be a positive integer/);
  fails('States.ArrayPartition($.a, 1.5)', { a: [1] }, FAIL, /second argument must be an integer/);
  fails('States.ArrayPartition($.a, 1)', { a: 'x' }, FAIL, /first argument must be an array, but was string "x"/);
});

test('States.ArrayContains compares JSON values deeply', () => {
  assert.equal(run('States.ArrayContains($.a, $.v)', { a: [{ 1: 2, 2: [] }], v: { 2: [], 1: 2 } }), true);
  assert.equal(run('States.ArrayContains($.a, $.v)', { a: [[1, 2, 3], 2], v: null }), false);
  assert.equal(run('States.ArrayContains($.a, 2)', { a: [[1, 2, 3], 2] }), true);
  assert.equal(run('States.ArrayContains($.a, $.v)', { a: [], v: [] }), false);
});

test('States.ArrayRange includes the end when a step lands on it', () => {
  assert.deepEqual(run('States.ArrayRange(1, 9, 2)'), [1, 3, 5, 7, 9]);
  assert.deepEqual(run('States.ArrayRange(0, 10, 3)'), [0, 3, 6, 9]);
  assert.deepEqual(run('States.ArrayRange(5, 1, -2)'), [5, 3, 1]);
  assert.deepEqual(run('States.ArrayRange(5, 1, 1)'), []);
  assert.equal((run('States.ArrayRange(1, 1000, 1)') as Json[]).length, 1000);
  fails('States.ArrayRange(0, 1000, 1)', {}, FAIL, /1001 items, more than the maximum of 1000/);
  fails('States.ArrayRange(0, 3, 0)', {}, FAIL, /must not be 0/);
  fails('States.ArrayRange(0, 3.5, 1)', {}, FAIL, /second argument must be an integer/);
});

test('States.ArrayGetItem returns the item at a zero-based index', () => {
  assert.equal(run('States.ArrayGetItem($.a, 5)', { a: [1, 2, 3, 4, 5, 6, 7, 8, 9] }), 6);
  fails('States.ArrayGetItem($.a, 3)', { a: [1, 2, 3] }, FAIL, /index 3 is out of bounds for an array of 3 items/);
  fails('States.ArrayGetItem($.a, -1)', { a: [1] }, FAIL, /out of bounds/);
});

test('States.ArrayLength and States.ArrayUnique', () => {
  assert.equal(run('States.ArrayLength($.a)', { a: [1, 2, 3] }), 3);
  assert.deepEqual(
    run('States.ArrayUnique($.a)', { a: [null, null, true, true, 1, 1, 1.1, 0, 'x', 'x', [], [], [null], [null], { a: 1, b: 2 }, { b: 2, a: 1 }, { a: 1, b: 1 }] }),
    [null, true, 1, 1.1, 0, 'x', [], [null], { a: 1, b: 2 }, { a: 1, b: 1 }],
  );
  fails('States.ArrayLength($.a)', { a: {} }, FAIL, /must be an array, but was object/);
});

test('States.Base64Encode and Base64Decode round-trip UTF-8 text', () => {
  assert.equal(run("States.Base64Encode('Data to encode')"), 'RGF0YSB0byBlbmNvZGU=');
  assert.equal(run("States.Base64Decode('RGF0YSB0byBlbmNvZGU=')"), 'Data to encode');
  assert.equal(run('States.Base64Decode(States.Base64Encode($.s))', { s: 'héllo ✓' }), 'héllo ✓');
  assert.equal(run("States.Base64Decode('')"), '');
  assert.equal(run("States.Base64Decode('YWI')"), 'ab');
  fails("States.Base64Decode('not base64!')", {}, FAIL, /not valid Base64/);
  fails("States.Base64Decode('YWI=Y')", {}, FAIL, /not valid Base64/);
});

test('encoding inputs are limited to 10,000 characters', () => {
  const ok = 'a'.repeat(10000);
  assert.equal(typeof run('States.Base64Encode($.s)', { s: ok }), 'string');
  assert.equal(typeof run("States.Hash($.s, 'MD5')", { s: ok }), 'string');
  for (const fn of ['States.Base64Encode($.s)', 'States.Base64Decode($.s)', "States.Hash($.s, 'MD5')"]) {
    fails(fn, { s: ok + 'a' }, FAIL, /10001 characters, more than the maximum of 10000/);
  }
});

test('States.Hash supports the five documented algorithms', () => {
  const expected: Record<string, string> = { MD5: 'md5', 'SHA-1': 'sha1', 'SHA-256': 'sha256', 'SHA-384': 'sha384', 'SHA-512': 'sha512' };
  for (const [alg, node] of Object.entries(expected)) {
    assert.equal(run('States.Hash($.d, $.a)', { d: 'input data', a: alg }), createHash(node).update('input data').digest('hex'));
  }
  assert.equal(run("States.Hash('input data', 'MD5')"), '812f45842bc6d66ee14572ce20db8e86');
  fails("States.Hash('x', 'SHA-3')", {}, FAIL, /'SHA-3' is not supported; use one of MD5, SHA-1, SHA-256, SHA-384, SHA-512/);
});

test('States.JsonMerge is shallow: the second object wins whole keys', () => {
  assert.deepEqual(
    run('States.JsonMerge($.a, $.b, false)', { a: { a: { a1: 1, a2: 2 }, b: 2, d: 3 }, b: { a: { a3: 1, a4: 2 }, c: 3, d: 4 } }),
    { a: { a3: 1, a4: 2 }, b: 2, c: 3, d: 4 },
  );
  fails('States.JsonMerge($.a, $.a, true)', { a: {} }, FAIL, /deep merging is not supported/);
  fails('States.JsonMerge($.a, $.a, 0)', { a: {} }, FAIL, /third argument must be the boolean false/);
  fails('States.JsonMerge($.a, $.b, false)', { a: {}, b: [] }, FAIL, /second argument must be a JSON object, but was array/);
});

test('States.JsonMerge copies a "__proto__" key as data', () => {
  const merged = run('States.JsonMerge($.a, States.StringToJson($.s), false)', { a: { x: 1 }, s: '{"__proto__": {"y": 2}}' }) as JsonObject;
  assert.deepEqual(Object.keys(merged), ['x', '__proto__']);
  assert.equal(Object.getPrototypeOf(merged), Object.prototype);
});

test('States.MathAdd rounds each argument half up before adding', () => {
  const cases: [number, number, number][] = [[-9, 3, -6], [1.49, 1.5, 3], [1.49, 0, 1], [1.51, 0, 2], [-1.5, 0, -1], [0.5, 0, 1], [2.5, 0, 3], [-0.5, 0, 0], [-0.5, 0.5, 1]];
  for (const [a, b, sum] of cases) {
    const v = run('States.MathAdd($.a, $.b)', { a, b });
    assert.ok(Object.is(v, sum), `MathAdd(${a}, ${b}) = ${String(v)}, expected ${sum}`);
  }
  assert.equal(run('States.MathAdd($.i, -1)', { i: 3 }), 2);
  fails('States.MathAdd(2147483648, 0)', {}, FAIL, /between -2147483648 and 2147483647/);
  fails("States.MathAdd('1', 0)", {}, FAIL, /first argument must be a number/);
});

test('States.MathRandom draws from [start, end), and a seed makes it repeatable', () => {
  for (let i = 0; i < 50; i++) {
    const v = run('States.MathRandom($.s, $.e)', { s: 12.5, e: 44.51 }) as number;
    assert.ok(Number.isInteger(v) && v >= 13 && v < 45, String(v));
  }
  const seeded = run('States.MathRandom(0, 999, 3)');
  assert.equal(run('States.MathRandom(0, 999, 3)'), seeded);
  assert.ok(typeof seeded === 'number' && seeded >= 0 && seeded < 999);
  fails('States.MathRandom(5, 5)', {}, FAIL, /end \(5\) must be greater than the start \(5\)/);
});

test('States.UUID returns a version 4 UUID; the random source can be replaced', () => {
  assert.match(run('States.UUID()') as string, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  const previous = setIntrinsicRandomSource({ integer: (min) => min, uuid: () => 'fixed' });
  try {
    assert.equal(run('States.UUID()'), 'fixed');
    assert.equal(run('States.MathRandom(3, 9)'), 3);
  } finally {
    setIntrinsicRandomSource(previous);
  }
});

test('States.StringSplit splits on every delimiter character and drops empty pieces', () => {
  assert.deepEqual(run("States.StringSplit('1,2,3,4,5', ',')"), ['1', '2', '3', '4', '5']);
  assert.deepEqual(run("States.StringSplit('This.is+a,test=string', '.+,=')"), ['This', 'is', 'a', 'test', 'string']);
  assert.deepEqual(run("States.StringSplit(',,a,,b,', ',')"), ['a', 'b']);
  assert.deepEqual(run("States.StringSplit(' ', ',')"), [' ']);
  assert.deepEqual(run("States.StringSplit('', ',')"), []);
  assert.deepEqual(run("States.StringSplit('a😀b😀', '😀')"), ['a', 'b']);
  assert.deepEqual(run("States.StringSplit('abc', '')"), ['abc']);
});

test('an unknown function or a wrong argument count is a definition error', () => {
  assert.throws(() => compileDynamicValue('States.Nope(1)', 'x.$'), TemplateSyntaxError);
  assert.throws(() => compileDynamicValue('States.UUID(1)', 'x.$'), /States.UUID takes 0 arguments, but 1 was given/);
  assert.throws(() => compileDynamicValue('States.MathRandom(1)', 'x.$'), /takes 2 to 3 arguments/);
  assert.throws(() => compileDynamicValue('States.Format()', 'x.$'), /takes at least 1 argument/);
});

test('an undefined escape in a literal fails the call at run time with States.Runtime', () => {
  fails("States.Format('a\\qb')", {}, 'States.Runtime', /unsupported escape sequence '\\q'/);
});

/*
 * One row per kind of bad argument: each fails with States.Runtime, a cause naming the function
 * that failed ("Invalid arguments in States.X", as AWS writes it) and our text for the kind.
 */
const BAD_ARGUMENTS: ReadonlyArray<readonly [kind: string, source: string, input: Json, fn: string, detail: RegExp]> = [
  ['string where an array is expected', 'States.ArrayLength($.a)', { a: 'abc' }, 'States.ArrayLength', /^the first argument must be an array, but was string "abc"\.$/],
  ['object where an array is expected', 'States.ArrayUnique($.a)', { a: { k: 1 } }, 'States.ArrayUnique', /^the first argument must be an array, but was object \{"k":1\}\.$/],
  ['null where an array is expected', 'States.ArrayContains($.a, 1)', { a: null }, 'States.ArrayContains', /^the first argument must be an array, but was null null\.$/],
  ['string where an integer index is expected', "States.ArrayGetItem($.a, '0')", { a: [1] }, 'States.ArrayGetItem', /^the second argument must be an integer, but was string "0"\.$/],
  ['fraction where an integer index is expected', 'States.ArrayGetItem($.a, 0.5)', { a: [1] }, 'States.ArrayGetItem', /^the second argument must be an integer, but was number 0\.5\.$/],
  ['index past the end', 'States.ArrayGetItem($.a, 2)', { a: [1, 2] }, 'States.ArrayGetItem', /^the index 2 is out of bounds for an array of 2 items\.$/],
  ['negative index', 'States.ArrayGetItem($.a, -1)', { a: [1, 2] }, 'States.ArrayGetItem', /^the index -1 is out of bounds for an array of 2 items\.$/],
  ['chunk size 0', 'States.ArrayPartition($.a, 0)', { a: [1] }, 'States.ArrayPartition', /^the chunk size must be a positive integer, but was 0\.$/],
  ['negative chunk size', 'States.ArrayPartition($.a, -2)', { a: [1] }, 'States.ArrayPartition', /^the chunk size must be a positive integer, but was -2\.$/],
  ['string where a range bound is expected', "States.ArrayRange('a', 5, 1)", {}, 'States.ArrayRange', /^the first argument must be an integer, but was string "a"\.$/],
  ['range step 0', 'States.ArrayRange(1, 10, 0)', {}, 'States.ArrayRange', /^the step \(third argument\) must not be 0\.$/],
  ['range over 1000 items', 'States.ArrayRange(1, 1001, 1)', {}, 'States.ArrayRange', /^the range would have 1001 items, more than the maximum of 1000\.$/],
  ['descending range over 1000 items', 'States.ArrayRange(1001, 1, -1)', {}, 'States.ArrayRange', /^the range would have 1001 items, more than the maximum of 1000\.$/],
  ['number where a string is expected', 'States.Base64Encode($.s)', { s: 12 }, 'States.Base64Encode', /^the first argument must be a string, but was number 12\.$/],
  ['invalid base64', "States.Base64Decode('YQ=a')", {}, 'States.Base64Decode', /^the input is not valid Base64 data\.$/],
  ['input over 10,000 characters', 'States.Base64Decode($.s)', { s: 'QUJD'.repeat(2501) }, 'States.Base64Decode', /^the input has 10004 characters, more than the maximum of 10000\.$/],
  ['unsupported hash algorithm', "States.Hash('x', 'sha256')", {}, 'States.Hash', /^the hashing algorithm 'sha256' is not supported; use one of MD5, SHA-1, SHA-256, SHA-384, SHA-512\.$/],
  ['number where the algorithm name is expected', "States.Hash('x', 256)", {}, 'States.Hash', /^the second argument must be a string, but was number 256\.$/],
  ['invalid JSON text', 'States.StringToJson($.s)', { s: "{'a': 1}" }, 'States.StringToJson', /^the string "\{'a': 1\}" is not valid JSON\.$/],
  ['array where an object is expected', 'States.JsonMerge($.a, $.b, false)', { a: [], b: {} }, 'States.JsonMerge', /^the first argument must be a JSON object, but was array \[\]\.$/],
  ['deep merge requested', 'States.JsonMerge($.a, $.b, true)', { a: {}, b: {} }, 'States.JsonMerge', /^deep merging is not supported; the third argument must be false\.$/],
  ['string where the deep flag is expected', "States.JsonMerge($.a, $.b, 'false')", { a: {}, b: {} }, 'States.JsonMerge', /^the third argument must be the boolean false, but was "false"\.$/],
  ['string where a number is expected (MathAdd)', 'States.MathAdd($.a, $.b)', { a: 1, b: 'NOT A NUMBER' }, 'States.MathAdd', /^the second argument must be a number, but was string "NOT A NUMBER"\.$/],
  ['sum operand beyond a 32-bit int', 'States.MathAdd(-2147483649, 0)', {}, 'States.MathAdd', /^the first argument must be between -2147483648 and 2147483647, but was -2147483649\.$/],
  ['random bounds in the wrong order', 'States.MathRandom(10, 1)', {}, 'States.MathRandom', /^the end \(1\) must be greater than the start \(10\)\.$/],
  ['random range wider than a 32-bit int', 'States.MathRandom(-2147483648, 2147483647)', {}, 'States.MathRandom', /^the range from -2147483648 to 2147483647 is larger than 2147483647\.$/],
  ['string where a seed is expected', "States.MathRandom(1, 10, 'seed')", {}, 'States.MathRandom', /^the third argument must be a number, but was string "seed"\.$/],
  ['more placeholders than values', "States.Format('{} {}', $.a)", { a: 1 }, 'States.Format', /^the template has 2 placeholders '\{\}' but 1 value was given\.$/],
  ['more values than placeholders', "States.Format('{}', 1, 2)", {}, 'States.Format', /^the template has 1 placeholder '\{\}' but 2 values were given\.$/],
  ['number where the template is expected', 'States.Format($.t)', { t: 1 }, 'States.Format', /^the first argument must be a string, but was number 1\.$/],
  ['array where a delimiter is expected', 'States.StringSplit($.s, $.d)', { s: 'a,b', d: [','] }, 'States.StringSplit', /^the second argument must be a string, but was array \[","\]\.$/],
  ['a nested call failing names the inner function', 'States.ArrayLength(States.StringToJson($.s))', { s: '[1,' }, 'States.StringToJson', /^the string "\[1," is not valid JSON\.$/],
];

for (const [kind, source, input, fn, detail] of BAD_ARGUMENTS) {
  test(`bad intrinsic argument (${kind}): States.Runtime, "Invalid arguments in ${fn}"`, () => {
    const compiled = compileDynamicValue(source, 'r.$');
    assert.throws(
      () => compiled.evaluate(scope(input)),
      (e: unknown) => {
        assert.ok(e instanceof StatesError, `expected a StatesError, got ${String(e)}`);
        assert.equal(e.error, 'States.Runtime');
        assert.equal(e.inStateContext, true, 'the engine prefixes the cause with the state and its entered event');
        const prefix = `Invalid arguments in ${fn}: `;
        assert.ok(e.cause?.startsWith(prefix), `cause ${JSON.stringify(e.cause)} should start with ${JSON.stringify(prefix)}`);
        assert.match((e.cause ?? "").slice(prefix.length), detail);
        return true;
      },
    );
  });
}

test('a value nested too deep for an intrinsic fails with States.Runtime', () => {
  let deep: Json = 1;
  for (let i = 0; i < 2100; i++) deep = [deep];
  fails('States.JsonToString($.v)', { v: deep }, FAIL, /nested more than 2000 levels deep/);
});
