/**
 * `mlops-sfn gc --older-than 30d|12h [--keep N] [--yes] [--json]`: removes old executions (with their
 * histories), SageMaker job records with their logs and work folders, the objects their runs wrote,
 * and leftovers of interrupted writers. Without --yes it only prints what it would remove and how
 * much that frees (the rules are in engine/home-gc.ts and the README).
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { UserError } from '../../core/errors.js';
import { applyGcPlan, planGc, type GcOutcome, type GcPlan } from '../../engine/home-gc.js';
import { formatBytes } from '../../engine/home-size.js';
import { Store, STATE_DB_FILE } from '../../store/index.js';

interface GcFlags {
  olderThan?: string;
  keep?: string;
  yes?: boolean;
  json?: boolean;
  includeRedrivable?: boolean;
}

const UNIT_MS: Readonly<Record<string, number>> = { m: 60_000, h: 3_600_000, d: 86_400_000, w: 7 * 86_400_000 };

/** "30d", "12h", "45m", "2w" → milliseconds. */
export function parseAge(text: string): number {
  const m = /^(\d{1,6})([mhdw])$/.exec(text.trim());
  if (m === null) throw new UserError(`--older-than takes an age like 30d, 12h, 45m or 2w (got ${JSON.stringify(text)})`);
  return Number(m[1]) * UNIT_MS[m[2]!]!;
}

export function parseKeep(text: string): number {
  if (!/^\d{1,9}$/.test(text.trim())) throw new UserError(`--keep takes a whole number of executions to keep per state machine, 0 or more (got ${JSON.stringify(text)})`);
  return Number(text);
}

export interface GcResult {
  plan: GcPlan;
  outcome?: GcOutcome;
}

export async function runGc(home: string, flags: GcFlags, now = Date.now()): Promise<GcResult> {
  if (flags.olderThan === undefined && flags.keep === undefined) {
    throw new UserError('say what to remove: --older-than <age> (e.g. 30d), --keep <n> newest executions per state machine, or both');
  }
  const olderThanMs = flags.olderThan !== undefined ? parseAge(flags.olderThan) : undefined;
  const keep = flags.keep !== undefined ? parseKeep(flags.keep) : undefined;
  if (!existsSync(join(home, STATE_DB_FILE))) throw new UserError(`${home} is not an mlops-sfn home (no ${STATE_DB_FILE}; is --home right?)`);
  const store = Store.open(home);
  try {
    const plan = await planGc(home, store, {
      now,
      ...(olderThanMs !== undefined ? { olderThanMs } : {}),
      ...(keep !== undefined ? { keep } : {}),
      ...(flags.includeRedrivable ? { includeRedrivable: true } : {}),
    });
    if (!flags.yes) return { plan };
    return { plan, outcome: await applyGcPlan(home, store, plan) };
  } finally {
    store.close();
  }
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
const MAX_LISTED = 20;

function listed<T>(items: readonly T[], line: (x: T) => string): string[] {
  const out = items.slice(0, MAX_LISTED).map((x) => `    ${line(x)}`);
  if (items.length > MAX_LISTED) out.push(`    ... and ${items.length - MAX_LISTED} more (--json lists all)`);
  return out;
}

export function formatGc(home: string, { plan, outcome }: GcResult): string {
  const lines: string[] = [];
  const verb = outcome ? 'removed' : 'would remove';
  const sum = (xs: readonly { bytes: number }[]) => formatBytes(xs.reduce((n, x) => n + x.bytes, 0));
  if (plan.executions.length + plan.jobs.length + plan.objects.length + plan.leftovers.length === 0) {
    lines.push(`gc: nothing to remove in ${home}`);
  } else {
    lines.push(`gc: ${outcome ? 'removed from' : 'would remove from'} ${home}:`);
    if (plan.executions.length > 0) {
      lines.push(`  ${plural(plan.executions.length, 'execution')} with their histories (${sum(plan.executions)})`);
      lines.push(...listed(plan.executions, (e) => `${e.name}  ${e.status}${e.stoppedAt !== undefined ? `  stopped ${new Date(e.stoppedAt).toISOString()}` : ''}`));
    }
    if (plan.jobs.length > 0) {
      lines.push(`  ${plural(plan.jobs.length, 'SageMaker job')} with their logs and work folders (${sum(plan.jobs)})`);
      lines.push(...listed(plan.jobs, (j) => `${j.name}  ${j.kind}  ${j.status}`));
    }
    if (plan.objects.length > 0) {
      lines.push(`  ${plural(plan.objects.length, 'object')} the removed runs wrote (${sum(plan.objects)})`);
      lines.push(...listed(plan.objects, (o) => `${o.uri}  ${formatBytes(o.bytes)}`));
    }
    if (plan.leftovers.length > 0) {
      lines.push(`  ${plural(plan.leftovers.length, 'leftover')} of interrupted work (${sum(plan.leftovers)})`);
      lines.push(...listed(plan.leftovers, (l) => `${l.what}: ${l.path}`));
    }
  }
  if (plan.kept.length > 0) {
    lines.push(`  kept, though old enough:`);
    lines.push(...listed(plan.kept, (k) => `${k.name}: ${k.reason}`));
  }
  if (outcome) lines.push(`${verb} ${formatBytes(outcome.bytes)}${outcome.vacuumed || outcome.executions + outcome.jobs === 0 ? '' : ' (the database file shrinks at the next gc: another process has it open)'}`);
  else if (plan.bytes > 0 || plan.executions.length > 0) lines.push(`this frees ${formatBytes(plan.bytes)}; run again with --yes to remove it`);
  return lines.join('\n');
}

export function registerGcCommand(program: Command, getHome: () => string): void {
  program
    .command('gc')
    .description('Remove old executions, SageMaker jobs with their logs, and the objects their runs wrote (a dry run unless --yes)')
    .option('--older-than <age>', 'only what ended longer ago than this: 30d, 12h, 45m, 2w')
    .option('--keep <n>', 'keep the n newest executions of each state machine')
    .option('--include-redrivable', 'also remove failed executions that could still be redriven (14 days)')
    .option('--yes', 'remove (without it, only print what would be removed)')
    .option('--json', 'print what is (or would be) removed as JSON')
    .addHelpText(
      'after',
      [
        '',
        'Never removed: RUNNING executions, jobs InProgress, models, endpoints and the model registry, the objects',
        'a model package or model refers to, objects outside a removed run\'s own prefixes (your uploaded data and',
        'scripts), and, unless --include-redrivable, failed executions that can still be redriven.',
        '',
        'Examples:',
        '  mlops-sfn gc --older-than 30d           what is older than 30 days (dry run)',
        '  mlops-sfn gc --keep 10 --yes            keep the 10 newest executions of each pipeline, remove the rest',
        '',
        'Exit codes: 0 done (or dry run printed), 2 bad flags or no home.',
      ].join('\n'),
    )
    .action(async (flags: GcFlags) => {
      const home = getHome();
      const result = await runGc(home, flags);
      process.stdout.write((flags.json ? JSON.stringify({ dryRun: !flags.yes, home, ...result }, null, 2) : formatGc(home, result)) + '\n');
    });
}
