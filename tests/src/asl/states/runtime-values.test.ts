import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { VirtualClock } from '../../../../src/core/clock.js';
import type { Json } from '../../../../src/core/json.js';
import { IntegrationRegistry } from '../../../../src/integrations/registry.js';
import { runExecution } from '../../../../src/asl/execution.js';
import { loadStateMachine } from '../../../../src/asl/machine.js';

/**
 * AWS gives each kind of bad runtime value its own cause (texts recorded on AWS); these check the
 * rule for each kind, on values beyond the recorded ones.
 */

async function run(definition: unknown, input: Json, clock = new VirtualClock()) {
  return runExecution(loadStateMachine(definition), input, { tasks: new IntegrationRegistry(), clock });
}

const prefix = (state: string) => `An error occurred while executing the state '${state}' (entered at the event id #2). `;

function waitOn(field: 'SecondsPath' | 'TimestampPath', path: string) {
  return { StartAt: 'W', States: { W: { Type: 'Wait', [field]: path, End: true } } };
}

describe('Wait SecondsPath: one cause per kind of bad value', () => {
  const cases: Array<[string, Json, string]> = [
    ['missing', {}, 'The SecondsPath parameter does not reference an input value: $.s'],
    ['a fraction', { s: 2.5 }, 'The SecondsPath parameter cannot be parsed as a long value: $.s == 2.5'],
    ['a negative fraction', { s: -0.5 }, 'The SecondsPath parameter cannot be parsed as a long value: $.s == -0.5'],
    ['a word', { s: 'soon' }, 'The SecondsPath parameter cannot be parsed as a long value: $.s == soon'],
    ['an object', { s: { n: 1 } }, 'The SecondsPath parameter cannot be parsed as a long value: $.s == {"n":1}'],
    ['a boolean', { s: true }, 'The SecondsPath parameter cannot be parsed as a long value: $.s == true'],
    ['null', { s: null }, 'The SecondsPath parameter cannot be parsed as a long value: $.s == null'],
    ['negative', { s: -7 }, 'The SecondsPath parameter references a negative value: $.s == -7'],
    ['beyond a 32-bit count of seconds', { s: 2_147_483_648 }, 'Wait state delay is too long.'],
  ];
  for (const [what, input, cause] of cases) {
    it(`fails with States.Runtime for ${what}`, async () => {
      const r = await run(waitOn('SecondsPath', '$.s'), input);
      assert.equal(r.status, 'FAILED');
      assert.equal(r.error, 'States.Runtime');
      assert.equal(r.cause, prefix('W') + cause);
    });
  }
  for (const [what, s] of [['zero', 0], ['a whole number', 3], ['a whole number as text', '3']] as const) {
    it(`waits for ${what}`, async () => {
      const clock = new VirtualClock();
      const t0 = clock.now();
      const r = await run(waitOn('SecondsPath', '$.s'), { s }, clock);
      assert.equal(r.status, 'SUCCEEDED');
      assert.equal(clock.now() - t0, Number(s) * 1000);
    });
  }
});

describe('Wait TimestampPath', () => {
  it('fails with "Wait state delay is too long." for a time 24,856 days ahead, and waits for one 24,855 days ahead', async () => {
    const clock = new VirtualClock();
    const day = 86_400_000;
    const at = (days: number) => new Date(clock.now() + days * day).toISOString().replace(/\.\d+Z$/, 'Z');
    const far = await run(waitOn('TimestampPath', '$.t'), { t: at(24_856) }, clock);
    assert.equal(far.status, 'FAILED');
    assert.equal(far.cause, prefix('W') + 'Wait state delay is too long.');
    const near = await run(waitOn('TimestampPath', '$.t'), { t: at(24_855) }, new VirtualClock(clock.now()));
    assert.equal(near.status, 'SUCCEEDED');
  });
  it('quotes the path and the text of a timestamp AWS cannot parse', async () => {
    const r = await run(waitOn('TimestampPath', '$.t'), { t: '2024-02-30T00:00:00Z' });
    assert.equal(r.cause, prefix('W') + 'The TimestampPath parameter does not reference a valid ISO-8601 extended offset date-time format string: $.t == 2024-02-30T00:00:00Z');
  });
});

describe('Map tolerated failure thresholds from paths', () => {
  const map = (extra: Record<string, Json>) => ({
    StartAt: 'M',
    States: {
      M: {
        Type: 'Map',
        ItemsPath: '$.items',
        ItemProcessor: { ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' }, StartAt: 'P', States: { P: { Type: 'Pass', End: true } } },
        ...extra,
        End: true,
      },
    },
  });
  const cases: Array<[string, Record<string, Json>, Json, string]> = [
    ['a negative count', { ToleratedFailureCountPath: '$.c' }, -3, 'ToleratedFailureCount cannot be negative.'],
    ['a count that is not a number', { ToleratedFailureCountPath: '$.c' }, 'many', 'The ToleratedFailureCountPath field refers to value "many" which is not a valid integer: $.c'],
    ['a fractional count', { ToleratedFailureCountPath: '$.c' }, 1.5, 'The ToleratedFailureCountPath field refers to value "1.5" which is not a valid integer: $.c'],
    ['a percentage over 100', { ToleratedFailurePercentagePath: '$.c' }, 100.5, 'ToleratedFailurePercentage must be between 0 and 100.'],
    ['a negative percentage', { ToleratedFailurePercentagePath: '$.c' }, -1, 'ToleratedFailurePercentage must be between 0 and 100.'],
    ['a percentage that is an array', { ToleratedFailurePercentagePath: '$.c' }, [1], 'The ToleratedFailurePercentagePath field refers to value "[1]" which is not a valid float: $.c'],
    ['a MaxConcurrency that is not a number', { MaxConcurrencyPath: '$.c' }, 'x', 'The MaxConcurrencyPath field refers to value "x" which is not a valid integer: $.c'],
  ];
  for (const [what, fields, value, cause] of cases) {
    it(`fails with States.Runtime for ${what}`, async () => {
      const r = await run(map(fields), { items: [1], c: value });
      assert.equal(r.status, 'FAILED');
      assert.equal(r.error, 'States.Runtime');
      assert.equal(r.cause, prefix('M') + cause);
    });
  }
  it('accepts a fractional percentage and a count of 0', async () => {
    assert.equal((await run(map({ ToleratedFailurePercentagePath: '$.c' }), { items: [1], c: 12.5 })).status, 'SUCCEEDED');
    assert.equal((await run(map({ ToleratedFailureCountPath: '$.c' }), { items: [1], c: 0 })).status, 'SUCCEEDED');
  });
});
