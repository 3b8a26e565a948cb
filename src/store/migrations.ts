/**
 * Numbered schema migrations. Each runs once, in order, inside the same transaction that records it
 * in `schema_migrations`, so a crash mid-migration leaves the database at the previous version.
 * Never edit a migration that has shipped: add the next number.
 */
export interface Migration {
  version: number;
  name: string;
  sql: string;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'sagemaker resources',
    // One table for every SageMaker resource kind: the API record is JSON (its shape is the service's
    // business), while the columns hold what lookups, uniqueness and listing need. `name_key` is the
    // lower-cased name: SageMaker names are unique per kind regardless of case (the ARN lower-cases them).
    // `parent`/`seq` carry a model package's group and version number.
    sql: `
      CREATE TABLE sagemaker_resources (
        kind        TEXT    NOT NULL,
        name        TEXT    NOT NULL,
        name_key    TEXT    NOT NULL,
        arn         TEXT    NOT NULL,
        parent      TEXT,
        seq         INTEGER,
        status      TEXT,
        record      TEXT    NOT NULL,
        created_at  INTEGER NOT NULL,
        updated_at  INTEGER NOT NULL,
        PRIMARY KEY (kind, name_key)
      ) WITHOUT ROWID;
      CREATE INDEX sagemaker_resources_by_time ON sagemaker_resources (kind, created_at);
      CREATE INDEX sagemaker_resources_by_parent ON sagemaker_resources (kind, parent, seq);
    `,
  },
  {
    version: 2,
    name: 'manual approvals',
    // One row per execution waiting for (or given) a person's decision. The `run` process that owns
    // the execution holds the task token in memory as well; the row is how a second terminal's
    // `approve`/`reject` reaches it. `delivered_at` marks the decision as handed to the execution.
    sql: `
      CREATE TABLE approvals (
        execution_name TEXT    NOT NULL PRIMARY KEY,
        execution_arn  TEXT    NOT NULL,
        task_token     TEXT    NOT NULL,
        request        TEXT    NOT NULL,
        status         TEXT    NOT NULL,
        approver       TEXT,
        comment        TEXT,
        decided_at     INTEGER,
        delivered_at   INTEGER,
        created_at     INTEGER NOT NULL
      );
    `,
  },
  {
    version: 3,
    name: 'step functions state machines and executions',
    // The local Step Functions service. Dates are epoch milliseconds. An execution row belongs to the
    // process running it (`owner_pid` plus the process's start time, which tells a reused pid apart):
    // when that process is gone, the row is an orphan and is closed as ABORTED. A StopExecution from
    // another process closes the row at once; the owner sees it and stops the run. History events are
    // the engine's event objects, stored in runs of consecutive ids (one JSON array per batch the owner
    // flushes): a row per event would cost a Pass loop several times its own run time. Task tokens map
    // a `.waitForTaskToken` token to its execution, so a callback sent from any process reaches the one
    // waiting (`callback` holds it until the owner takes it).
    sql: `
      CREATE TABLE state_machines (
        arn         TEXT    NOT NULL PRIMARY KEY,
        name        TEXT    NOT NULL UNIQUE,
        definition  TEXT    NOT NULL,
        role_arn    TEXT    NOT NULL,
        type        TEXT    NOT NULL,
        created_at  INTEGER NOT NULL,
        updated_at  INTEGER NOT NULL
      );
      CREATE TABLE executions (
        arn                TEXT    NOT NULL PRIMARY KEY,
        name               TEXT    NOT NULL,
        state_machine_arn  TEXT    NOT NULL,
        status             TEXT    NOT NULL,
        input              TEXT    NOT NULL,
        output             TEXT,
        error              TEXT,
        cause              TEXT,
        start_date         INTEGER NOT NULL,
        stop_date          INTEGER,
        owner_pid          INTEGER,
        owner_started      TEXT,
        event_count        INTEGER NOT NULL DEFAULT 0
      );
      CREATE INDEX executions_by_machine ON executions (state_machine_arn, start_date);
      CREATE INDEX executions_running ON executions (status) WHERE status = 'RUNNING';
      CREATE TABLE execution_events (
        execution_arn  TEXT    NOT NULL,
        first_id       INTEGER NOT NULL,
        last_id        INTEGER NOT NULL,
        events         TEXT    NOT NULL,
        PRIMARY KEY (execution_arn, first_id)
      ) WITHOUT ROWID;
      CREATE TABLE task_tokens (
        token          TEXT    NOT NULL PRIMARY KEY,
        execution_arn  TEXT    NOT NULL,
        state_name     TEXT    NOT NULL,
        status         TEXT    NOT NULL,
        callback       TEXT,
        heartbeats     INTEGER NOT NULL DEFAULT 0,
        created_at     INTEGER NOT NULL
      );
      CREATE INDEX task_tokens_by_execution ON task_tokens (execution_arn);
    `,
  },
  {
    version: 4,
    name: 'durable executions',
    // Resuming an execution whose process ended replays its history thread by thread: `threads` holds
    // each stored event's thread key (a JSON array beside `events`; NULL for batches written before).
    // An execution keeps the definition it started with (redrive and resume run that one, as AWS does)
    // and the secret its task tokens derive from (a resumed waiting task keeps its token). A task
    // token's `callback` also keeps the outcome its task ended with, whoever delivered it, and
    // `handed_out` the response of the service the token was handed to (it is not called again).
    sql: `
      ALTER TABLE executions ADD COLUMN definition TEXT;
      ALTER TABLE executions ADD COLUMN token_seed TEXT;
      ALTER TABLE executions ADD COLUMN redrive_count INTEGER NOT NULL DEFAULT 0;
      ALTER TABLE executions ADD COLUMN redrive_date INTEGER;
      ALTER TABLE execution_events ADD COLUMN threads TEXT;
      ALTER TABLE task_tokens ADD COLUMN handed_out TEXT;
    `,
  },
];
