import assert from 'node:assert/strict';
import { test } from 'node:test';
import { VirtualClock, type Clock } from '../../../src/core/clock.js';
import { giveTurn } from '../../../src/asl/event-loop-turns.js';
import { IntegrationRegistry } from '../../../src/integrations/registry.js';
import { MAX_EXECUTION_SECONDS, runExecution } from '../../../src/asl/execution.js';
import { loadStateMachine } from '../../../src/asl/machine.js';

/**
 * Real time, running SPEED times faster: the execution's own timers are real timers, so they fire
 * only if the run of synchronous states gives the event loop a turn.
 */
class FastRealClock implements Clock {
  readonly virtual = false;
  private readonly origin = Date.now();
  constructor(private readonly speed: number) {}
  now(): number {
    return this.origin + (Date.now() - this.origin) * this.speed;
  }
  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    return new Promise((resolve, reject) => {
      const t = setTimeout(resolve, ms / this.speed);
      signal?.addEventListener('abort', () => (clearTimeout(t), reject(signal.reason)), { once: true });
    });
  }
  hold(): () => void {
    return () => {};
  }
  elapse(): void {}
}

const ENDLESS = {
  StartAt: 'Count',
  States: {
    Count: { Type: 'Pass', Parameters: { 'n.$': 'States.MathAdd($.n, 1)' }, Next: 'Again' },
    Again: { Type: 'Choice', Choices: [{ Variable: '$.n', NumericLessThan: 0, Next: 'Never' }], Default: 'Count' },
    Never: { Type: 'Succeed' },
  },
};

test('an endless EXPRESS loop of Pass and Choice states ends TIMED_OUT at AWS five-minute limit', { timeout: 20_000 }, async () => {
  assert.equal(MAX_EXECUTION_SECONDS.EXPRESS, 300);
  const clock = new FastRealClock(300); // five minutes in one second
  const r = await runExecution(loadStateMachine(ENDLESS), { n: 0 }, { tasks: new IntegrationRegistry(), clock, type: 'EXPRESS' });
  assert.equal(r.status, 'TIMED_OUT');
  assert.equal(r.error, 'States.Timeout');
  const minutes = (r.stopDate - r.startDate) / 60_000;
  assert.ok(minutes >= 5 && minutes < 6, `ended after ${minutes} minutes`);
  assert.ok(r.transitions > 10_000, `${r.transitions} transitions`);
});

test("a machine's shorter TimeoutSeconds still wins over the EXPRESS limit", { timeout: 20_000 }, async () => {
  const clock = new FastRealClock(300);
  const r = await runExecution(loadStateMachine({ ...ENDLESS, TimeoutSeconds: 60 }), { n: 0 }, { tasks: new IntegrationRegistry(), clock, type: 'EXPRESS' });
  assert.equal(r.status, 'TIMED_OUT');
  assert.ok((r.stopDate - r.startDate) / 60_000 < 2);
});

test('a stop reaches an endless loop and a timer set meanwhile still fires', { timeout: 20_000 }, async () => {
  const stop = new AbortController();
  let ticked = false;
  setTimeout(() => (ticked = true), 50);
  setTimeout(() => stop.abort({ error: 'Stopped', cause: 'by the test' }), 200);
  const r = await runExecution(loadStateMachine(ENDLESS), { n: 0 }, { tasks: new IntegrationRegistry(), type: 'EXPRESS', signal: stop.signal });
  assert.equal(r.status, 'ABORTED');
  assert.equal(ticked, true);
});

test('a virtual clock is charged the real time of the work between turns', async () => {
  const clock = new VirtualClock(0);
  const started = performance.now();
  while (performance.now() - started < 30) {
    // a slice of synchronous work
  }
  await giveTurn(clock);
  assert.ok(clock.now() >= 30, `virtual time moved ${clock.now()} ms for 30 ms of work`);
});
