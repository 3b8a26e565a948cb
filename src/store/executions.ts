/**
 * Executions of the local Step Functions service and their history events. The process that runs an
 * execution owns its row (pid plus that process's start time, so a reused pid is not mistaken for
 * it) and appends events in batches; every batch is one transaction, so a kill loses at most the
 * events not yet flushed and never leaves half a batch. Another process may close a RUNNING row
 * (StopExecution, or an orphan whose owner died); the owner's own final write then changes nothing.
 */
import type Database from 'better-sqlite3';

export type ExecutionRowStatus = 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT' | 'ABORTED';

export interface ExecutionOwner {
  pid: number;
  /** The owner process's start time (e.g. /proc/<pid>/stat field 22); absent where unknown. */
  started?: string;
}

export interface ExecutionRow {
  arn: string;
  name: string;
  stateMachineArn: string;
  status: ExecutionRowStatus;
  /** JSON text, as StartExecution received it. */
  input: string;
  output?: string;
  error?: string;
  cause?: string;
  startDate: number;
  stopDate?: number;
  owner?: ExecutionOwner;
  /** Events persisted so far (their ids run 1..eventCount). */
  eventCount: number;
  /** The definition the execution started with (absent for rows from before it was kept). */
  definition?: string;
  /** The secret its task tokens derive from (see ExecutionRuntime.taskTokenSeed). */
  tokenSeed?: string;
  redriveCount: number;
  redriveDate?: number;
  /** Started through a published version, or an alias (which routed to `versionArn`). */
  versionArn?: string;
  aliasArn?: string;
  /** `<StateMachine>#<TestCase>` of Step Functions Local's mock configuration it was started on. */
  mockTestCase?: string;
}

export interface NewExecution {
  arn: string;
  name: string;
  stateMachineArn: string;
  input: string;
  startDate: number;
  owner: ExecutionOwner;
  definition?: string;
  tokenSeed?: string;
  versionArn?: string;
  aliasArn?: string;
  mockTestCase?: string;
}

/** How an execution ended. */
export interface ExecutionEnd {
  status: Exclude<ExecutionRowStatus, 'RUNNING'>;
  output?: string;
  error?: string;
  cause?: string;
  stopDate: number;
}

/** One history event: the engine's event object (the store needs only its id). */
export interface StoredEvent {
  id: number;
  [field: string]: unknown;
}

export interface ExecutionListQuery {
  stateMachineArn: string;
  status?: ExecutionRowStatus;
  /** Only those started through this version, or this alias. */
  versionArn?: string;
  aliasArn?: string;
  limit: number;
  /** Continue after this row (the last row of the previous page). */
  after?: { startDate: number; arn: string };
}

interface RawExecution {
  arn: string;
  name: string;
  state_machine_arn: string;
  status: ExecutionRowStatus;
  input: string;
  output: string | null;
  error: string | null;
  cause: string | null;
  start_date: number;
  stop_date: number | null;
  owner_pid: number | null;
  owner_started: string | null;
  event_count: number;
  definition: string | null;
  token_seed: string | null;
  redrive_count: number;
  redrive_date: number | null;
  version_arn: string | null;
  alias_arn: string | null;
  mock_test_case: string | null;
}

function toRow(r: RawExecution): ExecutionRow {
  const row: ExecutionRow = {
    arn: r.arn,
    name: r.name,
    stateMachineArn: r.state_machine_arn,
    status: r.status,
    input: r.input,
    startDate: r.start_date,
    eventCount: r.event_count,
    redriveCount: r.redrive_count,
  };
  if (r.definition !== null) row.definition = r.definition;
  if (r.token_seed !== null) row.tokenSeed = r.token_seed;
  if (r.redrive_date !== null) row.redriveDate = r.redrive_date;
  if (r.version_arn !== null) row.versionArn = r.version_arn;
  if (r.alias_arn !== null) row.aliasArn = r.alias_arn;
  if (r.mock_test_case !== null) row.mockTestCase = r.mock_test_case;
  if (r.output !== null) row.output = r.output;
  if (r.error !== null) row.error = r.error;
  if (r.cause !== null) row.cause = r.cause;
  if (r.stop_date !== null) row.stopDate = r.stop_date;
  if (r.owner_pid !== null) row.owner = r.owner_started === null ? { pid: r.owner_pid } : { pid: r.owner_pid, started: r.owner_started };
  return row;
}

export class ExecutionTable {
  private readonly byArn: Database.Statement;
  private readonly insertEvents: Database.Statement;
  private readonly countEvents: Database.Statement;
  private readonly closeStmt: Database.Statement;
  private readonly recordTx: (arn: string, events: readonly StoredEvent[], end: ExecutionEnd | undefined, threads: readonly string[] | undefined) => boolean;

  constructor(private readonly db: Database.Database) {
    this.byArn = db.prepare('SELECT * FROM executions WHERE arn = ?');
    // OR IGNORE: a replayed batch must not fail the writer (a transaction never half-writes one).
    this.insertEvents = db.prepare('INSERT OR IGNORE INTO execution_events (execution_arn, first_id, last_id, events, threads) VALUES (?, ?, ?, ?, ?)');
    this.countEvents = db.prepare('UPDATE executions SET event_count = MAX(event_count, ?) WHERE arn = ?');
    this.closeStmt = db.prepare(
      `UPDATE executions SET status = ?, output = ?, error = ?, cause = ?, stop_date = ? WHERE arn = ? AND status = 'RUNNING'`,
    );
    this.recordTx = db.transaction((arn: string, events: readonly StoredEvent[], end: ExecutionEnd | undefined, threads: readonly string[] | undefined) => {
      this.appendEvents(arn, events, threads);
      return end ? this.closeRow(arn, end) : false;
    });
  }

  /** Inserts a RUNNING execution; false when one with that ARN exists. */
  insert(x: NewExecution): boolean {
    const r = this.db
      .prepare(
        `INSERT INTO executions (arn, name, state_machine_arn, status, input, start_date, owner_pid, owner_started, definition, token_seed,
           version_arn, alias_arn, mock_test_case) VALUES (?, ?, ?, 'RUNNING', ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`,
      )
      .run(
        x.arn,
        x.name,
        x.stateMachineArn,
        x.input,
        x.startDate,
        x.owner.pid,
        x.owner.started ?? null,
        x.definition ?? null,
        x.tokenSeed ?? null,
        x.versionArn ?? null,
        x.aliasArn ?? null,
        x.mockTestCase ?? null,
      );
    return r.changes === 1;
  }

  get(arn: string): ExecutionRow | undefined {
    const r = this.byArn.get(arn) as RawExecution | undefined;
    return r && toRow(r);
  }

  /**
   * Appends a batch of events and, with `end`, closes the execution, in one transaction. Returns
   * whether `end` was applied (false when the row was no longer RUNNING: stopped from elsewhere).
   */
  record(arn: string, events: readonly StoredEvent[], end?: ExecutionEnd, threads?: readonly string[]): boolean {
    return this.recordTx(arn, events, end, threads);
  }

  /**
   * Makes `to` the owner of a RUNNING execution, provided its owner is still `from` (whom the caller
   * found dead): of two processes resuming the same execution, one wins.
   */
  takeOver(arn: string, from: ExecutionOwner | undefined, to: ExecutionOwner): boolean {
    const r = this.db
      .prepare(
        `UPDATE executions SET owner_pid = ?, owner_started = ?
         WHERE arn = ? AND status = 'RUNNING' AND owner_pid IS ? AND owner_started IS ?`,
      )
      .run(to.pid, to.started ?? null, arn, from?.pid ?? null, from?.started ?? null);
    return r.changes === 1;
  }

  /** Every stored event of an execution with its thread key ('' where none was stored), in id order. */
  recorded(arn: string): { events: StoredEvent[]; threads: string[] } {
    const events: StoredEvent[] = [];
    const threads: string[] = [];
    const rows = this.db.prepare('SELECT events, threads FROM execution_events WHERE execution_arn = ? ORDER BY first_id').all(arn) as {
      events: string;
      threads: string | null;
    }[];
    for (const r of rows) {
      const batch = JSON.parse(r.events) as StoredEvent[];
      const keys = r.threads === null ? [] : (JSON.parse(r.threads) as string[]);
      for (let i = 0; i < batch.length; i++) {
        // A batch replayed by a writer that retried is ignored (OR IGNORE); ids stay contiguous.
        if (batch[i]!.id !== events.length + 1) continue;
        events.push(batch[i]!);
        threads.push(keys[i] ?? '');
      }
    }
    return { events, threads };
  }

  /**
   * Closes a RUNNING execution from outside its run (StopExecution from another process, an orphan).
   * `events`, given the row as it was, builds the closing events to append (when the owner is gone
   * nobody else will write them). False when the execution was not RUNNING.
   */
  closeFromOutside(arn: string, end: ExecutionEnd, events?: (row: ExecutionRow) => StoredEvent[]): boolean {
    return this.db.transaction(() => {
      const row = this.get(arn);
      if (!row || row.status !== 'RUNNING' || !this.closeRow(arn, end)) return false;
      if (events) this.appendEvents(arn, events(row));
      return true;
    })();
  }

  /** Newest first (ties by ARN), from after the given row. */
  list(q: ExecutionListQuery): ExecutionRow[] {
    const where = ['state_machine_arn = ?'];
    const args: (string | number)[] = [q.stateMachineArn];
    if (q.status) {
      where.push('status = ?');
      args.push(q.status);
    }
    if (q.versionArn !== undefined) {
      where.push('version_arn = ?');
      args.push(q.versionArn);
    }
    if (q.aliasArn !== undefined) {
      where.push('alias_arn = ?');
      args.push(q.aliasArn);
    }
    if (q.after) {
      where.push('(start_date < ? OR (start_date = ? AND arn < ?))');
      args.push(q.after.startDate, q.after.startDate, q.after.arn);
    }
    const sql = `SELECT * FROM executions WHERE ${where.join(' AND ')} ORDER BY start_date DESC, arn DESC LIMIT ?`;
    return (this.db.prepare(sql).all(...args, q.limit) as RawExecution[]).map(toRow);
  }

  /**
   * RedriveExecution's transition: a FAILED, ABORTED or TIMED_OUT execution is RUNNING again under
   * `owner`, its end cleared and its redrive counted. False when it was not in one of those states.
   */
  redrive(arn: string, at: number, owner: ExecutionOwner): boolean {
    const r = this.db
      .prepare(
        `UPDATE executions SET status = 'RUNNING', output = NULL, error = NULL, cause = NULL, stop_date = NULL,
           redrive_count = redrive_count + 1, redrive_date = ?, owner_pid = ?, owner_started = ?
         WHERE arn = ? AND status IN ('FAILED', 'ABORTED', 'TIMED_OUT')`,
      )
      .run(at, owner.pid, owner.started ?? null, arn);
    return r.changes === 1;
  }

  /** Whether any execution of the state machine still runs (a DELETING machine waits for none). */
  anyRunning(stateMachineArn: string): boolean {
    return this.db.prepare("SELECT 1 FROM executions WHERE state_machine_arn = ? AND status = 'RUNNING' LIMIT 1").get(stateMachineArn) !== undefined;
  }

  /** Executions with this name (one per state machine at most). */
  byName(name: string): ExecutionRow[] {
    return (this.db.prepare('SELECT * FROM executions WHERE name = ? ORDER BY start_date DESC').all(name) as RawExecution[]).map(toRow);
  }

  /** Every RUNNING execution (the orphan check at startup). */
  running(): ExecutionRow[] {
    return (this.db.prepare("SELECT * FROM executions WHERE status = 'RUNNING'").all() as RawExecution[]).map(toRow);
  }

  /**
   * A page of stored events: ids after `afterId` in ascending order, or (reverse) ids before
   * `beforeId` in descending order. Only the batches that hold the page are read and parsed.
   */
  events(arn: string, page: { limit: number; reverse?: boolean; afterId?: number; beforeId?: number }): StoredEvent[] {
    const out: StoredEvent[] = [];
    if (page.limit <= 0) return out;
    const batches = page.reverse
      ? this.db
          .prepare('SELECT events FROM execution_events WHERE execution_arn = ? AND first_id < ? ORDER BY first_id DESC')
          .iterate(arn, page.beforeId ?? Number.MAX_SAFE_INTEGER)
      : this.db.prepare('SELECT events FROM execution_events WHERE execution_arn = ? AND last_id > ? ORDER BY first_id').iterate(arn, page.afterId ?? 0);
    for (const b of batches as IterableIterator<{ events: string }>) {
      const events = JSON.parse(b.events) as StoredEvent[];
      if (page.reverse) {
        const before = page.beforeId ?? Number.MAX_SAFE_INTEGER;
        for (let i = events.length - 1; i >= 0 && out.length < page.limit; i--) if (events[i]!.id < before) out.push(events[i]!);
      } else {
        const after = page.afterId ?? 0;
        for (let i = 0; i < events.length && out.length < page.limit; i++) if (events[i]!.id > after) out.push(events[i]!);
      }
      if (out.length >= page.limit) {
        // Stops the statement early (the iterator holds it open until it ends or returns).
        (batches as IterableIterator<unknown>).return?.();
        break;
      }
    }
    return out;
  }

  /** One batch row; the ids of a batch are consecutive, in order. */
  private appendEvents(arn: string, events: readonly StoredEvent[], threads?: readonly string[]): void {
    if (events.length === 0) return;
    const first = events[0]!.id;
    const last = events[events.length - 1]!.id;
    this.insertEvents.run(arn, first, last, JSON.stringify(events), threads ? JSON.stringify(threads) : null);
    this.countEvents.run(last, arn);
  }

  private closeRow(arn: string, end: ExecutionEnd): boolean {
    return this.closeStmt.run(end.status, end.output ?? null, end.error ?? null, end.cause ?? null, end.stopDate, arn).changes === 1;
  }
}
