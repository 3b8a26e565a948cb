/**
 * SageMaker resource records: jobs, models, endpoint configs, endpoints, model package groups and
 * packages. Names are unique per kind regardless of case, as SageMaker treats them; the record itself
 * is the service's JSON and is written whole in one statement, so it is never half-updated.
 */
import type Database from 'better-sqlite3';
import type { JsonObject } from '../core/json.js';
import { DuplicateRecordError } from './errors.js';

export interface ResourceRow {
  kind: string;
  /** The name as created (original case). */
  name: string;
  arn: string;
  /** A model package's group (its lower-cased name), or undefined. */
  parent?: string;
  /** A model package's version within its group. */
  seq?: number;
  status?: string;
  record: JsonObject;
  /** Epoch milliseconds. */
  createdAt: number;
  updatedAt: number;
}

/** A row to insert: its times default to now. */
export type NewResource = Omit<ResourceRow, 'createdAt' | 'updatedAt'> & { createdAt?: number };

interface RawRow {
  kind: string;
  name: string;
  arn: string;
  parent: string | null;
  seq: number | null;
  status: string | null;
  record: string;
  created_at: number;
  updated_at: number;
}

const COLUMNS = 'kind, name, arn, parent, seq, status, record, created_at, updated_at';

export function nameKey(name: string): string {
  return name.toLowerCase();
}

export class ResourceTable {
  private readonly stmts: {
    insert: Database.Statement;
    get: Database.Statement;
    byArn: Database.Statement;
    update: Database.Statement;
    remove: Database.Statement;
    list: Database.Statement;
    listByParent: Database.Statement;
    maxSeq: Database.Statement;
    countByParent: Database.Statement;
  };

  constructor(
    private readonly db: Database.Database,
    private readonly now: () => number,
  ) {
    this.stmts = {
      insert: db.prepare(
        `INSERT INTO sagemaker_resources (kind, name, name_key, arn, parent, seq, status, record, created_at, updated_at)
         VALUES (@kind, @name, @name_key, @arn, @parent, @seq, @status, @record, @created_at, @updated_at)`,
      ),
      get: db.prepare(`SELECT ${COLUMNS} FROM sagemaker_resources WHERE kind = ? AND name_key = ?`),
      byArn: db.prepare(`SELECT ${COLUMNS} FROM sagemaker_resources WHERE kind = ? AND arn = ?`),
      update: db.prepare(
        'UPDATE sagemaker_resources SET status = @status, record = @record, updated_at = @updated_at WHERE kind = @kind AND name_key = @name_key',
      ),
      remove: db.prepare('DELETE FROM sagemaker_resources WHERE kind = ? AND name_key = ?'),
      list: db.prepare(`SELECT ${COLUMNS} FROM sagemaker_resources WHERE kind = ? ORDER BY created_at, name_key`),
      listByParent: db.prepare(`SELECT ${COLUMNS} FROM sagemaker_resources WHERE kind = ? AND parent = ? ORDER BY seq`),
      maxSeq: db.prepare('SELECT MAX(seq) AS s FROM sagemaker_resources WHERE kind = ? AND parent = ?'),
      countByParent: db.prepare('SELECT COUNT(*) AS n FROM sagemaker_resources WHERE kind = ? AND parent = ?'),
    };
  }

  /** Adds a record; throws DuplicateRecordError if the kind already has that name (in any case). */
  insert(r: NewResource): ResourceRow {
    const at = r.createdAt ?? this.now();
    try {
      this.stmts.insert.run({
        kind: r.kind,
        name: r.name,
        name_key: nameKey(r.name),
        arn: r.arn,
        parent: r.parent !== undefined ? nameKey(r.parent) : null,
        seq: r.seq ?? null,
        status: r.status ?? null,
        record: JSON.stringify(r.record),
        created_at: at,
        updated_at: at,
      });
    } catch (e) {
      if ((e as { code?: string }).code === 'SQLITE_CONSTRAINT_PRIMARYKEY') throw new DuplicateRecordError(r.kind, r.name);
      throw e;
    }
    return { ...r, ...(r.parent !== undefined ? { parent: nameKey(r.parent) } : {}), createdAt: at, updatedAt: at };
  }

  get(kind: string, name: string): ResourceRow | undefined {
    return toRow(this.stmts.get.get(kind, nameKey(name)) as RawRow | undefined);
  }

  getByArn(kind: string, arn: string): ResourceRow | undefined {
    return toRow(this.stmts.byArn.get(kind, arn) as RawRow | undefined);
  }

  /**
   * Read-modify-write of one record in a single transaction: `change` sees the current row and returns
   * the new record and status (or undefined to leave it). Returns the row as stored afterwards.
   */
  update(
    kind: string,
    name: string,
    change: (row: ResourceRow) => { record: JsonObject; status?: string } | undefined,
  ): ResourceRow | undefined {
    return this.db.transaction(() => {
      const row = this.get(kind, name);
      if (!row) return undefined;
      const next = change(row);
      if (!next) return row;
      const updatedAt = this.now();
      const status = next.status ?? row.status;
      this.stmts.update.run({
        kind,
        name_key: nameKey(name),
        status: status ?? null,
        record: JSON.stringify(next.record),
        updated_at: updatedAt,
      });
      return { ...row, record: next.record, ...(status !== undefined ? { status } : {}), updatedAt };
    }).immediate();
  }

  delete(kind: string, name: string): boolean {
    return this.stmts.remove.run(kind, nameKey(name)).changes > 0;
  }

  /** Every record of a kind, oldest first. */
  list(kind: string): ResourceRow[] {
    return (this.stmts.list.all(kind) as RawRow[]).map((r) => toRow(r)!);
  }

  /** A group's model packages, by version. */
  listByParent(kind: string, parent: string): ResourceRow[] {
    return (this.stmts.listByParent.all(kind, nameKey(parent)) as RawRow[]).map((r) => toRow(r)!);
  }

  countByParent(kind: string, parent: string): number {
    return (this.stmts.countByParent.get(kind, nameKey(parent)) as { n: number }).n;
  }

  /** The next number in a parent's sequence (1 for the first); call inside the inserting transaction. */
  nextSeq(kind: string, parent: string): number {
    const row = this.stmts.maxSeq.get(kind, nameKey(parent)) as { s: number | null };
    return (row.s ?? 0) + 1;
  }
}

function toRow(raw: RawRow | undefined): ResourceRow | undefined {
  if (!raw) return undefined;
  const row: ResourceRow = {
    kind: raw.kind,
    name: raw.name,
    arn: raw.arn,
    record: JSON.parse(raw.record) as JsonObject,
    createdAt: raw.created_at,
    updatedAt: raw.updated_at,
  };
  if (raw.parent !== null) row.parent = raw.parent;
  if (raw.seq !== null) row.seq = raw.seq;
  if (raw.status !== null) row.status = raw.status;
  return row;
}
