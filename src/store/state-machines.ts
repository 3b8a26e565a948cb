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
}

interface RawStateMachine {
  arn: string;
  name: string;
  definition: string;
  role_arn: string;
  type: StateMachineType;
  created_at: number;
  updated_at: number;
}

function toRow(r: RawStateMachine): StateMachineRow {
  return { arn: r.arn, name: r.name, definition: r.definition, roleArn: r.role_arn, type: r.type, createdAt: r.created_at, updatedAt: r.updated_at };
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
  insert(row: Omit<StateMachineRow, 'createdAt' | 'updatedAt'> & { createdAt?: number }): boolean {
    const at = row.createdAt ?? this.now();
    const r = this.db
      .prepare(
        `INSERT INTO state_machines (arn, name, definition, role_arn, type, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT DO NOTHING`,
      )
      .run(row.arn, row.name, row.definition, row.roleArn, row.type, at, at);
    return r.changes === 1;
  }

  get(arn: string): StateMachineRow | undefined {
    const r = this.byArn.get(arn) as RawStateMachine | undefined;
    return r && toRow(r);
  }

  /** Rewrites the definition and/or role; undefined when there is no such state machine. */
  update(arn: string, change: { definition?: string; roleArn?: string }): StateMachineRow | undefined {
    const current = this.get(arn);
    if (!current) return undefined;
    this.db
      .prepare('UPDATE state_machines SET definition = ?, role_arn = ?, updated_at = ? WHERE arn = ?')
      .run(change.definition ?? current.definition, change.roleArn ?? current.roleArn, this.now(), arn);
    return this.get(arn);
  }

  delete(arn: string): boolean {
    return this.db.prepare('DELETE FROM state_machines WHERE arn = ?').run(arn).changes === 1;
  }

  /** All state machines, oldest first (ties by name), for ListStateMachines' pages. */
  list(): StateMachineRow[] {
    return (this.db.prepare('SELECT * FROM state_machines ORDER BY created_at, name').all() as RawStateMachine[]).map(toRow);
  }
}
