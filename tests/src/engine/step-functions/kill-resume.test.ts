import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runKillCycles } from '../../../support/kill-cycles.js';

// The small version of `node dist/bench/kill-resume-bench.js` (100+ cycles): real job processes and a
// real SIGKILL each cycle, across a Parallel, a Map, Waits, `.sync` jobs and a `.waitForTaskToken` task.
test('executions killed with SIGKILL at random moments and resumed end exactly as an uninterrupted one, every job and task run once', { timeout: 300_000 }, async () => {
  const r = await runKillCycles({ cycles: 10 });
  assert.deepEqual(r.problems, [], `seed ${r.seed}`);
  assert.equal(r.lost, 0);
  assert.equal(r.runTwice, 0);
  assert.ok(r.cycles >= 10);
});
