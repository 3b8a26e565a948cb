/**
 * The local Step Functions service: AWS Step Functions' API semantics over the local store, running
 * executions on the local engine in this process. Every read comes from the store, so describe, list
 * and history also work in a process that did not start the execution (another terminal's `run`
 * shares the database). Methods take and return the AWS SDK's input and output shapes.
 *
 * Ownership: the process running an execution owns its row. StopExecution and task callbacks from
 * another process go through the store, and the owner polls for them. An execution left RUNNING by a
 * process that ended (a killed `run`) is closed as ABORTED when the service opens in any process.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import type {
  CreateStateMachineInput,
  CreateStateMachineOutput,
  CreateActivityInput,
  CreateActivityOutput,
  DeleteActivityInput,
  DescribeActivityInput,
  DescribeActivityOutput,
  GetActivityTaskInput,
  GetActivityTaskOutput,
  ListActivitiesInput,
  ListActivitiesOutput,
  CreateStateMachineAliasInput,
  CreateStateMachineAliasOutput,
  DeleteStateMachineAliasInput,
  DeleteStateMachineInput,
  DeleteStateMachineVersionInput,
  DescribeStateMachineAliasInput,
  DescribeStateMachineAliasOutput,
  DescribeStateMachineForExecutionInput,
  DescribeStateMachineForExecutionOutput,
  ListStateMachineAliasesInput,
  ListStateMachineAliasesOutput,
  ListStateMachineVersionsInput,
  ListStateMachineVersionsOutput,
  ListTagsForResourceInput,
  ListTagsForResourceOutput,
  PublishStateMachineVersionInput,
  PublishStateMachineVersionOutput,
  TagResourceInput,
  UntagResourceInput,
  UpdateStateMachineAliasInput,
  UpdateStateMachineAliasOutput,
  TestStateInput,
  TestStateOutput,
  ValidateStateMachineDefinitionInput,
  ValidateStateMachineDefinitionOutput,
  DescribeExecutionInput,
  DescribeExecutionOutput,
  DescribeStateMachineInput,
  DescribeStateMachineOutput,
  GetExecutionHistoryInput,
  GetExecutionHistoryOutput,
  ListExecutionsInput,
  ListExecutionsOutput,
  ListStateMachinesInput,
  ListStateMachinesOutput,
  RedriveExecutionInput,
  RedriveExecutionOutput,
  SendTaskFailureInput,
  SendTaskHeartbeatInput,
  SendTaskSuccessInput,
  StartExecutionInput,
  StartExecutionOutput,
  StartSyncExecutionInput,
  StartSyncExecutionOutput,
  StopExecutionInput,
  StopExecutionOutput,
  UpdateStateMachineInput,
  UpdateStateMachineOutput,
} from '@aws-sdk/client-sfn';
import { executionArn as makeExecutionArn, stateMachineArn as makeStateMachineArn, type AwsLocation } from '../../core/arn.js';
import { RealClock, type Clock } from '../../core/clock.js';
import { jsonDepthExceeds, MAX_JSON_DEPTH, type Json } from '../../core/json.js';
import { runExecution, type ExecutionResult } from '../../asl/execution.js';
import { payloadDetails, type EventMeta, type HistoryEvent, type RecordedHistory } from '../../asl/history.js';
import { redriveSkips } from '../../asl/redrive.js';
import { InvalidDefinitionError, loadStateMachine, type StateMachine } from '../../asl/machine.js';
import type { TaskInvoker } from '../../asl/task-invoker.js';
import type { TaskTokens } from '../../integrations/task-tokens.js';
import type { ActivityIntegration } from '../../integrations/activity.js';
import { Activities } from './activities.js';
import { checkTestCase, MockConfigError, testCaseFor, type MockConfig, type MockTestCase } from '../../integrations/mock-config.js';
import { invocationsRecorded, mockedTasks } from '../../integrations/mocked-tasks.js';
import type { ExecutionEnd, ExecutionRow, ExecutionRowStatus, StateMachineRow, StateMachineType, Store } from '../../store/index.js';
import { durableTasks, sendCallback, takeCallbacks, type WaitingTokens } from './callbacks.js';
import {
  executionAlreadyExists,
  executionDoesNotExist,
  executionNotRedrivable,
  stateMachineAlreadyExists,
  stateMachineDoesNotExist,
  StepFunctionsError,
  typeNotSupported,
  validationError,
} from './errors.js';
import { HistoryWriter } from './history-writer.js';
import { closeAsOrphan, PROCESS_ENDED_ERROR, processEndedCause } from './orphans.js';
import { currentOwner, isCurrentProcess, ownerAlive } from './process-owner.js';
import {
  checkLength,
  checkName,
  checkPayloadSize,
  decodeToken,
  parseMachineArn,
  encodeToken,
  MAX_CAUSE_CHARS,
  MAX_DEFINITION_CHARS,
  MAX_ERROR_CHARS,
  MAX_TASK_TOKEN_CHARS,
  optionalString,
  pageSize,
  parseJson,
  parseStatesArn,
  required,
} from './requests.js';
import { notRedrivableReason } from './shapes.js';
import { describeExecutionShape, describeStateMachineShape, describeVersionShape, executionListItem, historyEventShape, resultFromStore, stateMachineListItem } from './shapes.js';
import { checkLoggingConfiguration, checkTracingConfiguration, loggingShape, tracingShape } from './machine-config.js';
import { validateStateMachineDefinition } from './definition-diagnostics.js';
import { testState } from './state-test-run.js';
import { checkTags, ResourceTags } from './tags.js';
import { MachineVersions, type StartTarget } from './versions.js';
import { STATES_ERRORS } from '../../core/error-catalogue.js';

/** What the service needs from the local services (LocalServices has all of it). */
export interface StepFunctionsServices {
  store: Store;
  location: AwsLocation;
  /** The TaskInvoker executions run with, and its task tokens. */
  tasks: TaskInvoker & { tokens: TaskTokens };
  /** Activity tasks (absent: activities can be created, but no Task state hands them work). */
  activities?: ActivityIntegration;
}

export interface LocalStepFunctionsOptions {
  /** The engine's clock (virtual for `--fast` runs and tests); default real time. */
  clock?: Clock;
  /** Notes for people (orphaned executions closed at open); default silent. */
  log?: (line: string) => void;
  /** History batching: flush after this long (default 100 ms) or this many events (default 500). */
  flushIntervalMs?: number;
  flushEvents?: number;
  /** How often the owner looks for stops and callbacks from other processes (default 250 ms). */
  pollMs?: number;
  /** How long GetActivityTask waits for a task before answering with none (default 60 s, as AWS). */
  activityLongPollMs?: number;
  /**
   * Step Functions Local's mock configuration (`SFN_MOCK_CONFIG`): StartExecution and
   * StartSyncExecution on `<stateMachineArn>#<TestCase>` run that test case's mocked responses.
   */
  mockConfig?: MockConfig;
}

export interface StartOptions {
  /** Each history event as the engine records it, in this process (live progress); replayed ones too when resuming. */
  onEvent?: (e: HistoryEvent, meta: EventMeta) => void;
}

/** Why an execution cannot be resumed here (a one-line message for people). */
export class NotResumableError extends StepFunctionsError {
  constructor(message: string) {
    super('ValidationException', message);
  }
}

interface Running {
  arn: string;
  stateMachineArn: string;
  type: StateMachineType;
  controller: AbortController;
  writer: HistoryWriter | undefined;
  result: Promise<ExecutionResult>;
  tokens: WaitingTokens;
  /** This process let go of it while it runs (closing): it stays RUNNING for a resume. */
  detached: boolean;
  /** Its state machine is being deleted: it stops at its next state transition, as on AWS. */
  stopAtTransition: boolean;
}

export class LocalStepFunctions {
  private readonly store: Store;
  private readonly clock: Clock;
  private readonly log: (line: string) => void;
  private readonly running = new Map<string, Running>();
  private readonly compiled = new Map<string, { definition: string; machine: StateMachine }>();
  private poll: NodeJS.Timeout | undefined;
  private closed = false;
  private readonly versions: MachineVersions;
  private readonly tags: ResourceTags;
  private readonly activities: Activities;

  constructor(
    private readonly services: StepFunctionsServices,
    private readonly opts: LocalStepFunctionsOptions = {},
  ) {
    this.store = services.store;
    this.clock = opts.clock ?? new RealClock();
    this.log = opts.log ?? (() => {});
    this.versions = new MachineVersions(this.store, () => this.clock.now());
    this.tags = new ResourceTags(this.store);
    this.activities = new Activities(this.store, services.location, this.tags, services.activities, {
      pollMs: opts.pollMs ?? 250,
      ...(opts.activityLongPollMs !== undefined ? { longPollMs: opts.activityLongPollMs } : {}),
    });
  }

  // ---- state machines --------------------------------------------------------------------------

  createStateMachine(input: CreateStateMachineInput): CreateStateMachineOutput {
    const name = required(input.name, 'name');
    const definition = required(input.definition, 'definition');
    const roleArn = required(input.roleArn, 'roleArn');
    const type = machineType(input.type);
    checkName(name);
    checkRoleArn(roleArn);
    const versionDescription = optionalString(input.versionDescription, 'versionDescription');
    if (versionDescription !== undefined && input.publish !== true) {
      throw new StepFunctionsError('ValidationException', 'Version description can only be set when publish is true');
    }
    const loggingConfiguration = checkLoggingConfiguration(input.loggingConfiguration);
    const tracingConfiguration = checkTracingConfiguration(input.tracingConfiguration);
    const tags = checkTags(input.tags);
    this.compile(definition, type);
    const arn = makeStateMachineArn(this.services.location, name);
    const existing = this.store.stateMachines.get(arn);
    // CreateStateMachine is idempotent: the same name, definition, role, type and configuration answer with the existing one.
    if (existing) {
      if (
        existing.definition === definition &&
        existing.roleArn === roleArn &&
        existing.type === type &&
        existing.status === 'ACTIVE' &&
        existing.loggingConfiguration === loggingConfiguration &&
        existing.tracingConfiguration === tracingConfiguration
      ) {
        const out: CreateStateMachineOutput = { stateMachineArn: arn, creationDate: new Date(existing.createdAt) };
        if (input.publish === true) out.stateMachineVersionArn = this.versions.publish(existing, versionDescription).arn;
        return out;
      }
      if (existing.status === 'DELETING') throw new StepFunctionsError('StateMachineDeleting', `State Machine is being deleted: '${arn}'`);
      throw stateMachineAlreadyExists(arn);
    }
    const createdAt = this.clock.now();
    const out = this.store.transaction(() => {
      const inserted = this.store.stateMachines.insert({
        arn,
        name,
        definition,
        roleArn,
        type,
        createdAt,
        ...(loggingConfiguration !== undefined ? { loggingConfiguration } : {}),
        ...(tracingConfiguration !== undefined ? { tracingConfiguration } : {}),
      });
      if (!inserted) throw stateMachineAlreadyExists(arn);
      this.tags.putChecked(arn, tags);
      const created: CreateStateMachineOutput = { stateMachineArn: arn, creationDate: new Date(createdAt) };
      if (input.publish === true) created.stateMachineVersionArn = this.versions.publish(this.store.stateMachines.get(arn)!, versionDescription).arn;
      return created;
    });
    return out;
  }

  /**
   * For local deployments (`run`, `serve`): creates the state machine, or updates its definition and
   * role when they changed. A definition AWS would reject throws InvalidDefinition (a UserError).
   */
  ensureStateMachine(
    name: string,
    definition: string | object,
    roleArn: string,
    type: StateMachineType = 'STANDARD',
  ): { stateMachineArn: string; creationDate: Date; change: 'created' | 'updated' | 'unchanged' } {
    const text = typeof definition === 'string' ? definition : JSON.stringify(definition, null, 2);
    checkName(name);
    this.compile(text, type);
    const arn = makeStateMachineArn(this.services.location, name);
    const existing = this.store.stateMachines.get(arn);
    if (!existing) {
      const created = this.createStateMachine({ name, definition: text, roleArn, type });
      return { stateMachineArn: arn, creationDate: created.creationDate!, change: 'created' };
    }
    if (existing.type !== type) {
      throw new StepFunctionsError('ValidationException', `State machine ${name} is ${existing.type}; a state machine's type cannot change (delete it first)`);
    }
    if (existing.definition === text && existing.roleArn === roleArn) return { stateMachineArn: arn, creationDate: new Date(existing.createdAt), change: 'unchanged' };
    this.store.stateMachines.update(arn, { definition: text, roleArn });
    return { stateMachineArn: arn, creationDate: new Date(existing.createdAt), change: 'updated' };
  }

  /**
   * Changes what is given; a change gets a new revisionId (answered, and shown by Describe), and
   * `publish` makes a version of the result (or names the one already made of an unchanged revision).
   */
  updateStateMachine(input: UpdateStateMachineInput): UpdateStateMachineOutput {
    const arn = required(input.stateMachineArn, 'stateMachineArn');
    parseStatesArn(arn, 'stateMachine');
    const definition = optionalString(input.definition, 'definition');
    const roleArn = optionalString(input.roleArn, 'roleArn');
    const versionDescription = optionalString(input.versionDescription, 'versionDescription');
    if (definition === undefined && roleArn === undefined && input.loggingConfiguration === undefined && input.tracingConfiguration === undefined) {
      throw new StepFunctionsError('MissingRequiredParameter', 'Either the definition, the role ARN, the LoggingConfiguration, or the TracingConfiguration must be specified');
    }
    if (versionDescription !== undefined && input.publish !== true) {
      throw new StepFunctionsError('ValidationException', 'Version description can only be set when publish is true');
    }
    const loggingConfiguration = checkLoggingConfiguration(input.loggingConfiguration);
    const tracingConfiguration = checkTracingConfiguration(input.tracingConfiguration);
    const current = this.store.stateMachines.get(arn);
    if (definition !== undefined) this.compile(definition, current?.type ?? 'STANDARD');
    if (roleArn !== undefined) checkRoleArn(roleArn);
    if (!current) throw stateMachineDoesNotExist(arn);
    if (current.status === 'DELETING') throw new StepFunctionsError('StateMachineDeleting', `State Machine is being deleted: '${arn}'`);
    const changed =
      (definition !== undefined && definition !== current.definition) ||
      (roleArn !== undefined && roleArn !== current.roleArn) ||
      (loggingConfiguration !== undefined && loggingConfiguration !== current.loggingConfiguration) ||
      (tracingConfiguration !== undefined && tracingConfiguration !== current.tracingConfiguration);
    return this.store.transaction(() => {
      const revisionId = changed ? randomUUID() : undefined;
      const row = this.store.stateMachines.update(arn, {
        ...(definition !== undefined ? { definition } : {}),
        ...(roleArn !== undefined ? { roleArn } : {}),
        ...(loggingConfiguration !== undefined ? { loggingConfiguration } : {}),
        ...(tracingConfiguration !== undefined ? { tracingConfiguration } : {}),
        ...(revisionId !== undefined ? { revisionId } : {}),
      })!;
      const out: UpdateStateMachineOutput = { updateDate: new Date(row.updatedAt) };
      if (revisionId !== undefined) out.revisionId = revisionId;
      if (input.publish === true) out.stateMachineVersionArn = this.versions.publish(row, versionDescription).arn;
      return out;
    });
  }

  /** On a version ARN: that version's definition and configuration. */
  describeStateMachine(input: DescribeStateMachineInput): DescribeStateMachineOutput {
    const arn = required(input.stateMachineArn, 'stateMachineArn');
    const parsed = parseMachineArn(arn);
    if (parsed.alias !== undefined) throw new StepFunctionsError('InvalidArn', `Invalid Arn: 'Resource type not valid in this context: stateMachine alias'`);
    if (parsed.version !== undefined) {
      const machine = this.store.stateMachines.get(parsed.machineArn);
      if (!machine) throw stateMachineDoesNotExist(arn);
      return describeVersionShape(this.versions.version(arn), machine);
    }
    return describeStateMachineShape(this.machineRow(arn));
  }

  /** The definition and configuration an execution runs with (its version's, when it started through one). */
  describeStateMachineForExecution(input: DescribeStateMachineForExecutionInput): DescribeStateMachineForExecutionOutput {
    const row = this.executionRow(input.executionArn);
    const machine = this.store.stateMachines.get(row.stateMachineArn);
    const version = row.versionArn !== undefined ? this.store.versions.get(row.versionArn) : undefined;
    const definition = row.definition ?? version?.definition ?? machine?.definition;
    if (definition === undefined) throw stateMachineDoesNotExist(row.stateMachineArn);
    const source = version ?? machine;
    const out: DescribeStateMachineForExecutionOutput = {
      stateMachineArn: row.stateMachineArn,
      name: parseStatesArn(row.stateMachineArn, 'stateMachine').machineName,
      definition,
      roleArn: source?.roleArn ?? '',
      updateDate: new Date(version?.createdAt ?? machine?.updatedAt ?? row.startDate),
      loggingConfiguration: loggingShape(source?.loggingConfiguration),
      tracingConfiguration: tracingShape(source?.tracingConfiguration),
    };
    const revisionId = version ? version.revisionId : machine?.revisionId;
    if (revisionId !== undefined) out.revisionId = revisionId;
    return out;
  }

  /** TestState: one state run by the engine with the home's services (or the given mock); `signal` ends it. */
  testState(input: TestStateInput, signal?: AbortSignal): Promise<TestStateOutput> {
    return testState(input, this.services.tasks, this.services.location, signal);
  }

  validateStateMachineDefinition(input: ValidateStateMachineDefinitionInput): ValidateStateMachineDefinitionOutput {
    return validateStateMachineDefinition(input);
  }

  // ---- versions and aliases ----------------------------------------------------------------------

  publishStateMachineVersion(input: PublishStateMachineVersionInput): PublishStateMachineVersionOutput {
    const machine = this.machineRow(input.stateMachineArn);
    const description = optionalString(input.description, 'description');
    const revisionId = optionalString(input.revisionId, 'revisionId');
    const v = this.versions.publish(machine, description, revisionId);
    return { creationDate: new Date(v.createdAt), stateMachineVersionArn: v.arn };
  }

  listStateMachineVersions(input: ListStateMachineVersionsInput): ListStateMachineVersionsOutput {
    return this.versions.list(input);
  }

  deleteStateMachineVersion(input: DeleteStateMachineVersionInput): Record<string, never> {
    return this.versions.delete(input.stateMachineVersionArn);
  }

  createStateMachineAlias(input: CreateStateMachineAliasInput): CreateStateMachineAliasOutput {
    return this.versions.createAlias(input);
  }

  describeStateMachineAlias(input: DescribeStateMachineAliasInput): DescribeStateMachineAliasOutput {
    return this.versions.describeAlias(input);
  }

  updateStateMachineAlias(input: UpdateStateMachineAliasInput): UpdateStateMachineAliasOutput {
    return this.versions.updateAlias(input);
  }

  deleteStateMachineAlias(input: DeleteStateMachineAliasInput): Record<string, never> {
    return this.versions.deleteAlias(input.stateMachineAliasArn);
  }

  listStateMachineAliases(input: ListStateMachineAliasesInput): ListStateMachineAliasesOutput {
    return this.versions.listAliases(input);
  }

  // ---- activities --------------------------------------------------------------------------------

  createActivity(input: CreateActivityInput): CreateActivityOutput {
    return this.activities.create(input);
  }

  describeActivity(input: DescribeActivityInput): DescribeActivityOutput {
    return this.activities.describe(input);
  }

  listActivities(input: ListActivitiesInput = {}): ListActivitiesOutput {
    return this.activities.list(input);
  }

  deleteActivity(input: DeleteActivityInput): Record<string, never> {
    return this.activities.delete(input.activityArn);
  }

  /** A worker's long poll (up to 60 s); `signal` ends it early (the caller hung up). */
  getActivityTask(input: GetActivityTaskInput, signal?: AbortSignal): Promise<GetActivityTaskOutput> {
    return this.activities.getTask(input, signal);
  }

  // ---- tags --------------------------------------------------------------------------------------

  tagResource(input: TagResourceInput): Record<string, never> {
    return this.tags.tag(input.resourceArn, input.tags);
  }

  untagResource(input: UntagResourceInput): Record<string, never> {
    return this.tags.untag(input.resourceArn, input.tagKeys);
  }

  listTagsForResource(input: ListTagsForResourceInput): ListTagsForResourceOutput {
    return this.tags.list(input.resourceArn);
  }

  listStateMachines(input: ListStateMachinesInput = {}): ListStateMachinesOutput {
    const limit = pageSize(input.maxResults);
    const from = decodeToken<number>(input.nextToken, 'state-machines') ?? 0;
    const all = this.store.stateMachines.list();
    const page = all.slice(from, from + limit);
    const out: ListStateMachinesOutput = { stateMachines: page.map(stateMachineListItem) };
    if (from + limit < all.length) out.nextToken = encodeToken('state-machines', from + limit);
    return out;
  }

  /**
   * DeleteStateMachine as AWS does it: the machine is DELETING (no new executions), each running
   * execution is aborted at its next state transition, and the machine, its versions, aliases and
   * tags go once the last one has ended. A missing machine is no error. A version or alias is
   * deleted with its own action.
   */
  deleteStateMachine(input: DeleteStateMachineInput): Record<string, never> {
    const arn = required(input.stateMachineArn, 'stateMachineArn');
    const parsed = parseMachineArn(arn);
    if (parsed.version !== undefined || parsed.alias !== undefined) {
      throw new StepFunctionsError('ValidationException', `Delete a state machine by its unqualified ARN; use DeleteStateMachineVersion or DeleteStateMachineAlias for '${arn}'`);
    }
    if (!this.store.stateMachines.get(arn)) return {};
    this.store.stateMachines.markDeleting(arn);
    for (const r of this.running.values()) {
      if (r.stateMachineArn !== arn) continue;
      // EXPRESS executions keep no history to see a transition in: they stop at once.
      if (r.type === 'EXPRESS') r.controller.abort({});
      else r.stopAtTransition = true;
    }
    // Executions whose process has ended will never make a transition: closed now, as orphans.
    for (const row of this.store.executions.running()) {
      if (row.stateMachineArn !== arn || this.running.has(row.arn) || ownerAlive(row.owner)) continue;
      closeAsOrphan(this.store, this.services.location, row, { status: 'ABORTED', stopDate: this.clock.now() });
    }
    this.finishDeletion(arn);
    return {};
  }

  /** The last step of a deletion: once nothing of the machine runs, it goes with its versions, aliases and tags. */
  private finishDeletion(arn: string): void {
    const row = this.store.stateMachines.get(arn);
    if (row?.status !== 'DELETING') return;
    if ([...this.running.values()].some((r) => r.stateMachineArn === arn) || this.store.executions.anyRunning(arn)) return;
    this.store.transaction(() => {
      this.versions.deleteAllOf(arn);
      this.store.tags.removeAll(arn);
      this.store.stateMachines.delete(arn);
    });
    for (const key of [...this.compiled.keys()]) if (key === arn || key.startsWith(`${arn}:`)) this.compiled.delete(key);
  }

  // ---- executions --------------------------------------------------------------------------------

  /**
   * Starts an execution and returns at once; it runs in this process, in the background. STANDARD
   * executions are recorded in the store (status, history); EXPRESS ones, as on AWS, are not.
   */
  startExecution(input: StartExecutionInput, options: StartOptions = {}): StartExecutionOutput {
    const start = this.prepareStart(input);
    const { sm, machine, name, inputText, inputValue, mock, target } = start;
    const through = versionFields(target);
    const startDate = this.clock.now();
    if (sm.type === 'EXPRESS') {
      const runId = randomUUID();
      const arn = makeExecutionArn(this.services.location, sm.name, name, runId);
      this.launch({ sm, machine, arn, name, inputValue, startDate, expressRunId: runId, mock, ...through, onEvent: options.onEvent });
      return { executionArn: arn, startDate: new Date(startDate) };
    }
    const arn = makeExecutionArn(this.services.location, sm.name, name);
    const tokenSeed = randomBytes(32).toString('base64url');
    const inserted = this.store.executions.insert({
      arn,
      name,
      stateMachineArn: sm.arn,
      input: inputText,
      startDate,
      owner: currentOwner(),
      definition: target.definition,
      tokenSeed,
      ...(target.versionArn !== undefined ? { versionArn: target.versionArn } : {}),
      ...(target.aliasArn !== undefined ? { aliasArn: target.aliasArn } : {}),
      ...(mock ? { mockTestCase: `${mock.stateMachine}#${mock.name}` } : {}),
    });
    if (!inserted) {
      // As on AWS for STANDARD: the same name and input as a running execution answer with it.
      const existing = this.store.executions.get(arn)!;
      if (existing.status === 'RUNNING' && existing.input === inputText) return { executionArn: arn, startDate: new Date(existing.startDate) };
      throw executionAlreadyExists(arn);
    }
    this.launch({ sm, machine, arn, name, inputValue, startDate, tokenSeed, mock, ...through, onEvent: options.onEvent });
    return { executionArn: arn, startDate: new Date(startDate) };
  }

  /**
   * Resumes a RUNNING STANDARD execution whose process ended (a kill, a crash, a closed terminal): it
   * runs on here from its stored history (see runExecution's `resume`), with the definition it
   * started with. Throws NotResumableError when it has ended or a live process runs it.
   */
  resumeExecution(executionArn: string, options: StartOptions = {}): { executionArn: string; startDate: Date } {
    if (this.closed) throw new StepFunctionsError('ValidationException', 'The local Step Functions service is closed');
    const row = this.executionRow(executionArn);
    if (this.running.has(row.arn)) return { executionArn: row.arn, startDate: new Date(row.startDate) };
    if (row.status !== 'RUNNING') throw new NotResumableError(`Execution ${row.name} is ${row.status}: only a RUNNING execution whose process ended can be resumed (redrive restarts a failed one).`);
    if (ownerAlive(row.owner) && !isCurrentProcess(row.owner)) {
      throw new NotResumableError(`Execution ${row.name} is running in another local process (pid ${row.owner!.pid}); it needs no resume.`);
    }
    const sm = this.store.stateMachines.get(row.stateMachineArn);
    if (!sm) throw stateMachineDoesNotExist(row.stateMachineArn);
    const machine = this.compiledDefinition(row.definition ?? sm.definition, sm.type);
    const testCase = this.storedTestCase(row, sm);
    if (!this.store.executions.takeOver(row.arn, row.owner, currentOwner())) {
      throw new NotResumableError(`Execution ${row.name} was resumed or closed by another process meanwhile.`);
    }
    this.launchFromHistory(row, sm, machine, options, testCase);
    return { executionArn: row.arn, startDate: new Date(row.startDate) };
  }

  /**
   * RedriveExecution: a FAILED, ABORTED or TIMED_OUT STANDARD execution (within 14 days) runs again in
   * this process from the states that did not succeed, with the definition and input it started with;
   * what succeeded is replayed from its history, not run again (see asl/redrive.ts). Its redriveCount
   * goes up, `$$.Execution.RedriveCount` with it, and the history gets ExecutionRedriven.
   */
  redriveExecution(input: RedriveExecutionInput, options: StartOptions = {}): RedriveExecutionOutput {
    if (this.closed) throw new StepFunctionsError('ValidationException', 'The local Step Functions service is closed');
    optionalString(input.clientToken, 'clientToken');
    const row = this.executionRow(input.executionArn);
    const now = this.clock.now();
    const reason = notRedrivableReason(row, now);
    if (reason !== undefined) throw executionNotRedrivable(reason);
    const sm = this.store.stateMachines.get(row.stateMachineArn);
    if (!sm) throw executionNotRedrivable('State machine is in DELETING status');
    const machine = this.compiledDefinition(row.definition!, sm.type);
    const testCase = this.storedTestCase(row, sm);
    if (!this.store.executions.redrive(row.arn, now, currentOwner())) throw executionNotRedrivable(`Execution is ${this.executionRow(row.arn).status} and cannot be redriven`);
    this.launchFromHistory(this.executionRow(row.arn), sm, machine, options, testCase);
    return { redriveDate: new Date(now) };
  }

  /** Runs a stored execution on from its history: resumed (its process ended) or redriven. */
  /**
   * The mock test case a stored execution was started on, checked before it is taken over: without
   * the mock configuration loaded its mocked states would call their services, so it is not resumed.
   */
  private storedTestCase(row: ExecutionRow, sm: StateMachineRow): MockTestCase | undefined {
    if (row.mockTestCase === undefined) return undefined;
    if (!this.opts.mockConfig) {
      throw new NotResumableError(`Execution ${row.name} was started on mock test case ${row.mockTestCase}: resume it where SFN_MOCK_CONFIG names the mock configuration, or its mocked states would call their services.`);
    }
    const hash = row.mockTestCase.indexOf('#');
    return this.mockTestCase(row.mockTestCase.slice(0, hash), row.mockTestCase.slice(hash + 1), row.definition ?? sm.definition);
  }

  private launchFromHistory(row: ExecutionRow, sm: StateMachineRow, machine: StateMachine, options: StartOptions, testCase: MockTestCase | undefined): void {
    const recorded = this.store.executions.recorded(row.arn);
    const history: RecordedHistory = { events: recorded.events as HistoryEvent[], threads: recorded.threads };
    // Started on a mock test case: it goes on with the same one, counting the invocations it recorded.
    const mock = testCase ? { testCase, invocations: invocationsRecorded(history.events, history.threads) } : undefined;
    if (row.redriveCount > 0) history.skip = redriveSkips(history);
    this.launch({
      sm,
      machine,
      arn: row.arn,
      name: row.name,
      inputValue: JSON.parse(row.input) as Json,
      startDate: row.startDate,
      ...(row.tokenSeed !== undefined ? { tokenSeed: row.tokenSeed } : {}),
      ...(row.redriveCount > 0 ? { redrive: { count: row.redriveCount, time: row.redriveDate ?? row.startDate } } : {}),
      ...(row.versionArn !== undefined ? { versionArn: row.versionArn } : {}),
      ...(row.aliasArn !== undefined ? { aliasArn: row.aliasArn } : {}),
      ...(mock ? { mock: mock.testCase, mockInvocations: mock.invocations } : {}),
      resume: history,
      onEvent: options.onEvent,
    });
  }

  /**
   * Resumes every RUNNING execution whose process has ended (what `serve` does when it opens a home).
   * `options` gives each its live-progress listener; failures are reported per execution, not thrown.
   */
  resumeOrphans(options: (name: string) => StartOptions = () => ({})): { resumed: string[]; failed: { arn: string; error: string }[] } {
    const resumed: string[] = [];
    const failed: { arn: string; error: string }[] = [];
    for (const row of this.store.executions.running()) {
      if (this.running.has(row.arn) || isCurrentProcess(row.owner) || ownerAlive(row.owner)) continue;
      try {
        this.resumeExecution(row.arn, options(row.name));
        resumed.push(row.arn);
      } catch (e) {
        failed.push({ arn: row.arn, error: e instanceof Error ? e.message : String(e) });
      }
    }
    return { resumed, failed };
  }

  /** StartSyncExecution: EXPRESS state machines only; resolves when the execution ends. */
  async startSyncExecution(input: StartSyncExecutionInput, options: StartOptions = {}): Promise<StartSyncExecutionOutput> {
    const { sm, machine, name, inputValue, mock, target } = this.prepareStart(input);
    if (sm.type !== 'EXPRESS') throw typeNotSupported();
    const runId = randomUUID();
    const arn = makeExecutionArn(this.services.location, sm.name, name, runId);
    const startDate = this.clock.now();
    const r = await this.launch({ sm, machine, arn, name, inputValue, startDate, expressRunId: runId, sync: true, mock, ...versionFields(target), onEvent: options.onEvent })
      .result;
    const out: StartSyncExecutionOutput = {
      executionArn: r.executionArn,
      stateMachineArn: r.stateMachineArn,
      name: r.name,
      startDate: new Date(r.startDate),
      stopDate: new Date(r.stopDate),
      // A sync execution stopped by this process closing reports as failed: StartSync has no ABORTED.
      status: r.status === 'ABORTED' ? 'FAILED' : r.status,
    };
    if (r.error !== undefined) out.error = r.error;
    if (r.cause !== undefined) out.cause = r.cause;
    out.input = JSON.stringify(r.input);
    out.inputDetails = { included: true };
    if (r.output !== undefined) {
      out.output = JSON.stringify(r.output);
      out.outputDetails = { included: true };
    }
    // Express executions bill in 100 ms steps and 64 MB of memory at least.
    out.billingDetails = { billedMemoryUsedInMB: 64, billedDurationInMilliseconds: Math.max(100, Math.ceil((r.stopDate - r.startDate) / 100) * 100) };
    return out;
  }

  describeExecution(input: DescribeExecutionInput): DescribeExecutionOutput {
    return describeExecutionShape(this.executionRow(input.executionArn));
  }

  listExecutions(input: ListExecutionsInput): ListExecutionsOutput {
    if (input.mapRunArn !== undefined && input.stateMachineArn === undefined) {
      throw new StepFunctionsError('ValidationException', 'The local service does not record Distributed Map runs; list executions by stateMachineArn');
    }
    // A version or alias ARN lists the executions started through it.
    const listed = parseMachineArn(required(input.stateMachineArn, 'stateMachineArn'));
    const sm = this.machineRow(listed.machineArn);
    const qualifier = listed.version !== undefined ? { versionArn: input.stateMachineArn! } : listed.alias !== undefined ? { aliasArn: input.stateMachineArn! } : {};
    if (sm.type === 'EXPRESS') throw typeNotSupported();
    const status = statusFilter(input.statusFilter);
    const limit = pageSize(input.maxResults);
    // A local redrive starts at once, so nothing waits for one.
    if (input.statusFilter === 'PENDING_REDRIVE') return { executions: [] };
    const query = `executions:${input.stateMachineArn!}:${status ?? ''}`;
    const after = decodeToken<{ startDate: number; arn: string }>(input.nextToken, query);
    const rows = this.store.executions.list({ stateMachineArn: sm.arn, ...qualifier, ...(status ? { status } : {}), limit: limit + 1, ...(after ? { after } : {}) });
    const page = rows.slice(0, limit);
    const out: ListExecutionsOutput = { executions: page.map(executionListItem) };
    if (rows.length > limit) {
      const last = page[page.length - 1]!;
      out.nextToken = encodeToken(query, { startDate: last.startDate, arn: last.arn });
    }
    return out;
  }

  getExecutionHistory(input: GetExecutionHistoryInput): GetExecutionHistoryOutput {
    const row = this.executionRow(input.executionArn);
    // This process's own running executions: write what is pending, so the reader sees it all.
    this.running.get(row.arn)?.writer?.flush();
    const limit = pageSize(input.maxResults);
    const reverse = input.reverseOrder === true;
    const query = `history:${row.arn}:${reverse ? 'r' : 'f'}`;
    const from = decodeToken<number>(input.nextToken, query);
    const stored = this.store.executions.events(row.arn, {
      limit: limit + 1,
      reverse,
      ...(from === undefined ? {} : reverse ? { beforeId: from } : { afterId: from }),
    });
    const page = stored.slice(0, limit);
    const includeData = input.includeExecutionData !== false;
    const out: GetExecutionHistoryOutput = { events: page.map((e) => historyEventShape(e, includeData)) };
    if (stored.length > limit) out.nextToken = encodeToken(query, page[page.length - 1]!.id);
    return out;
  }

  /** Stops a RUNNING execution (ABORTED, with the given error and cause); a closed one is left as it is. */
  stopExecution(input: StopExecutionInput): StopExecutionOutput {
    const error = optionalString(input.error, 'error');
    const cause = optionalString(input.cause, 'cause');
    checkLength(error, 'error', MAX_ERROR_CHARS, true);
    checkLength(cause, 'cause', MAX_CAUSE_CHARS, true);
    const row = this.executionRow(input.executionArn);
    if (row.status !== 'RUNNING') return { stopDate: new Date(row.stopDate ?? this.clock.now()) };
    const stopDate = this.clock.now();
    const end: ExecutionEnd = { status: 'ABORTED', stopDate, ...(error !== undefined ? { error } : {}), ...(cause !== undefined ? { cause } : {}) };
    const mine = this.running.get(row.arn);
    if (mine) {
      // Closed at once, so DescribeExecution says ABORTED from now on; the run appends its
      // ExecutionAborted event as it unwinds.
      mine.writer?.flush();
      this.store.executions.closeFromOutside(row.arn, end);
      mine.controller.abort({ error, cause });
    } else if (ownerAlive(row.owner)) {
      // Another live process runs it: it sees the closed row on its next poll and stops the run.
      this.store.executions.closeFromOutside(row.arn, end);
    } else {
      closeAsOrphan(this.store, this.services.location, row, end);
    }
    return { stopDate: new Date(stopDate) };
  }

  sendTaskSuccess(input: SendTaskSuccessInput): Record<string, never> {
    const token = this.taskToken(input.taskToken);
    const output = required(input.output, 'output');
    checkPayloadSize(output, 'output');
    const parsed = parseJson(output);
    if (!parsed.ok) throw new StepFunctionsError('InvalidOutput', `Invalid Output: '${parsed.message}'`);
    sendCallback(this.services.tasks.tokens, this.store, token, { kind: 'success', output });
    return {};
  }

  sendTaskFailure(input: SendTaskFailureInput): Record<string, never> {
    const token = this.taskToken(input.taskToken);
    const error = optionalString(input.error, 'error');
    const cause = optionalString(input.cause, 'cause');
    checkLength(error, 'error', MAX_ERROR_CHARS, true);
    checkLength(cause, 'cause', MAX_CAUSE_CHARS, true);
    sendCallback(this.services.tasks.tokens, this.store, token, {
      kind: 'failure',
      ...(error !== undefined ? { error } : {}),
      ...(cause !== undefined ? { cause } : {}),
    });
    return {};
  }

  sendTaskHeartbeat(input: SendTaskHeartbeatInput): Record<string, never> {
    sendCallback(this.services.tasks.tokens, this.store, this.taskToken(input.taskToken), { kind: 'heartbeat' });
    return {};
  }

  // ---- local extras ------------------------------------------------------------------------------

  /**
   * The result of an execution: awaited when it runs in this process; otherwise read from the store
   * once it has ended (polling while another process runs it). `transitions` is then counted from the
   * recorded StateEntered events.
   */
  async result(executionArn: string, signal?: AbortSignal): Promise<ExecutionResult> {
    const mine = this.running.get(executionArn);
    if (mine) return mine.result;
    let row = this.executionRow(executionArn);
    while (row.status === 'RUNNING') {
      await new Promise((resolve, reject) => {
        const t = setTimeout(resolve, this.opts.pollMs ?? 250);
        signal?.addEventListener('abort', () => (clearTimeout(t), reject(signal.reason)), { once: true });
      });
      const again = this.running.get(executionArn);
      if (again) return again.result;
      row = this.executionRow(executionArn);
    }
    return resultFromStore(this.store, row);
  }

  /** ARNs of the executions running in this process. */
  runningHere(): string[] {
    return [...this.running.keys()];
  }

  /**
   * Stops the executions running in this process (ABORTED: the process is ending) and waits for
   * their records. Call before closing the services' store.
   */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const pending = [...this.running.values()];
    const me = currentOwner();
    for (const r of pending) {
      if (r.type === 'STANDARD') {
        // Persisted: left RUNNING with its history so far; the next `serve` or `resume` goes on with it.
        r.detached = true;
        r.writer?.detach();
        r.controller.abort({ error: PROCESS_ENDED_ERROR, cause: processEndedCause(me.pid) });
      } else {
        r.controller.abort({ error: PROCESS_ENDED_ERROR, cause: `${processEndedCause(me.pid)} ${EXPRESS_NOT_RESUMABLE}` });
      }
    }
    await Promise.allSettled(pending.map((r) => r.result));
    this.stopPolling();
  }

  // ---- internals ---------------------------------------------------------------------------------

  private prepareStart(input: StartExecutionInput): {
    sm: StateMachineRow;
    machine: StateMachine;
    name: string;
    inputText: string;
    inputValue: Json;
    mock: MockTestCase | undefined;
    target: StartTarget;
  } {
    if (this.closed) throw new StepFunctionsError('ValidationException', 'The local Step Functions service is closed');
    const split = splitTestCase(input.stateMachineArn);
    const target = this.versions.startTarget(required(split.stateMachineArn, 'stateMachineArn'));
    const sm = target.machine;
    if (sm.status === 'DELETING') throw new StepFunctionsError('StateMachineDeleting', `State Machine is being deleted: '${sm.arn}'`);
    const mock = split.testCase === undefined ? undefined : this.mockTestCase(sm.name, split.testCase, target.definition);
    const name = optionalString(input.name, 'name') ?? randomUUID();
    checkName(name);
    const inputText = optionalString(input.input, 'input') ?? '{}';
    checkPayloadSize(inputText, 'input');
    const parsed = parseJson(inputText);
    if (!parsed.ok) throw new StepFunctionsError('InvalidExecutionInput', `Invalid State Machine Execution Input: '${parsed.message}'`);
    if (jsonDepthExceeds(parsed.value, MAX_JSON_DEPTH)) {
      throw new StepFunctionsError('InvalidExecutionInput', `Invalid State Machine Execution Input: 'nested more than ${MAX_JSON_DEPTH} levels deep'`);
    }
    // Compiled before anything is recorded, so a failure here leaves no RUNNING row behind.
    const machine = target.versionArn === undefined ? this.machineFor(sm) : this.compiledDefinition(target.definition, sm.type);
    return { sm, machine, name, inputText, inputValue: parsed.value as Json, mock, target };
  }

  /**
   * The mock test case a StartExecution on `<arn>#<TestCase>` names (or a resumed execution kept),
   * checked against the definition it runs.
   */
  private mockTestCase(machineName: string, testCase: string, definition: string): MockTestCase {
    const config = this.opts.mockConfig;
    if (!config) {
      throw new StepFunctionsError(
        'ValidationException',
        `The state machine ARN names the mock test case '${testCase}', but no mock configuration is loaded: start serve with SFN_MOCK_CONFIG=<file> (Step Functions Local's mock configuration).`,
      );
    }
    try {
      const tc = testCaseFor(config, machineName, testCase);
      checkTestCase(tc, JSON.parse(definition) as Json);
      return tc;
    } catch (e) {
      if (e instanceof MockConfigError) throw new StepFunctionsError('ValidationException', e.message);
      throw e;
    }
  }

  private launch(x: {
    sm: StateMachineRow;
    machine: StateMachine;
    arn: string;
    name: string;
    inputValue: Json;
    startDate: number;
    expressRunId?: string;
    /** StartSyncExecution (its context object has no RedriveCount). */
    sync?: boolean;
    tokenSeed?: string;
    resume?: RecordedHistory;
    redrive?: { count: number; time: number };
    /** A mock test case: its mocked states answer instead of their services. */
    mock?: MockTestCase | undefined;
    /** A resumed mocked execution's invocations so far, per state. */
    mockInvocations?: Map<string, number>;
    versionArn?: string;
    aliasArn?: string;
    onEvent: ((e: HistoryEvent, meta: EventMeta) => void) | undefined;
  }): Running {
    const controller = new AbortController();
    const writer =
      x.sm.type === 'STANDARD'
        ? new HistoryWriter(this.store, x.arn, {
            intervalMs: this.opts.flushIntervalMs ?? 100,
            maxEvents: this.opts.flushEvents ?? 500,
            onError: (e) => this.log(`cannot record the history of ${x.arn}: ${e instanceof Error ? e.message : String(e)}`),
          })
        : undefined;
    const tokens: WaitingTokens = new Map();
    let settle!: (r: ExecutionResult) => void;
    const result = new Promise<ExecutionResult>((resolve) => (settle = resolve));
    const running: Running = { arn: x.arn, stateMachineArn: x.sm.arn, type: x.sm.type, controller, writer, result, tokens, detached: false, stopAtTransition: false };
    this.running.set(x.arn, running);
    this.startPolling();

    const recorded = eventHook(writer?.add, x.onEvent, (e) => this.log(`an onEvent listener failed: ${e instanceof Error ? e.message : String(e)}`));
    // A state machine being deleted stops its executions at their next transition (a state exited).
    const onEvent = (e: HistoryEvent, meta: EventMeta) => {
      recorded?.(e, meta);
      if (running.stopAtTransition && !meta.replayed && !controller.signal.aborted && e.type.endsWith('StateExited')) controller.abort({});
    };
    const base = { executionArn: x.arn, stateMachineArn: x.sm.arn, name: x.name, input: x.inputValue, startDate: x.startDate };
    const finish = (r: ExecutionResult) => {
      try {
        if (writer && !running.detached) this.record(r, writer);
      } catch (e) {
        this.log(`cannot record the end of ${x.arn}: ${e instanceof Error ? e.message : String(e)}`);
      }
      this.running.delete(x.arn);
      if (this.running.size === 0) this.stopPolling();
      try {
        this.finishDeletion(x.sm.arn);
      } catch (e) {
        this.log(`cannot finish deleting ${x.sm.arn}: ${e instanceof Error ? e.message : String(e)}`);
      }
      settle(r);
    };

    // The run starts on the next turn: StartExecution answers first, as on AWS (a loop of Pass
    // states would otherwise run to its end before the caller hears back).
    setImmediate(() => {
      // (A resumed execution has its start recorded already: its run replays it and then stops.)
      if (controller.signal.aborted && !x.resume) return finish(this.abortedBeforeStart(base, x.sm, writer, controller.signal.reason));
      const tasks = x.mock ? mockedTasks(this.services.tasks, x.mock, x.mockInvocations) : this.services.tasks;
      runExecution(x.machine, x.inputValue, {
        tasks: writer ? durableTasks(tasks, this.store, { arn: x.arn, waiting: tokens, commit: () => writer.flush(), detached: () => running.detached }) : tasks,
        name: x.name,
        type: x.sm.type,
        clock: this.clock,
        location: this.services.location,
        stateMachineName: x.sm.name,
        roleArn: x.sm.roleArn,
        signal: controller.signal,
        onEvent,
        ...(x.expressRunId !== undefined ? { expressRunId: x.expressRunId } : {}),
        ...(x.sync === true ? { sync: true } : {}),
        ...(x.tokenSeed !== undefined ? { taskTokenSeed: x.tokenSeed } : {}),
        ...(x.resume ? { resume: { history: x.resume, startDate: x.startDate } } : {}),
        ...(x.redrive ? { redrive: x.redrive } : {}),
        ...(x.versionArn !== undefined ? { stateMachineVersionArn: x.versionArn } : {}),
        ...(x.aliasArn !== undefined ? { stateMachineAliasArn: x.aliasArn } : {}),
      }).then(finish, (e: unknown) =>
        // The engine reports every failure as a result; this is a bug path, recorded rather than lost.
        finish({
          ...base,
          status: 'FAILED',
          error: STATES_ERRORS.Runtime,
          cause: e instanceof Error ? e.message : String(e),
          stopDate: this.clock.now(),
          history: [],
          transitions: 0,
        }),
      );
    });
    return running;
  }

  private record(r: ExecutionResult, writer: HistoryWriter): void {
    const end: ExecutionEnd = { status: r.status, stopDate: r.stopDate };
    if (r.output !== undefined) end.output = JSON.stringify(r.output);
    if (r.error !== undefined) end.error = r.error;
    if (r.cause !== undefined) end.cause = r.cause;
    writer.finish(end);
    // A task still waiting when the run ended (its integration call never returned) cannot be called back.
    this.store.taskTokens.closeForExecution(r.executionArn);
    this.store.activities.closeForExecution(r.executionArn);
  }

  /** Stopped between StartExecution and the first step: the history still starts and ends properly. */
  private abortedBeforeStart(
    base: Pick<ExecutionResult, 'executionArn' | 'stateMachineArn' | 'name' | 'input' | 'startDate'>,
    sm: StateMachineRow,
    writer: HistoryWriter | undefined,
    reason: { error?: string; cause?: string } | undefined,
  ): ExecutionResult {
    const now = this.clock.now();
    const details: Record<string, unknown> = {};
    if (reason?.error !== undefined) details['error'] = reason.error;
    if (reason?.cause !== undefined) details['cause'] = reason.cause;
    const history: HistoryEvent[] = [
      { timestamp: base.startDate, type: 'ExecutionStarted', id: 1, previousEventId: 0, executionStartedEventDetails: { ...payloadDetails('input', base.input), roleArn: sm.roleArn } },
      { timestamp: now, type: 'ExecutionAborted', id: 2, previousEventId: 1, executionAbortedEventDetails: details },
    ];
    if (writer) for (const e of history) writer.add(e);
    return {
      ...base,
      status: 'ABORTED',
      ...(reason?.error !== undefined ? { error: reason.error } : {}),
      ...(reason?.cause !== undefined ? { cause: reason.cause } : {}),
      stopDate: now,
      history: writer ? history : [],
      transitions: 0,
    };
  }

  /** The owner's poll: stops from other processes, and callbacks they left for our tokens. */
  private pollOthers(): void {
    if (!this.store.isOpen) return;
    for (const r of this.running.values()) {
      if (r.type !== 'STANDARD' || r.controller.signal.aborted) continue;
      const row = this.store.executions.get(r.arn);
      if (row && row.status !== 'RUNNING') r.controller.abort({ error: row.error, cause: row.cause });
      else takeCallbacks(this.services.tasks.tokens, this.store, r.tokens);
      // Deleted from another process: stop at the next transition, as if deleted here.
      if (!r.stopAtTransition && this.store.stateMachines.get(r.stateMachineArn)?.status === 'DELETING') r.stopAtTransition = true;
    }
  }

  private startPolling(): void {
    if (this.poll) return;
    // Not unref'd: a running execution may be waiting for exactly what this poll delivers.
    this.poll = setInterval(() => {
      try {
        this.pollOthers();
      } catch (e) {
        this.log(`checking for stops and callbacks failed: ${e instanceof Error ? e.message : String(e)}`);
      }
    }, this.opts.pollMs ?? 250);
  }

  private stopPolling(): void {
    if (this.poll) clearInterval(this.poll);
    this.poll = undefined;
  }

  private machineRow(arn: unknown): StateMachineRow {
    const a = required(arn, 'stateMachineArn');
    parseStatesArn(a, 'stateMachine');
    const row = this.store.stateMachines.get(a);
    if (!row) throw stateMachineDoesNotExist(a);
    return row;
  }

  private executionRow(arn: unknown): ExecutionRow {
    const a = required(arn, 'executionArn');
    parseStatesArn(a, 'execution');
    const row = this.store.executions.get(a);
    if (!row) throw executionDoesNotExist(a);
    return row;
  }

  private taskToken(token: unknown): string {
    const t = required(token, 'taskToken');
    if (t.length < 1 || t.length > MAX_TASK_TOKEN_CHARS) {
      throw validationError('taskToken', t.slice(0, 100), `Member must have length less than or equal to ${MAX_TASK_TOKEN_CHARS}`);
    }
    return t;
  }

  /** Validates and compiles a definition as CreateStateMachine does. */
  private compile(definition: string, type: StateMachineType): StateMachine {
    checkLength(definition, 'definition', MAX_DEFINITION_CHARS, true);
    const parsed = parseJson(definition);
    if (!parsed.ok) throw new StepFunctionsError('InvalidDefinition', `Invalid State Machine Definition: 'INVALID_JSON_DESCRIPTION: ${parsed.message}'`);
    try {
      return loadStateMachine(parsed.value, { type });
    } catch (e) {
      if (e instanceof InvalidDefinitionError) throw new StepFunctionsError('InvalidDefinition', e.message);
      throw e;
    }
  }

  /** A definition an execution started with, compiled once per text. */
  private compiledDefinition(definition: string, type: StateMachineType): StateMachine {
    const key = `definition:${type}:${definition}`;
    const hit = this.compiled.get(key);
    if (hit) return hit.machine;
    const machine = this.compile(definition, type);
    this.compiled.set(key, { definition, machine });
    return machine;
  }

  /** The compiled machine for a state machine's current definition (compiled once per definition). */
  private machineFor(sm: StateMachineRow): StateMachine {
    const hit = this.compiled.get(sm.arn);
    if (hit && hit.definition === sm.definition) return hit.machine;
    const machine = this.compile(sm.definition, sm.type);
    this.compiled.set(sm.arn, { definition: sm.definition, machine });
    return machine;
  }
}

/**
 * Step Functions Local's way to choose a mock test case: `<stateMachineArn>#<TestCase>` in
 * StartExecution. The execution itself is the state machine's (its ARN has no `#`).
 */
function splitTestCase(arn: unknown): { stateMachineArn: unknown; testCase?: string } {
  if (typeof arn !== 'string') return { stateMachineArn: arn };
  const hash = arn.indexOf('#');
  if (hash < 0) return { stateMachineArn: arn };
  return { stateMachineArn: arn.slice(0, hash), testCase: arn.slice(hash + 1) };
}

/** The launch fields of an execution started through a version or an alias. */
function versionFields(target: StartTarget): { versionArn?: string; aliasArn?: string } {
  return {
    ...(target.versionArn !== undefined ? { versionArn: target.versionArn } : {}),
    ...(target.aliasArn !== undefined ? { aliasArn: target.aliasArn } : {}),
  };
}

const EXPRESS_NOT_RESUMABLE = 'EXPRESS executions are not persisted (on AWS either), so they cannot be resumed.';

function machineType(type: unknown): StateMachineType {
  if (type === undefined || type === null) return 'STANDARD';
  if (type === 'STANDARD' || type === 'EXPRESS') return type;
  throw validationError('type', type, 'Member must satisfy enum value set: [STANDARD, EXPRESS]');
}

function checkRoleArn(roleArn: string): void {
  if (!/^arn:[a-z-]+:iam::\d{12}:role\/.+/.test(roleArn)) throw new StepFunctionsError('InvalidArn', `Invalid Arn: 'Invalid ARN prefix: ${roleArn}'`);
}

const STATUSES: readonly ExecutionRowStatus[] = ['RUNNING', 'SUCCEEDED', 'FAILED', 'TIMED_OUT', 'ABORTED'];

function statusFilter(v: unknown): ExecutionRowStatus | undefined {
  if (v === undefined || v === null) return undefined;
  if (v === 'PENDING_REDRIVE') return undefined;
  if (typeof v === 'string' && (STATUSES as readonly string[]).includes(v)) return v as ExecutionRowStatus;
  throw validationError('statusFilter', v, 'Member must satisfy enum value set: [RUNNING, SUCCEEDED, FAILED, TIMED_OUT, ABORTED, PENDING_REDRIVE]');
}

/** One onEvent for the engine: persistence first, then the caller's listener (whose errors are logged, not thrown into the run). */
function eventHook(
  persist: ((e: HistoryEvent, meta: EventMeta) => void) | undefined,
  listener: ((e: HistoryEvent, meta: EventMeta) => void) | undefined,
  onListenerError: (e: unknown) => void,
): ((e: HistoryEvent, meta: EventMeta) => void) | undefined {
  if (!listener) return persist;
  const safe = (e: HistoryEvent, meta: EventMeta) => {
    try {
      listener(e, meta);
    } catch (err) {
      onListenerError(err);
    }
  };
  if (!persist) return safe;
  return (e, meta) => {
    persist(e, meta);
    safe(e, meta);
  };
}
