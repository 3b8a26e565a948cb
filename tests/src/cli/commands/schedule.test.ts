import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Command } from 'commander';
import { CronExpressionError } from '../../../../src/schedule/cron-error.js';
import { registerScheduleCommand, schedulePreviewLines } from '../../../../src/cli/commands/schedule.js';

test('preview lists fire times in the zone and in UTC, with DST notes', () => {
  const lines = schedulePreviewLines('30 2 * * ? *', { tz: 'America/New_York', count: 3, from: Date.parse('2026-03-06T12:00:00Z') });
  assert.deepEqual(lines, [
    'cron(30 2 * * ? *) in America/New_York: next 3 fire times after 2026-03-06T12:00:00.000Z',
    '  #  America/New_York           UTC',
    '  1  2026-03-07 02:30 (-05:00)  2026-03-07 07:30Z',
    '  2  2026-03-09 02:30 (-04:00)  2026-03-09 06:30Z',
    '  3  2026-03-10 02:30 (-04:00)  2026-03-10 06:30Z',
    'note: 2026-03-08 02:30 does not exist in America/New_York (clocks spring forward): that run is skipped',
  ]);
});

test('preview says when a schedule never fires again', () => {
  const lines = schedulePreviewLines('cron(0 0 1 1 ? 2020)', { count: 2, from: Date.parse('2026-01-01T00:00:00Z') });
  assert.deepEqual(lines.slice(1), ['  (none: the schedule never fires again)']);
});

test('invalid expressions throw one-line user errors', () => {
  assert.throws(() => schedulePreviewLines('0 6 * * *'), CronExpressionError);
  assert.throws(() => schedulePreviewLines('0 6 * * ? *', { tz: 'Nowhere/Land' }), /invalid time zone "Nowhere\/Land"/);
});

test('the command parses its options and prints the table', async () => {
  const program = new Command().exitOverride();
  registerScheduleCommand(program);
  const out: string[] = [];
  const write = process.stdout.write.bind(process.stdout);
  process.stdout.write = ((s: string) => (out.push(s), true)) as typeof process.stdout.write;
  try {
    await program.parseAsync(['schedule', 'preview', '0 6 * * ? *', '--tz', 'Europe/London', '-n', '2', '--from', '2026-03-28T12:00:00Z'], { from: 'user' });
  } finally {
    process.stdout.write = write;
  }
  assert.equal(
    out.join(''),
    [
      'cron(0 6 * * ? *) in Europe/London: next 2 fire times after 2026-03-28T12:00:00.000Z',
      '  #  Europe/London              UTC',
      '  1  2026-03-29 06:00 (+01:00)  2026-03-29 05:00Z',
      '  2  2026-03-30 06:00 (+01:00)  2026-03-30 05:00Z',
      '',
    ].join('\n'),
  );
  await assert.rejects(program.parseAsync(['schedule', 'preview', '0 6 * * ? *', '-n', '0'], { from: 'user' }), /-n must be a whole number from 1 to 1000/);
  await assert.rejects(program.parseAsync(['schedule', 'preview', '0 6 * * ? *', '--from', '2026-03-28T12:00'], { from: 'user' }), /--from must be an ISO 8601 time with a zone/);
});
