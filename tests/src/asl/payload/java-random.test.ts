import { test } from 'node:test';
import assert from 'node:assert/strict';
import { JavaRandom } from '../../../../src/asl/payload/java-random.js';

test('the sequence matches java.util.Random for the same seed', () => {
  // Values java.util.Random is known to produce: new Random(0).nextInt(), new Random(42).nextInt().
  assert.equal(new JavaRandom(0).nextInt32(), -1155484576);
  assert.equal(new JavaRandom(42).nextInt32(), -1170105035);
  assert.equal(new JavaRandom(42).nextInt(10), 0);
});

test('nextInt(bound) stays within [0, bound) and is repeatable', () => {
  for (const bound of [1, 2, 7, 64, 999, 2147483647]) {
    const a = new JavaRandom(7);
    const b = new JavaRandom(7);
    for (let i = 0; i < 200; i++) {
      const v = a.nextInt(bound);
      assert.ok(Number.isInteger(v) && v >= 0 && v < bound, `${v} within [0, ${bound})`);
      assert.equal(b.nextInt(bound), v);
    }
  }
});
