/** Handlers deployed to AWS Lambda and run by the local engine with injected clients. */
export { createTriggerHandler, deploymentFromEnv, ExecutionNameTakenError, InvalidTriggerEventError, PipelineFileNotFoundError, type TriggerDeps, type TriggerEvent, type TriggerResult } from './trigger.js';
export {
  createApprovalHandler,
  approvalDecision,
  approvalMessage,
  sendApprovalDecision,
  failApproval,
  NoopApprovalStore,
  InMemoryApprovalStore,
  type ApprovalDeps,
  type ApprovalRequest,
  type ApprovalStore,
  type PendingApproval,
  type ApprovalDecisionOutput,
  type ApprovalNotified,
  type Decision,
} from './approval.js';
export type { S3Reader, S3ObjectText, ExecutionStarter, TaskCallbacks, Publisher, CacheStorage, S3ObjectBytes, S3ListPage } from './clients.js';
export {
  createCacheHandler,
  cacheLocation,
  CACHE_ENV,
  InvalidCacheEventError,
  type CacheCheck,
  type CacheRecorded,
  type CacheDeps,
  type CacheSettings,
} from './cache.js';
export { differences, recentEntries, readEntry, nearestEntry, type CacheEntry, type CacheLocation } from './cache-entries.js';
export type { KeyPart, KeyPartKind } from './cache-key.js';
export { stageFailureHandler, readableCause, InvalidStageFailureEventError } from './stage-failure.js';
