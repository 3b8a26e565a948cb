/**
 * Manual approvals waiting for a person: written when the approval Lambda runs locally, decided by
 * `mlops-sfn approve|reject` (possibly from another terminal), delivered to the execution by the
 * process running it. A decision is taken once: the update only applies to a Pending row.
 */
import type Database from 'better-sqlite3';
import type { JsonObject } from '../core/json.js';

/** TimedOut: nobody decided within the pipeline's approval timeout; the execution rejected the model. */
export type ApprovalStatus = 'Pending' | 'Approved' | 'Rejected' | 'TimedOut';

export interface ApprovalRow {
  executionName: string;
  executionArn: string;
  taskToken: string;
  request: JsonObject;
  status: ApprovalStatus;
  approver?: string;
  comment?: string;
  decidedAt?: number;
  deliveredAt?: number;
  createdAt: number;
}

interface RawApproval {
  execution_name: string;
  execution_arn: string;
  task_token: string;
  request: string;
  status: ApprovalStatus;
  approver: string | null;
  comment: string | null;
  decided_at: number | null;
  delivered_at: number | null;
  created_at: number;
}

function toRow(r: RawApproval): ApprovalRow {
  const row: ApprovalRow = {
    executionName: r.execution_name,
    executionArn: r.execution_arn,
    taskToken: r.task_token,
    request: JSON.parse(r.request) as JsonObject,
    status: r.status,
    createdAt: r.created_at,
  };
  if (r.approver !== null) row.approver = r.approver;
  if (r.comment !== null) row.comment = r.comment;
  if (r.decided_at !== null) row.decidedAt = r.decided_at;
  if (r.delivered_at !== null) row.deliveredAt = r.delivered_at;
  return row;
}

export class ApprovalTable {
  constructor(
    private readonly db: Database.Database,
    private readonly now: () => number,
  ) {}

  /** Records a new request (a retried request for the same execution replaces the pending one). */
  request(executionName: string, executionArn: string, taskToken: string, request: JsonObject): void {
    this.db
      .prepare(
        `INSERT INTO approvals (execution_name, execution_arn, task_token, request, status, created_at)
         VALUES (?, ?, ?, ?, 'Pending', ?)
         ON CONFLICT (execution_name) DO UPDATE SET task_token = excluded.task_token, request = excluded.request,
           status = 'Pending', approver = NULL, comment = NULL, decided_at = NULL, delivered_at = NULL`,
      )
      .run(executionName, executionArn, taskToken, JSON.stringify(request), this.now());
  }

  get(executionName: string): ApprovalRow | undefined {
    const r = this.db.prepare('SELECT * FROM approvals WHERE execution_name = ?').get(executionName) as RawApproval | undefined;
    return r && toRow(r);
  }

  pending(): ApprovalRow[] {
    return (this.db.prepare("SELECT * FROM approvals WHERE status = 'Pending' ORDER BY created_at").all() as RawApproval[]).map(toRow);
  }

  /** Every request, newest first. */
  all(): ApprovalRow[] {
    return (this.db.prepare('SELECT * FROM approvals ORDER BY created_at DESC').all() as RawApproval[]).map(toRow);
  }

  /** Decides a pending approval; false when there is none pending for that execution. */
  decide(executionName: string, status: 'Approved' | 'Rejected', approver: string, comment: string | undefined): boolean {
    const r = this.db
      .prepare(`UPDATE approvals SET status = ?, approver = ?, comment = ?, decided_at = ? WHERE execution_name = ? AND status = 'Pending'`)
      .run(status, approver, comment ?? null, this.now(), executionName);
    return r.changes === 1;
  }

  /** Decided rows not yet handed to their execution. */
  undelivered(): ApprovalRow[] {
    return (this.db.prepare("SELECT * FROM approvals WHERE status <> 'Pending' AND delivered_at IS NULL").all() as RawApproval[]).map(toRow);
  }

  /** Closes a request nobody decided in time; false when it was decided first (the decision stands). */
  expire(executionName: string): boolean {
    const at = this.now();
    const r = this.db
      .prepare(`UPDATE approvals SET status = 'TimedOut', decided_at = ?, delivered_at = ? WHERE execution_name = ? AND status = 'Pending'`)
      .run(at, at, executionName);
    return r.changes === 1;
  }

  markDelivered(executionName: string): void {
    this.db.prepare('UPDATE approvals SET delivered_at = ? WHERE execution_name = ?').run(this.now(), executionName);
  }
}
