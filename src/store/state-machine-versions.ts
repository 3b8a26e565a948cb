/**
 * Published versions of state machines and the aliases that route executions to them. A version is
 * an immutable copy of what the machine was when it was published; an alias names one or two
 * versions with weights (its routingConfiguration, kept as the JSON the caller gave).
 */
import type Database from 'better-sqlite3';
import type { StateMachineType } from './state-machines.js';

export interface StateMachineVersionRow {
  arn: string;
  stateMachineArn: string;
  version: number;
  definition: string;
  roleArn: string;
  type: StateMachineType;
  description?: string;
  revisionId?: string;
  loggingConfiguration?: string;
  tracingConfiguration?: string;
  createdAt: number;
}

interface RawVersion {
  arn: string;
  state_machine_arn: string;
  version: number;
  definition: string;
  role_arn: string;
  type: StateMachineType;
  description: string | null;
  revision_id: string | null;
  logging_configuration: string | null;
  tracing_configuration: string | null;
  created_at: number;
}

function toVersion(r: RawVersion): StateMachineVersionRow {
  const row: StateMachineVersionRow = {
    arn: r.arn,
    stateMachineArn: r.state_machine_arn,
    version: r.version,
    definition: r.definition,
    roleArn: r.role_arn,
    type: r.type,
    createdAt: r.created_at,
  };
  if (r.description !== null) row.description = r.description;
  if (r.revision_id !== null) row.revisionId = r.revision_id;
  if (r.logging_configuration !== null) row.loggingConfiguration = r.logging_configuration;
  if (r.tracing_configuration !== null) row.tracingConfiguration = r.tracing_configuration;
  return row;
}

export class StateMachineVersionTable {
  constructor(private readonly db: Database.Database) {}

  insert(v: StateMachineVersionRow): void {
    this.db
      .prepare(
        `INSERT INTO state_machine_versions (arn, state_machine_arn, version, definition, role_arn, type, description, revision_id,
           logging_configuration, tracing_configuration, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        v.arn,
        v.stateMachineArn,
        v.version,
        v.definition,
        v.roleArn,
        v.type,
        v.description ?? null,
        v.revisionId ?? null,
        v.loggingConfiguration ?? null,
        v.tracingConfiguration ?? null,
        v.createdAt,
      );
  }

  get(arn: string): StateMachineVersionRow | undefined {
    const r = this.db.prepare('SELECT * FROM state_machine_versions WHERE arn = ?').get(arn) as RawVersion | undefined;
    return r && toVersion(r);
  }

  /** The newest version of a machine (what publishing an unchanged revision answers with). */
  latest(stateMachineArn: string): StateMachineVersionRow | undefined {
    const r = this.db.prepare('SELECT * FROM state_machine_versions WHERE state_machine_arn = ? ORDER BY version DESC LIMIT 1').get(stateMachineArn) as
      | RawVersion
      | undefined;
    return r && toVersion(r);
  }

  /** Newest first, as ListStateMachineVersions lists them. */
  list(stateMachineArn: string): StateMachineVersionRow[] {
    return (this.db.prepare('SELECT * FROM state_machine_versions WHERE state_machine_arn = ? ORDER BY version DESC').all(stateMachineArn) as RawVersion[]).map(
      toVersion,
    );
  }

  delete(arn: string): boolean {
    return this.db.prepare('DELETE FROM state_machine_versions WHERE arn = ?').run(arn).changes === 1;
  }

  deleteAllOf(stateMachineArn: string): void {
    this.db.prepare('DELETE FROM state_machine_versions WHERE state_machine_arn = ?').run(stateMachineArn);
  }
}

export interface RoutingEntry {
  stateMachineVersionArn: string;
  weight: number;
}

export interface StateMachineAliasRow {
  arn: string;
  stateMachineArn: string;
  name: string;
  description?: string;
  routing: RoutingEntry[];
  createdAt: number;
  updatedAt: number;
}

interface RawAlias {
  arn: string;
  state_machine_arn: string;
  name: string;
  description: string | null;
  routing: string;
  created_at: number;
  updated_at: number;
}

function toAlias(r: RawAlias): StateMachineAliasRow {
  const row: StateMachineAliasRow = {
    arn: r.arn,
    stateMachineArn: r.state_machine_arn,
    name: r.name,
    routing: JSON.parse(r.routing) as RoutingEntry[],
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
  if (r.description !== null) row.description = r.description;
  return row;
}

export class StateMachineAliasTable {
  constructor(private readonly db: Database.Database) {}

  /** False when an alias with this ARN exists. */
  insert(a: StateMachineAliasRow): boolean {
    const r = this.db
      .prepare(
        `INSERT INTO state_machine_aliases (arn, state_machine_arn, name, description, routing, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`,
      )
      .run(a.arn, a.stateMachineArn, a.name, a.description ?? null, JSON.stringify(a.routing), a.createdAt, a.updatedAt);
    return r.changes === 1;
  }

  get(arn: string): StateMachineAliasRow | undefined {
    const r = this.db.prepare('SELECT * FROM state_machine_aliases WHERE arn = ?').get(arn) as RawAlias | undefined;
    return r && toAlias(r);
  }

  update(arn: string, change: { description?: string; routing?: RoutingEntry[] }, at: number): StateMachineAliasRow | undefined {
    const current = this.get(arn);
    if (!current) return undefined;
    this.db
      .prepare('UPDATE state_machine_aliases SET description = ?, routing = ?, updated_at = ? WHERE arn = ?')
      .run(change.description ?? current.description ?? null, JSON.stringify(change.routing ?? current.routing), at, arn);
    return this.get(arn);
  }

  /** By name, as ListStateMachineAliases lists them. */
  list(stateMachineArn: string): StateMachineAliasRow[] {
    return (this.db.prepare('SELECT * FROM state_machine_aliases WHERE state_machine_arn = ? ORDER BY name').all(stateMachineArn) as RawAlias[]).map(toAlias);
  }

  /** The aliases whose routing names this version. */
  referencing(versionArn: string): StateMachineAliasRow[] {
    return this.list(versionArn.slice(0, versionArn.lastIndexOf(':'))).filter((a) => a.routing.some((r) => r.stateMachineVersionArn === versionArn));
  }

  delete(arn: string): boolean {
    return this.db.prepare('DELETE FROM state_machine_aliases WHERE arn = ?').run(arn).changes === 1;
  }

  deleteAllOf(stateMachineArn: string): void {
    this.db.prepare('DELETE FROM state_machine_aliases WHERE state_machine_arn = ?').run(stateMachineArn);
  }
}

/** Tags of any ARN (state machines, activities), as TagResource keeps them. */
export class ResourceTagTable {
  constructor(private readonly db: Database.Database) {}

  /** Adds or overwrites the given tags. */
  put(resourceArn: string, tags: readonly { key: string; value: string }[]): void {
    const stmt = this.db.prepare('INSERT INTO resource_tags (resource_arn, key, value) VALUES (?, ?, ?) ON CONFLICT (resource_arn, key) DO UPDATE SET value = excluded.value');
    this.db.transaction(() => {
      for (const t of tags) stmt.run(resourceArn, t.key, t.value);
    })();
  }

  remove(resourceArn: string, keys: readonly string[]): void {
    const stmt = this.db.prepare('DELETE FROM resource_tags WHERE resource_arn = ? AND key = ?');
    this.db.transaction(() => {
      for (const k of keys) stmt.run(resourceArn, k);
    })();
  }

  list(resourceArn: string): { key: string; value: string }[] {
    return this.db.prepare('SELECT key, value FROM resource_tags WHERE resource_arn = ? ORDER BY key').all(resourceArn) as { key: string; value: string }[];
  }

  count(resourceArn: string): number {
    return (this.db.prepare('SELECT COUNT(*) AS n FROM resource_tags WHERE resource_arn = ?').get(resourceArn) as { n: number }).n;
  }

  removeAll(resourceArn: string): void {
    this.db.prepare('DELETE FROM resource_tags WHERE resource_arn = ?').run(resourceArn);
  }
}
