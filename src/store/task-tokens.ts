/**
 * Task tokens of `.waitForTaskToken` tasks, so SendTaskSuccess/Failure/Heartbeat reach the waiting
 * execution from any process: the process running the execution opens a row while the task waits
 * and closes it when the task ends; a caller in another process leaves its callback in the row, and
 * the owner takes it. A closed row is how a late callback gets TaskTimedOut instead of InvalidToken.
 */
import type Database from 'better-sqlite3';

export type TaskCallback = { kind: 'success'; output: string } | { kind: 'failure'; error?: string; cause?: string };

export interface TaskTokenRow {
  token: string;
  executionArn: string;
  stateName: string;
  status: 'WAITING' | 'CLOSED';
  callback?: TaskCallback;
  /** Heartbeats sent from other processes (the owner compares with what it has seen). */
  heartbeats: number;
  /** The JSON response of the service the token was handed to, once it was. */
  handedOut?: string;
}

interface RawTaskToken {
  token: string;
  execution_arn: string;
  state_name: string;
  status: 'WAITING' | 'CLOSED';
  callback: string | null;
  heartbeats: number;
  handed_out: string | null;
}

function toRow(r: RawTaskToken): TaskTokenRow {
  const row: TaskTokenRow = { token: r.token, executionArn: r.execution_arn, stateName: r.state_name, status: r.status, heartbeats: r.heartbeats };
  if (r.handed_out !== null) row.handedOut = r.handed_out;
  if (r.callback !== null) row.callback = JSON.parse(r.callback) as TaskCallback;
  return row;
}

export class TaskTokenTable {
  constructor(
    private readonly db: Database.Database,
    private readonly now: () => number,
  ) {}

  open(token: string, executionArn: string, stateName: string): void {
    this.db
      .prepare(`INSERT OR REPLACE INTO task_tokens (token, execution_arn, state_name, status, created_at) VALUES (?, ?, ?, 'WAITING', ?)`)
      .run(token, executionArn, stateName, this.now());
  }

  /**
   * A resumed execution waits on a token again: the row is kept (with any callback left meanwhile);
   * one closed without an outcome waits again. Returns the row as it now is.
   */
  reopen(token: string, executionArn: string, stateName: string): TaskTokenRow {
    this.db
      .prepare(
        `INSERT INTO task_tokens (token, execution_arn, state_name, status, created_at) VALUES (?, ?, ?, 'WAITING', ?)
         ON CONFLICT (token) DO UPDATE SET status = 'WAITING' WHERE callback IS NULL`,
      )
      .run(token, executionArn, stateName, this.now());
    return this.get(token)!;
  }

  /** The service the token is handed to has it (its response): a resumed task does not call it again. */
  markHandedOut(token: string, response: string): void {
    this.db.prepare('UPDATE task_tokens SET handed_out = ? WHERE token = ?').run(response, token);
  }

  /** Closes a token with the outcome its task got (kept for a resume that has not recorded it yet). */
  closeWith(token: string, outcome: TaskCallback): void {
    this.db.prepare(`UPDATE task_tokens SET status = 'CLOSED', callback = COALESCE(callback, ?) WHERE token = ?`).run(JSON.stringify(outcome), token);
  }

  get(token: string): TaskTokenRow | undefined {
    const r = this.db.prepare('SELECT * FROM task_tokens WHERE token = ?').get(token) as RawTaskToken | undefined;
    return r && toRow(r);
  }

  /** Leaves a callback for the owner; false unless the task is waiting with no callback yet. */
  deliver(token: string, callback: TaskCallback): boolean {
    const r = this.db
      .prepare(`UPDATE task_tokens SET callback = ? WHERE token = ? AND status = 'WAITING' AND callback IS NULL`)
      .run(JSON.stringify(callback), token);
    return r.changes === 1;
  }

  /** Counts a heartbeat from another process; false unless the task is waiting. */
  heartbeat(token: string): boolean {
    return this.db.prepare(`UPDATE task_tokens SET heartbeats = heartbeats + 1 WHERE token = ? AND status = 'WAITING'`).run(token).changes === 1;
  }

  /** The waiting rows among `tokens` (what an owner polls for callbacks and heartbeats). */
  waiting(tokens: readonly string[]): TaskTokenRow[] {
    if (tokens.length === 0) return [];
    const out: TaskTokenRow[] = [];
    // SQLite caps bound parameters per statement; owners wait on few tokens, but stay safe.
    for (let i = 0; i < tokens.length; i += 500) {
      const chunk = tokens.slice(i, i + 500);
      const rows = this.db
        .prepare(`SELECT * FROM task_tokens WHERE status = 'WAITING' AND token IN (${chunk.map(() => '?').join(',')})`)
        .all(...chunk) as RawTaskToken[];
      out.push(...rows.map(toRow));
    }
    return out;
  }

  close(token: string): void {
    this.db.prepare(`UPDATE task_tokens SET status = 'CLOSED' WHERE token = ?`).run(token);
  }

  /** Closes every token of an execution (it ended, or its owner is gone). */
  closeForExecution(executionArn: string): void {
    this.db.prepare(`UPDATE task_tokens SET status = 'CLOSED' WHERE execution_arn = ? AND status = 'WAITING'`).run(executionArn);
  }
}
