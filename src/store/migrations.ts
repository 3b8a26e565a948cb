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
  {
    version: 5,
    name: 'step functions versions, aliases, tags, activities',
    // The rest of the Step Functions API. A state machine keeps its logging and tracing configuration
    // (JSON as the caller gave them), its revision (a new id whenever an update changes it) and the
    // number its next published version gets: AWS never reuses a version number, even after the
    // version is deleted. `status` is DELETING between DeleteStateMachine and the end of its last
    // execution. Versions are immutable copies of a revision; aliases route to one or two versions by
    // weight (`routing` is the routingConfiguration as JSON). An execution started through a version
    // or an alias records which. Tags belong to any ARN (state machines, activities). An activity task
    // is the work a Task state with an activity ARN hands to workers: SCHEDULED until a worker's
    // GetActivityTask takes it (STARTED, with the worker's name), then CLOSED when the task ends; its
    // token is the task token SendTask* answers with.
    sql: `
      ALTER TABLE state_machines ADD COLUMN logging_configuration TEXT;
      ALTER TABLE state_machines ADD COLUMN tracing_configuration TEXT;
      ALTER TABLE state_machines ADD COLUMN revision_id TEXT;
      ALTER TABLE state_machines ADD COLUMN status TEXT NOT NULL DEFAULT 'ACTIVE';
      ALTER TABLE state_machines ADD COLUMN next_version INTEGER NOT NULL DEFAULT 1;
      ALTER TABLE executions ADD COLUMN version_arn TEXT;
      ALTER TABLE executions ADD COLUMN alias_arn TEXT;
      CREATE TABLE state_machine_versions (
        arn                    TEXT    NOT NULL PRIMARY KEY,
        state_machine_arn      TEXT    NOT NULL,
        version                INTEGER NOT NULL,
        definition             TEXT    NOT NULL,
        role_arn               TEXT    NOT NULL,
        type                   TEXT    NOT NULL,
        description            TEXT,
        revision_id            TEXT,
        logging_configuration  TEXT,
        tracing_configuration  TEXT,
        created_at             INTEGER NOT NULL,
        UNIQUE (state_machine_arn, version)
      );
      CREATE TABLE state_machine_aliases (
        arn                TEXT    NOT NULL PRIMARY KEY,
        state_machine_arn  TEXT    NOT NULL,
        name               TEXT    NOT NULL,
        description        TEXT,
        routing            TEXT    NOT NULL,
        created_at         INTEGER NOT NULL,
        updated_at         INTEGER NOT NULL
      );
      CREATE INDEX state_machine_aliases_by_machine ON state_machine_aliases (state_machine_arn, name);
      CREATE TABLE resource_tags (
        resource_arn  TEXT NOT NULL,
        key           TEXT NOT NULL,
        value         TEXT NOT NULL,
        PRIMARY KEY (resource_arn, key)
      ) WITHOUT ROWID;
      CREATE TABLE activities (
        arn         TEXT    NOT NULL PRIMARY KEY,
        name        TEXT    NOT NULL UNIQUE,
        created_at  INTEGER NOT NULL
      );
      CREATE TABLE activity_tasks (
        token          TEXT    NOT NULL PRIMARY KEY,
        activity_arn   TEXT    NOT NULL,
        execution_arn  TEXT    NOT NULL,
        state_name     TEXT    NOT NULL,
        input          TEXT    NOT NULL,
        status         TEXT    NOT NULL,
        worker_name    TEXT,
        scheduled_at   INTEGER NOT NULL,
        started_at     INTEGER
      );
      CREATE INDEX activity_tasks_queue ON activity_tasks (activity_arn, status, scheduled_at);
    `,
  },
  {
    version: 6,
    name: 'dynamodb tables and sns topics',
    // The optimized DynamoDB and SNS integrations and their APIs. A DynamoDB table's description
    // (key schema, attribute definitions, ...) is JSON; each item is one row keyed by the table and
    // its key values in a canonical text form (numbers normalised, so 1 and 1.0 are the same key;
    // `range_key` is '' for a table without a sort key); the item is its attribute-value JSON. SNS
    // topics keep their attributes as JSON; every message published is kept (nothing is delivered:
    // subscriptions are not emulated) in publishing order, to be listed per topic.
    sql: `
      CREATE TABLE dynamodb_tables (
        name        TEXT    NOT NULL PRIMARY KEY,
        description TEXT    NOT NULL,
        created_at  INTEGER NOT NULL
      );
      CREATE TABLE dynamodb_items (
        table_name  TEXT NOT NULL,
        hash_key    TEXT NOT NULL,
        range_key   TEXT NOT NULL,
        item        TEXT NOT NULL,
        PRIMARY KEY (table_name, hash_key, range_key)
      ) WITHOUT ROWID;
      CREATE TABLE sns_topics (
        arn         TEXT    NOT NULL PRIMARY KEY,
        name        TEXT    NOT NULL,
        attributes  TEXT    NOT NULL,
        created_at  INTEGER NOT NULL
      );
      CREATE TABLE sns_messages (
        seq           INTEGER PRIMARY KEY AUTOINCREMENT,
        topic_arn     TEXT    NOT NULL,
        message_id    TEXT    NOT NULL,
        subject       TEXT,
        message       TEXT    NOT NULL,
        attributes    TEXT,
        published_at  INTEGER NOT NULL
      );
      CREATE INDEX sns_messages_by_topic ON sns_messages (topic_arn, seq);
    `,
  },
  {
    version: 7,
    name: 'executions on mock test cases',
    // An execution started on a test case of Step Functions Local's mock configuration
    // (`<arn>#<TestCase>`) keeps it as `<StateMachine>#<TestCase>`, so a resume after its process
    // ended answers its mocked states from the same test case instead of calling their services.
    sql: `ALTER TABLE executions ADD COLUMN mock_test_case TEXT;`,
  },
];
