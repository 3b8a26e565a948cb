import assert from 'node:assert/strict';
import { test } from 'node:test';
import { RealClock } from '../../../src/core/clock.js';
import { MAX_TIMER_MS, setLongTimeout, type TimerHost } from '../../../src/core/long-timer.js';

const DAY = 86_400_000;

/** A timer host on a hand-moved clock, recording every delay handed to setTimeout. */
function fakeHost(maxChunkMs?: number) {
  let now = 0;
  const pending: { at: number; fn: () => void; id: number }[] = [];
  const delays: number[] = [];
  let ids = 0;
  const host: TimerHost = {
    now: () => now,
    setTimeout: (fn, ms) => {
      delays.push(ms);
      const id = ++ids;
      pending.push({ at: now + ms, fn, id });
      return id;
    },
    clearTimeout: (id) => {
      const i = pending.findIndex((p) => p.id === id);
      if (i >= 0) pending.splice(i, 1);
    },
    ...(maxChunkMs !== undefined ? { maxChunkMs } : {}),
  };
  /** Moves time forward to `t`, firing due timers in order. */
  const advanceTo = (t: number) => {
    for (;;) {
      pending.sort((a, b) => a.at - b.at);
      const next = pending[0];
      if (next === undefined || next.at > t) break;
      pending.shift();
      now = next.at;
      next.fn();
    }
    now = t;
  };
  return { host, delays, advanceTo, pending };
}

test('a year-long timer is armed in chunks setTimeout honours and fires at its deadline, not before', () => {
  const { host, delays, advanceTo } = fakeHost();
  let fired = 0;
  setLongTimeout(() => fired++, 365 * DAY, { host });
  advanceTo(365 * DAY - 1);
  assert.equal(fired, 0);
  assert.ok(delays.length >= 15, `${delays.length} chunks`);
  assert.ok(delays.every((d) => d >= 0 && d <= MAX_TIMER_MS), 'every chunk fits setTimeout');
  advanceTo(365 * DAY);
  assert.equal(fired, 1);
  assert.equal(delays.reduce((a, b) => a + b, 0), 365 * DAY);
});

test('a long timer re-reads the clock after each chunk (a suspended process still meets the deadline)', () => {
  const { host, advanceTo, pending } = fakeHost(10);
  let fired = 0;
  setLongTimeout(() => fired++, 35, { host });
  advanceTo(10);
  // The machine slept: the clock jumps 22 ms, past the second chunk.
  pending[0]!.at = 32;
  advanceTo(32);
  assert.equal(fired, 0);
  advanceTo(35);
  assert.equal(fired, 1);
});

test('clearing a long timer stops every later chunk', () => {
  const { host, advanceTo } = fakeHost();
  let fired = 0;
  const t = setLongTimeout(() => fired++, 40 * DAY, { host });
  advanceTo(30 * DAY);
  t.clear();
  advanceTo(50 * DAY);
  assert.equal(fired, 0);
});

test('short delays, zero, negative and NaN behave as setTimeout does', () => {
  const { host, delays } = fakeHost();
  for (const ms of [5, 0, -3, Number.NaN]) setLongTimeout(() => {}, ms, { host });
  assert.deepEqual(delays, [5, 0, 0, 0]);
});

test('the real clock sleeps through a 30-day timeout instead of firing at once', { timeout: 5_000 }, async () => {
  const clock = new RealClock();
  const stop = new AbortController();
  let woke = false;
  const sleeping = clock.sleep(30 * DAY, stop.signal).then(() => (woke = true), () => undefined);
  await new Promise((r) => setTimeout(r, 100));
  assert.equal(woke, false, 'a 30-day sleep ended after 100 ms');
  stop.abort(new Error('test over'));
  await sleeping;
});
