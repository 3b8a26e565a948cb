import assert from 'node:assert/strict';
import { test } from 'node:test';
import { VirtualClock } from '../../../src/core/clock.js';

test('virtual time skips waits at once but charges the real time of held work, once for overlapping holds', { timeout: 10_000 }, async () => {
  const clock = new VirtualClock(0);
  const t0 = Date.now();
  await clock.sleep(60_000);
  assert.equal(clock.now(), 60_000, 'a minute of Wait takes no real time');
  assert.ok(Date.now() - t0 < 1000);
  const a = clock.hold();
  const b = clock.hold();
  await new Promise((r) => setTimeout(r, 300));
  const during = clock.now();
  assert.ok(during >= 60_300 && during < 61_000, `time runs while work is held: ${during}`);
  b();
  await new Promise((r) => setTimeout(r, 200));
  a();
  const after = clock.now();
  assert.ok(after >= 60_500 && after < 61_500, `500 ms of held work, charged once: ${after}`);
  await new Promise((r) => setTimeout(r, 100));
  assert.equal(clock.now(), after, 'no work held: time stands still');
});
