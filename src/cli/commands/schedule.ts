/**
 * `mlops-sfn schedule preview "<cron>" [--tz ZONE] [-n N] [--from TIME]`: the next times an
 * EventBridge Scheduler cron schedule fires, in its zone and in UTC, with the daylight-saving
 * adjustments AWS makes. Validates AWS's cron syntax with one-line errors (exit 2).
 */
import type { Command } from 'commander';
import { addTimezoneOption } from '../timezone-option.js';
import { UserError } from '../../core/errors.js';
import { parseAwsCron } from '../../schedule/index.js';
import { nextFireTimes, type DstNote } from '../../schedule/index.js';
import { formatOffset, validateTimeZone, type LocalDateTime } from '../../schedule/index.js';

export interface PreviewOptions {
  tz?: string;
  count?: number;
  /** Start after this instant (epoch ms); default now. */
  from?: number;
}

const pad = (n: number, w = 2): string => String(n).padStart(w, '0');

function formatLocal(l: LocalDateTime): string {
  return `${pad(l.year, 4)}-${pad(l.month)}-${pad(l.day)} ${pad(l.hour)}:${pad(l.minute)}`;
}

function formatUtc(epochMs: number): string {
  const d = new Date(epochMs);
  return `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}Z`;
}

function formatNote(n: DstNote, zone: string): string {
  return n.kind === 'skipped'
    ? `note: ${formatLocal(n.local)} does not exist in ${zone} (clocks spring forward): that run is skipped`
    : `note: ${formatLocal(n.local)} occurs twice in ${zone} (clocks fall back): it runs once, at the first occurrence`;
}

/** The lines `schedule preview` prints. */
export function schedulePreviewLines(expression: string, opts: PreviewOptions = {}): string[] {
  const cron = parseAwsCron(expression);
  const zone = validateTimeZone(opts.tz ?? 'UTC');
  const count = opts.count ?? 10;
  const from = opts.from ?? Date.now();
  const { times, dstNotes } = nextFireTimes(cron, zone, from, count);
  const lines = [`${cron.expression} in ${zone}: next ${count === 1 ? 'fire time' : `${count} fire times`} after ${new Date(from).toISOString()}`];
  if (times.length === 0) {
    lines.push('  (none: the schedule never fires again)');
    return lines;
  }
  const localWidth = Math.max(zone.length, 'YYYY-MM-DD hh:mm (+hh:mm)'.length);
  const num = String(times.length).length;
  lines.push(`  ${'#'.padStart(num)}  ${zone.padEnd(localWidth)}  UTC`);
  times.forEach((t, i) => {
    const local = `${formatLocal(t.local)} (${formatOffset(t.offsetMinutes)})`;
    lines.push(`  ${String(i + 1).padStart(num)}  ${local.padEnd(localWidth)}  ${formatUtc(t.at)}`);
  });
  for (const n of dstNotes) lines.push(formatNote(n, zone));
  return lines;
}

function parseCount(v: string): number {
  if (!/^\d+$/.test(v) || Number(v) < 1 || Number(v) > 1000) throw new UserError(`-n must be a whole number from 1 to 1000, not ${JSON.stringify(v)}`);
  return Number(v);
}

function parseFrom(v: string): number {
  const t = Date.parse(v);
  // A bare date-time without a zone would be read in the machine's zone: require one.
  if (Number.isNaN(t) || !/(Z|[+-]\d{2}:?\d{2})$/i.test(v.trim())) {
    throw new UserError(`--from must be an ISO 8601 time with a zone, e.g. 2026-03-01T00:00:00Z, not ${JSON.stringify(v)}`);
  }
  return t;
}

export function registerScheduleCommand(program: Command): void {
  const schedule = program.command('schedule').description('Work with EventBridge Scheduler cron schedules');
  const preview = schedule
    .command('preview')
    .description('List the next fire times of a cron schedule in its time zone and in UTC')
    .argument('<cron>', 'AWS cron expression: "cron(0 6 * * ? *)" or its six fields "0 6 * * ? *"')
    .option('-n, --count <n>', 'how many fire times to list (1-1000)', parseCount, 10)
    .option('--from <time>', 'list fire times after this ISO 8601 time (default: now)', parseFrom)
    .addHelpText(
      'after',
      '\nFields: minutes hours day-of-month month day-of-week year; use ? in exactly one of the two day fields.' +
        '\nDaylight saving: a time skipped by spring-forward does not run; a repeated time runs once.' +
        '\nExit codes: 0 listed, 2 invalid expression or option.',
    );
  addTimezoneOption(preview, 'IANA time zone the schedule is evaluated in', 'UTC')
    .action((expression: string, opts: { timezone: string; count: number; from?: number }) => {
      const lines = schedulePreviewLines(expression, { tz: opts.timezone, count: opts.count, ...(opts.from !== undefined ? { from: opts.from } : {}) });
      process.stdout.write(lines.join('\n') + '\n');
    });
}
