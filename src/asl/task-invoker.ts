import type { Json, JsonObject } from '../core/json.js';
import type { HistorySink, EventThread } from './history.js';

/**
 * The one interface between the interpreter and the services a Task calls. Integrations (Lambda,
 * SageMaker, S3, ...) implement it in src/integrations; the interpreter knows only this shape.
 */
export interface TaskRequest {
  /** The Resource field as written in the definition. */
  resource: string;
  /** The effective parameters (after Parameters / Arguments). */
  parameters: Json;
  stateName: string;
  /** The task token, for `.waitForTaskToken` resources. */
  taskToken?: string;
  /** Aborted when the task times out, the execution stops, or a sibling branch fails. */
  signal: AbortSignal;
  /** Heartbeats extend the heartbeat deadline (callbacks and activities). */
  heartbeat(): void;
  /**
   * `.sync` and `.waitForTaskToken` integrations call this once the job or message was accepted,
   * with the service's response: AWS records it as TaskSubmitted before the task's outcome.
   */
  submitted?(response: Json): void;
  /** $$ of the running state (integrations such as nested executions need the execution ARN). */
  context: JsonObject;
  /**
   * True when a resumed execution re-enters a task that was started before its process ended and
   * whose outcome was not recorded: the integration continues the work (a job by its name, a
   * token's wait) rather than starting it a second time.
   */
  resumed?: boolean;
  /**
   * `.waitForTaskToken`: the service's response when the token was already handed to it before the
   * process ended (the task only waits again). `onTokenHandedOut` is called with the response once
   * the service has the token.
   */
  tokenHandedOut?: Json;
  onTokenHandedOut?: (response: Json) => void;
  /**
   * Activity tasks: the integration reports when the task is queued for workers (after checking the
   * activity exists) and when a worker took it; the state records ActivityScheduled / ActivityStarted.
   */
  activity?: { scheduled(): void; started(workerName: string | undefined): void };
  /** Timeout and heartbeat values, shown in TaskScheduled events. */
  timeoutSeconds?: number;
  heartbeatSeconds?: number;
}

/**
 * What an integration reports in history: AWS's resourceType/resource pair, e.g. `lambda`/`invoke`
 * for arn:aws:states:::lambda:invoke, plus which events it emits (legacy Lambda ARNs use
 * LambdaFunction* events, service integrations use Task*).
 */
export interface TaskDescriptor {
  resourceType: string;
  resource: string;
  eventStyle: 'lambda' | 'task' | 'activity';
  /** Whether the service waits for a callback with the task token. */
  waitForTaskToken: boolean;
  /** Whether the task needs a task token (`.waitForTaskToken`, and activities, whose workers answer with one). */
  needsToken?: boolean;
}

export interface TaskInvoker {
  /** Describes a resource at definition load; throws nothing: unknown resources fail when run. */
  describe(resource: string): TaskDescriptor;
  /** Runs the task; resolves with its result or rejects with a StatesError. */
  invoke(request: TaskRequest): Promise<Json>;
}

export type { HistorySink, EventThread };
