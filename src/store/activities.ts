/**
 * Activities and their tasks. A Task state whose Resource is an activity ARN schedules a task here
 * (from the process running the execution); a worker's GetActivityTask, in any process, takes the
 * oldest scheduled one in one statement, so two workers never get the same task. The task's token is
 * the task token SendTaskSuccess/Failure/Heartbeat answer with (see task-tokens.ts).
 */
import type Database from 'better-sqlite3';

export interface ActivityRow {
  arn: string;
  name: string;
  createdAt: number;
}

export type ActivityTaskStatus = 'SCHEDULED' | 'STARTED' | 'CLOSED';

export interface ActivityTaskRow {
  token: string;
  activityArn: string;
  executionArn: string;
  stateName: string;
  /** The task's effective input, JSON text. */
  input: string;
  status: ActivityTaskStatus;
  workerName?: string;
  scheduledAt: number;
  startedAt?: number;
}

interface RawTask {
  token: string;
  activity_arn: string;
  execution_arn: string;
  state_name: string;
  input: string;
  status: ActivityTaskStatus;
  worker_name: string | null;
  scheduled_at: number;
  started_at: number | null;
}

function toTask(r: RawTask): ActivityTaskRow {
  const row: ActivityTaskRow = {
    token: r.token,
    activityArn: r.activity_arn,
    executionArn: r.execution_arn,
    stateName: r.state_name,
    input: r.input,
    status: r.status,
    scheduledAt: r.scheduled_at,
  };
  if (r.worker_name !== null) row.workerName = r.worker_name;
  if (r.started_at !== null) row.startedAt = r.started_at;
  return row;
}

export class ActivityTable {
  constructor(
    private readonly db: Database.Database,
    private readonly now: () => number,
  ) {}

  /** False when an activity with this ARN exists. */
  insert(arn: string, name: string): boolean {
    return this.db.prepare('INSERT INTO activities (arn, name, created_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING').run(arn, name, this.now()).changes === 1;
  }

  get(arn: string): ActivityRow | undefined {
    const r = this.db.prepare('SELECT arn, name, created_at FROM activities WHERE arn = ?').get(arn) as { arn: string; name: string; created_at: number } | undefined;
    return r && { arn: r.arn, name: r.name, createdAt: r.created_at };
  }

  /** Oldest first, as ListActivities lists them. */
  list(): ActivityRow[] {
    return (this.db.prepare('SELECT arn, name, created_at FROM activities ORDER BY created_at, name').all() as { arn: string; name: string; created_at: number }[]).map(
      (r) => ({ arn: r.arn, name: r.name, createdAt: r.created_at }),
    );
  }

  /** Deletes the activity; its scheduled tasks are never handed out (their executions time out, as on AWS). */
  delete(arn: string): boolean {
    return this.db.transaction(() => {
      this.db.prepare("UPDATE activity_tasks SET status = 'CLOSED' WHERE activity_arn = ? AND status = 'SCHEDULED'").run(arn);
      return this.db.prepare('DELETE FROM activities WHERE arn = ?').run(arn).changes === 1;
    })();
  }

  /** Queues a task (or keeps the one already queued under this token: a resumed execution). */
  schedule(t: Pick<ActivityTaskRow, 'token' | 'activityArn' | 'executionArn' | 'stateName' | 'input'>): ActivityTaskRow {
    this.db
      .prepare(
        `INSERT INTO activity_tasks (token, activity_arn, execution_arn, state_name, input, status, scheduled_at)
         VALUES (?, ?, ?, ?, ?, 'SCHEDULED', ?) ON CONFLICT (token) DO NOTHING`,
      )
      .run(t.token, t.activityArn, t.executionArn, t.stateName, t.input, this.now());
    return this.task(t.token)!;
  }

  task(token: string): ActivityTaskRow | undefined {
    const r = this.db.prepare('SELECT * FROM activity_tasks WHERE token = ?').get(token) as RawTask | undefined;
    return r && toTask(r);
  }

  /** GetActivityTask: the oldest scheduled task of the activity, now STARTED by this worker. */
  take(activityArn: string, workerName: string | undefined): ActivityTaskRow | undefined {
    const r = this.db
      .prepare(
        `UPDATE activity_tasks SET status = 'STARTED', worker_name = ?, started_at = ?
         WHERE token = (SELECT token FROM activity_tasks WHERE activity_arn = ? AND status = 'SCHEDULED' ORDER BY scheduled_at, rowid LIMIT 1)
         RETURNING *`,
      )
      .get(workerName ?? null, this.now(), activityArn) as RawTask | undefined;
    return r && toTask(r);
  }

  /** The task ended (its outcome arrived, it timed out, or its execution stopped). */
  close(token: string): void {
    this.db.prepare("UPDATE activity_tasks SET status = 'CLOSED' WHERE token = ?").run(token);
  }

  closeForExecution(executionArn: string): void {
    this.db.prepare("UPDATE activity_tasks SET status = 'CLOSED' WHERE execution_arn = ? AND status != 'CLOSED'").run(executionArn);
  }
}
