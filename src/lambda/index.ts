/** Handlers deployed to AWS Lambda and run by the local engine with injected clients. */
export { createTriggerHandler, deploymentFromEnv, ExecutionNameTakenError, InvalidTriggerEventError, type TriggerDeps, type TriggerEvent, type TriggerResult } from './trigger.js';
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
export type { S3Reader, S3ObjectText, ExecutionStarter, TaskCallbacks, Publisher } from './clients.js';
