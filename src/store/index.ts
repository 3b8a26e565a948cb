export { Store, STATE_DB_FILE, type StoreOptions } from './store.js';
export { ResourceTable, nameKey, type ResourceRow, type NewResource } from './resources.js';
export { DuplicateRecordError, StoreVersionError } from './errors.js';
export { MIGRATIONS, type Migration } from './migrations.js';
export { ApprovalTable, type ApprovalRow, type ApprovalStatus } from './approvals.js';
export { StateMachineTable, type StateMachineRow, type StateMachineType, type StateMachineChange } from './state-machines.js';
export {
  StateMachineVersionTable,
  StateMachineAliasTable,
  ResourceTagTable,
  type StateMachineVersionRow,
  type StateMachineAliasRow,
  type RoutingEntry,
} from './state-machine-versions.js';
export { ActivityTable, type ActivityRow, type ActivityTaskRow, type ActivityTaskStatus } from './activities.js';
export {
  ExecutionTable,
  type ExecutionRow,
  type ExecutionRowStatus,
  type ExecutionOwner,
  type NewExecution,
  type ExecutionEnd,
  type StoredEvent,
  type ExecutionListQuery,
} from './executions.js';
export { TaskTokenTable, type TaskTokenRow, type TaskCallback } from './task-tokens.js';
export { GarbageTable, type ExecutionFootprint } from './garbage.js';
export { DynamoDbTables, type DynamoTableRow, type ItemKey } from './dynamodb-tables.js';
export { SnsTopics, type SnsTopicRow, type SnsMessageRow } from './sns-topics.js';
