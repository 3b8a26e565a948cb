/**
 * The states of the pipeline's state machine, by role. Their names appear in the console, in
 * history and in `redrive`/`resume` commands, so they are stable and named after the stage.
 */
export const STATE = {
  init: 'Init',
  preprocessing: 'Preprocessing',
  training: 'Training',
  evaluation: 'Evaluation',
  checkMetrics: 'CheckMetrics',
  readMetrics: 'ReadMetrics',
  checkTrained: 'CheckTrained',
  checkRegistry: 'CheckRegistry',
  createModelPackageGroup: 'CreateModelPackageGroup',
  checkModelPackageGroup: 'CheckModelPackageGroup',
  checkCompare: 'CheckCompareToApproved',
  findApprovedModel: 'FindApprovedModel',
  checkApprovedModel: 'CheckApprovedModel',
  describeApprovedModel: 'DescribeApprovedModel',
  registerModel: 'RegisterModel',
  evaluateRules: 'EvaluateApprovalRules',
  decideApproval: 'DecideApproval',
  requestApproval: 'RequestManualApproval',
  recordDecision: 'RecordDecision',
  updateModelPackage: 'UpdateModelPackage',
  checkDecision: 'CheckDecision',
  modelRejected: 'ModelRejected',
  createModel: 'CreateModel',
  checkEndpoint: 'CheckEndpoint',
  createEndpointConfig: 'CreateEndpointConfig',
  findEndpoint: 'FindEndpoint',
  chooseEndpointAction: 'ChooseEndpointAction',
  waitBeforeUpdate: 'WaitForEndpointToSettle',
  deleteFailedEndpoint: 'DeleteFailedEndpoint',
  createEndpoint: 'CreateEndpoint',
  updateEndpoint: 'UpdateEndpoint',
  waitForEndpoint: 'WaitForEndpoint',
  describeEndpoint: 'DescribeEndpoint',
  checkEndpointStatus: 'CheckEndpointStatus',
  batchTransform: 'BatchTransform',
  stageFailed: 'StageFailed',
  pipelineFailed: 'PipelineFailed',
  redriveFailedState: 'RedriveFailedState',
  notRedrivable: 'FailureNotRedrivable',
  done: 'Done',
} as const;

/** The job stages' Task states, in the order they run. */
export const JOB_STATES: readonly string[] = [STATE.preprocessing, STATE.training, STATE.evaluation, STATE.batchTransform];
