/**
 * What `mlops-sfn gc` reads and removes in the database: every execution with the size of what it
 * stores, and the removal of an execution (with its history, task tokens and approval) or of a
 * SageMaker record, each in one transaction so a crash never leaves half of one.
 */
import type Database from 'better-sqlite3';
import type { ExecutionRowStatus } from './executions.js';

export interface ExecutionFootprint {
  arn: string;
  name: string;
  stateMachineArn: string;
  status: ExecutionRowStatus;
  startDate: number;
  stopDate?: number;
  /** Bytes of input, output and history text it stores. */
  bytes: number;
}

interface RawFootprint {
  arn: string;
  name: string;
  state_machine_arn: string;
  status: ExecutionRowStatus;
  start_date: number;
  stop_date: number | null;
  bytes: number | null;
}

export class GarbageTable {
  constructor(private readonly db: Database.Database) {}

  executions(): ExecutionFootprint[] {
    const rows = this.db
      .prepare(
        `SELECT e.arn, e.name, e.state_machine_arn, e.status, e.start_date, e.stop_date,
                length(e.input) + coalesce(length(e.output), 0) + coalesce(length(e.definition), 0)
                  + coalesce((SELECT sum(length(v.events)) FROM execution_events v WHERE v.execution_arn = e.arn), 0) AS bytes
           FROM executions e ORDER BY e.start_date DESC, e.arn DESC`,
      )
      .all() as RawFootprint[];
    return rows.map((r) => ({
      arn: r.arn,
      name: r.name,
      stateMachineArn: r.state_machine_arn,
      status: r.status,
      startDate: r.start_date,
      ...(r.stop_date !== null ? { stopDate: r.stop_date } : {}),
      bytes: r.bytes ?? 0,
    }));
  }

  /** The history event batches of one execution, as stored (JSON arrays of events). */
  eventBatches(arn: string): string[] {
    return (this.db.prepare('SELECT events FROM execution_events WHERE execution_arn = ? ORDER BY first_id').all(arn) as { events: string }[]).map((r) => r.events);
  }

  /**
   * Removes a finished execution and what only it refers to. A RUNNING one is left alone (it may
   * have started again since it was listed): false then.
   */
  removeExecution(arn: string): boolean {
    return this.db.transaction(() => {
      const gone = this.db.prepare("DELETE FROM executions WHERE arn = ? AND status <> 'RUNNING'").run(arn).changes > 0;
      if (!gone) return false;
      this.db.prepare('DELETE FROM execution_events WHERE execution_arn = ?').run(arn);
      this.db.prepare('DELETE FROM task_tokens WHERE execution_arn = ?').run(arn);
      this.db.prepare('DELETE FROM approvals WHERE execution_arn = ?').run(arn);
      this.db.prepare('DELETE FROM resource_tags WHERE resource_arn = ?').run(arn);
      return true;
    })();
  }

  /** Removes a SageMaker record and its tags unless its status changed to one of `busy` meanwhile. */
  removeResource(kind: string, name: string, busy: readonly string[]): boolean {
    return this.db.transaction(() => {
      const row = this.db.prepare('SELECT arn, status FROM sagemaker_resources WHERE kind = ? AND name_key = ?').get(kind, name.toLowerCase()) as
        | { arn: string; status: string | null }
        | undefined;
      if (row === undefined || busy.includes(row.status ?? '')) return false;
      this.db.prepare('DELETE FROM sagemaker_resources WHERE kind = ? AND name_key = ?').run(kind, name.toLowerCase());
      this.db.prepare('DELETE FROM resource_tags WHERE resource_arn = ?').run(row.arn);
      return true;
    })();
  }

  /** Gives the freed pages back to the file system; false when another process holds the database. */
  vacuum(): boolean {
    try {
      this.db.exec('VACUUM');
      return true;
    } catch {
      return false;
    }
  }
}
