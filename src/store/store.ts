/**
 * The local state database: `<home>/state.db`, SQLite through better-sqlite3. This folder is the only
 * code that touches the driver; the rest of the project sees typed repositories.
 *
 * Durability: WAL journal with `synchronous=NORMAL`. Every write is one transaction, so a crash or
 * `kill -9` never leaves half a record, and committed transactions survive an application crash. After
 * a power cut or OS crash the last few commits may roll back (the database stays consistent); FULL would
 * fsync the WAL on every commit, which local runs do not need. `busy_timeout` lets the CLI, the local
 * API and a running pipeline share the file.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { StoreVersionError } from './errors.js';
import { MIGRATIONS, type Migration } from './migrations.js';
import { ApprovalTable } from './approvals.js';
import { ResourceTable } from './resources.js';
import { StateMachineTable } from './state-machines.js';
import { ExecutionTable } from './executions.js';
import { TaskTokenTable } from './task-tokens.js';
import { DynamoDbTables } from './dynamodb-tables.js';
import { SnsTopics } from './sns-topics.js';
import { ResourceTagTable, StateMachineAliasTable, StateMachineVersionTable } from './state-machine-versions.js';
import { ActivityTable } from './activities.js';
import { GarbageTable } from './garbage.js';

export const STATE_DB_FILE = 'state.db';

export interface StoreOptions {
  /** Milliseconds since the epoch for record timestamps (default Date.now). */
  now?: () => number;
  /** Migrations to apply (tests); default: all of this build's. */
  migrations?: readonly Migration[];
}

export class Store {
  readonly resources: ResourceTable;
  readonly approvals: ApprovalTable;
  readonly stateMachines: StateMachineTable;
  readonly executions: ExecutionTable;
  readonly taskTokens: TaskTokenTable;
  readonly versions: StateMachineVersionTable;
  readonly aliases: StateMachineAliasTable;
  readonly tags: ResourceTagTable;
  readonly activities: ActivityTable;
  /** What gc reads and removes. */
  readonly garbage: GarbageTable;
  readonly dynamodb: DynamoDbTables;
  readonly sns: SnsTopics;
  private closed = false;

  private constructor(
    private readonly db: Database.Database,
    readonly path: string,
    options: StoreOptions,
  ) {
    migrate(db, options.migrations ?? MIGRATIONS);
    this.resources = new ResourceTable(db, options.now ?? Date.now);
    this.approvals = new ApprovalTable(db, options.now ?? Date.now);
    this.stateMachines = new StateMachineTable(db, options.now ?? Date.now);
    this.executions = new ExecutionTable(db);
    this.taskTokens = new TaskTokenTable(db, options.now ?? Date.now);
    this.versions = new StateMachineVersionTable(db);
    this.aliases = new StateMachineAliasTable(db);
    this.tags = new ResourceTagTable(db);
    this.activities = new ActivityTable(db, options.now ?? Date.now);
    this.garbage = new GarbageTable(db);
    this.dynamodb = new DynamoDbTables(db);
    this.sns = new SnsTopics(db);
  }

  /** Opens (creating if needed) `<home>/state.db`. */
  static open(home: string, options: StoreOptions = {}): Store {
    mkdirSync(home, { recursive: true });
    const path = join(home, STATE_DB_FILE);
    const db = new Database(path);
    try {
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = NORMAL');
      db.pragma('busy_timeout = 5000');
      db.pragma('foreign_keys = ON');
      // Keeps the WAL bounded when readers always overlap (checkpoint starvation).
      db.pragma('journal_size_limit = 67108864');
      return new Store(db, path, options);
    } catch (e) {
      db.close();
      throw e;
    }
  }

  /** A private in-memory database with the same schema, for tests. */
  static memory(options: StoreOptions = {}): Store {
    const db = new Database(':memory:');
    db.pragma('foreign_keys = ON');
    return new Store(db, ':memory:', options);
  }

  /** Runs `fn` in one transaction (nested calls join it): all of its writes commit, or none. */
  transaction<T>(fn: () => T): T {
    return this.db.transaction(fn)();
  }

  /** The schema version this database is at. */
  schemaVersion(): number {
    return currentVersion(this.db);
  }

  /** `PRAGMA integrity_check`: "ok" when the file is sound (crash tests). */
  integrityCheck(): string {
    return String(this.db.pragma('integrity_check', { simple: true }));
  }

  get isOpen(): boolean {
    return !this.closed;
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.db.close();
  }
}

function currentVersion(db: Database.Database): number {
  const row = db.prepare('SELECT MAX(version) AS v FROM schema_migrations').get() as { v: number | null };
  return row.v ?? 0;
}

function migrate(db: Database.Database, migrations: readonly Migration[]): void {
  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version    INTEGER PRIMARY KEY,
    name       TEXT    NOT NULL,
    applied_at INTEGER NOT NULL
  )`);
  const known = migrations.reduce((m, x) => Math.max(m, x.version), 0);
  // IMMEDIATE takes the write lock first, so two processes opening a fresh home do not both migrate.
  const apply = db.transaction(() => {
    const at = currentVersion(db);
    if (at > known) throw new StoreVersionError(at, known);
    const record = db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)');
    for (const m of [...migrations].sort((a, b) => a.version - b.version)) {
      if (m.version <= at) continue;
      db.exec(m.sql);
      record.run(m.version, m.name, Date.now());
    }
  });
  apply.immediate();
}
