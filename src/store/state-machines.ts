/**
 * State machines of the local Step Functions service. The definition is kept as the text the caller
 * gave: DescribeStateMachine returns it byte for byte, as AWS does.
 */
import type Database from 'better-sqlite3';

export type StateMachineType = 'STANDARD' | 'EXPRESS';

export interface StateMachineRow {
  arn: string;
  name: string;
  definition: string;
  roleArn: string;
  type: StateMachineType;
  createdAt: number;
  updatedAt: number;
  /** LoggingConfiguration / TracingConfiguration as JSON text (absent: AWS's defaults). */
  loggingConfiguration?: string;
  tracingConfiguration?: string;
  /** Changes whenever an update changes the machine; absent until the first such update, as on AWS. */
  revisionId?: string;
  /** DELETING from DeleteStateMachine until its last execution has ended. */
  status: 'ACTIVE' | 'DELETING';
  /** The number the next published version gets (never reused). */
  nextVersion: number;
}

/** What UpdateStateMachine may change. */
export interface StateMachineChange {
  definition?: string;
  roleArn?: string;
  loggingConfiguration?: string;
  tracingConfiguration?: string;
  revisionId?: string;
}

interface RawStateMachine {
  arn: string;
  name: string;
  definition: string;
  role_arn: string;
  type: StateMachineType;
  created_at: number;
  updated_at: number;
  logging_configuration: string | null;
  tracing_configuration: string | null;
  revision_id: string | null;
  status: 'ACTIVE' | 'DELETING';
  next_version: number;
}

function toRow(r: RawStateMachine): StateMachineRow {
  const row: StateMachineRow = {
    arn: r.arn,
    name: r.name,
    definition: r.definition,
    roleArn: r.role_arn,
    type: r.type,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    status: r.status,
    nextVersion: r.next_version,
  };
  if (r.logging_configuration !== null) row.loggingConfiguration = r.logging_configuration;
  if (r.tracing_configuration !== null) row.tracingConfiguration = r.tracing_configuration;
  if (r.revision_id !== null) row.revisionId = r.revision_id;
  return row;
}

export class StateMachineTable {
  private readonly byArn: Database.Statement;

  constructor(
    private readonly db: Database.Database,
    private readonly now: () => number,
  ) {
    this.byArn = db.prepare('SELECT * FROM state_machines WHERE arn = ?');
  }

  /** Inserts a new state machine; false when one with that ARN or name exists. */
  insert(
    row: Pick<StateMachineRow, 'arn' | 'name' | 'definition' | 'roleArn' | 'type' | 'loggingConfiguration' | 'tracingConfiguration'> & { createdAt?: number },
  ): boolean {
    const at = row.createdAt ?? this.now();
    const r = this.db
      .prepare(
        `INSERT INTO state_machines (arn, name, definition, role_arn, type, created_at, updated_at, logging_configuration, tracing_configuration)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`,
      )
      .run(row.arn, row.name, row.definition, row.roleArn, row.type, at, at, row.loggingConfiguration ?? null, row.tracingConfiguration ?? null);
    return r.changes === 1;
  }

  get(arn: string): StateMachineRow | undefined {
    const r = this.byArn.get(arn) as RawStateMachine | undefined;
    return r && toRow(r);
  }

  /** Rewrites what `change` names; undefined when there is no such state machine. */
  update(arn: string, change: StateMachineChange): StateMachineRow | undefined {
    const current = this.get(arn);
    if (!current) return undefined;
    this.db
      .prepare(
        `UPDATE state_machines SET definition = ?, role_arn = ?, logging_configuration = ?, tracing_configuration = ?, revision_id = ?,
           updated_at = ? WHERE arn = ?`,
      )
      .run(
        change.definition ?? current.definition,
        change.roleArn ?? current.roleArn,
        change.loggingConfiguration ?? current.loggingConfiguration ?? null,
        change.tracingConfiguration ?? current.tracingConfiguration ?? null,
        change.revisionId ?? current.revisionId ?? null,
        this.now(),
        arn,
      );
    return this.get(arn);
  }

  /** Takes the next version number of a state machine (numbers are never reused). */
  takeVersionNumber(arn: string): number | undefined {
    const r = this.db.prepare('UPDATE state_machines SET next_version = next_version + 1 WHERE arn = ? RETURNING next_version - 1 AS n').get(arn) as
      | { n: number }
      | undefined;
    return r?.n;
  }

  /** DeleteStateMachine's first step: the machine stays (DELETING) until its executions have ended. */
  markDeleting(arn: string): boolean {
    return this.db.prepare("UPDATE state_machines SET status = 'DELETING' WHERE arn = ?").run(arn).changes === 1;
  }

  delete(arn: string): boolean {
    return this.db.prepare('DELETE FROM state_machines WHERE arn = ?').run(arn).changes === 1;
  }

  /** All state machines, oldest first (ties by name), for ListStateMachines' pages. */
  list(): StateMachineRow[] {
    return (this.db.prepare('SELECT * FROM state_machines ORDER BY created_at, name').all() as RawStateMachine[]).map(toRow);
  }
}
