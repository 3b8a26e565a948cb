import assert from 'node:assert/strict';
import { test } from 'node:test';
import { VirtualClock } from '../../../src/core/clock.js';
import { LocalSchedule, type ScheduleFiring } from '../../../src/serve/local-scheduler.js';

const iso = (ms: number) => new Date(ms).toISOString();

/** Collects what the schedule invokes until `count` invocations, then stops it. */
async function collect(schedule: LocalSchedule, calls: { at: string; firing: ScheduleFiring }[], count: number): Promise<void> {
  schedule.start();
  for (let i = 0; i < 10_000 && calls.length < count; i++) await new Promise((r) => setImmediate(r));
  await schedule.stop();
}

test('fires at the cron times in the schedule zone, across a daylight-saving change', async () => {
  const clock = new VirtualClock(Date.parse('2026-03-27T12:00:00Z'));
  const calls: { at: string; firing: ScheduleFiring }[] = [];
  const schedule = new LocalSchedule({
    expression: 'cron(0 6 * * ? *)',
    timezone: 'Europe/Paris',
    clock,
    invoke: async (firing) => void calls.push({ at: iso(clock.now()), firing }),
    log: () => {},
  });
  await collect(schedule, calls, 3);
  // 06:00 in Paris is 05:00Z before the change on 29 March and 04:00Z after it.
  assert.deepEqual(
    calls.slice(0, 3).map((c) => iso(c.firing.scheduledAt)),
    ['2026-03-28T05:00:00.000Z', '2026-03-29T04:00:00.000Z', '2026-03-30T04:00:00.000Z'],
  );
  // The Lambda runs at its fire time: virtual time runs at real speed while it works (so the clock
  // may read a millisecond past the fire time by the time the handler looks), never a second.
  assert.ok(calls.every((c) => c.firing.attempt === 1 && Date.parse(c.at) - c.firing.scheduledAt >= 0 && Date.parse(c.at) - c.firing.scheduledAt < 1000));
});

test('a failed invocation is retried twice, one and then two minutes later, like an asynchronous Lambda invocation', async () => {
  const clock = new VirtualClock(Date.parse('2026-01-01T00:00:30Z'));
  const attempts: { at: string; attempt: number }[] = [];
  const logs: string[] = [];
  const schedule = new LocalSchedule({
    expression: '0 12 1 1 ? 2026',
    timezone: 'UTC',
    clock,
    invoke: async (firing) => {
      attempts.push({ at: iso(clock.now()), attempt: firing.attempt });
      throw new Error('the pipeline YAML has problems');
    },
    log: (l) => logs.push(l),
  });
  schedule.start();
  for (let i = 0; i < 10_000 && !logs.some((l) => l.includes('no more fire times')); i++) await new Promise((r) => setImmediate(r));
  for (let i = 0; i < 10_000 && attempts.length < 3; i++) await new Promise((r) => setImmediate(r));
  await schedule.stop();
  // Each retry waits its minutes after the failed attempt ended; the attempt's own real time (a
  // millisecond or so, charged to the virtual clock) is left out of the comparison.
  assert.deepEqual(
    attempts.map((a) => ({ ...a, at: a.at.slice(0, 19) })),
    [
      { at: '2026-01-01T12:00:00', attempt: 1 },
      { at: '2026-01-01T12:01:00', attempt: 2 },
      { at: '2026-01-01T12:03:00', attempt: 3 },
    ],
  );
  assert.match(logs.join('\n'), /failed \(attempt 3\): the pipeline YAML has problems; no retries left/);
});

test('a bad expression is refused before anything is scheduled', () => {
  assert.throws(
    () => new LocalSchedule({ expression: 'cron(0 6 * * * *)', timezone: 'UTC', clock: new VirtualClock(), invoke: async () => {}, log: () => {} }),
    /\?/,
  );
});
