/**
 * `mlops-sfn approvals`: the local manual approvals waiting for a person (the CLI side of the
 * approval Lambda's notification; on AWS the SNS message carries the same text). `--all` also lists
 * the ones already decided or timed out, with who decided, when and why.
 */
import type { Command } from 'commander';
import type { JsonObject } from '../../core/json.js';
import type { PendingApproval } from '../../lambda/index.js';
import { Store, type ApprovalRow } from '../../store/index.js';

interface ApprovalsOptions {
  all?: boolean;
  json?: boolean;
}

export function registerApprovalsCommand(program: Command, getHome: () => string): void {
  program
    .command('approvals')
    .description('List the local pipeline executions waiting for a manual approval, with their metrics and checks')
    .option('--all', 'also list decided and timed-out approvals')
    .option('--json', 'print the records as JSON')
    .addHelpText('after', '\nDecide with `mlops-sfn approve|reject <execution> [--comment "..."]`.')
    .action((opts: ApprovalsOptions) => {
      process.stdout.write(listApprovals(getHome(), opts) + '\n');
    });
}

export function listApprovals(home: string, opts: ApprovalsOptions = {}): string {
  const store = Store.open(home);
  try {
    const rows = opts.all ? store.approvals.all() : store.approvals.pending();
    if (opts.json) return JSON.stringify(rows.map(toJson), null, 2);
    if (rows.length === 0) return opts.all ? 'no approvals recorded' : 'no approvals are waiting (`--all` lists decided ones)';
    return rows.map(describe).join('\n\n');
  } finally {
    store.close();
  }
}

function toJson(r: ApprovalRow): JsonObject {
  const out: JsonObject = { executionName: r.executionName, executionArn: r.executionArn, status: r.status, requestedAt: new Date(r.createdAt).toISOString(), request: r.request };
  if (r.approver) out['approver'] = r.approver;
  if (r.comment) out['comment'] = r.comment;
  if (r.decidedAt) out['decidedAt'] = new Date(r.decidedAt).toISOString();
  return out;
}

function describe(r: ApprovalRow): string {
  const p = r.request as unknown as PendingApproval;
  const lines = [`${r.executionName}  ${r.status}  requested ${new Date(r.createdAt).toISOString()}`];
  if (r.status === 'Pending' && p.expiresAt) lines.push(`  decide before: ${p.expiresAt} (then it is rejected)`);
  if (r.status === 'TimedOut') lines.push(`  nobody decided in time${r.decidedAt ? ` (closed ${new Date(r.decidedAt).toISOString()})` : ''}`);
  else if (r.status !== 'Pending') lines.push(`  ${r.status.toLowerCase()} by ${r.approver ?? 'unknown'}${r.decidedAt ? ` at ${new Date(r.decidedAt).toISOString()}` : ''}${r.comment ? `: ${r.comment}` : ''}`);
  if (p.modelPackageArn) lines.push(`  model version: ${p.modelPackageArn}`);
  const metrics = Object.entries(p.metrics ?? {});
  if (metrics.length) lines.push(`  metrics: ${metrics.map(([k, v]) => `${k}=${v}`).join('  ')}`);
  for (const c of p.checks ?? []) lines.push(`  [${c.passed ? 'pass' : 'FAIL'}] ${c.rule}${c.value === null ? ' (no value)' : ` (got ${c.value})`}`);
  return lines.join('\n');
}
