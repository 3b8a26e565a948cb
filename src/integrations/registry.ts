import type { Json } from '../core/json.js';
import { StatesError, States } from '../asl/errors.js';
import type { TaskDescriptor, TaskInvoker, TaskRequest } from '../asl/task-invoker.js';
import type { Integration } from './integration.js';
import { parseResource } from './resource-arn.js';
import { TaskTokens } from './task-tokens.js';

/**
 * The TaskInvoker the engine runs with: routes each Resource to the integration that declares it,
 * and implements the wait-for-callback pattern once for all of them. A resource nobody emulates is
 * not a definition error (AWS would accept it): the task fails when it runs, naming the resource.
 */
export class IntegrationRegistry implements TaskInvoker {
  readonly tokens = new TaskTokens();
  private readonly integrations: Integration[] = [];

  add(i: Integration): this {
    this.integrations.push(i);
    return this;
  }

  describe(resource: string): TaskDescriptor {
    const r = parseResource(resource);
    if (!r) return { resourceType: 'unknown', resource, eventStyle: 'task', waitForTaskToken: false };
    return {
      resourceType: r.resourceType,
      resource: r.resource,
      eventStyle: r.legacyLambda ? 'lambda' : r.activity ? 'activity' : 'task',
      waitForTaskToken: r.pattern === 'waitForTaskToken',
      needsToken: r.pattern === 'waitForTaskToken' || r.activity,
    };
  }

  /** Whether some integration runs this resource locally (for pre-run warnings). */
  isEmulated(resource: string): boolean {
    const r = parseResource(resource);
    return r !== undefined && this.integrations.some((i) => i.supports(r));
  }

  async invoke(req: TaskRequest): Promise<Json> {
    const r = parseResource(req.resource);
    const integration = r && this.integrations.find((i) => i.supports(r));
    if (!r || !integration) {
      throw new StatesError(
        States.TaskFailed,
        `The local engine does not emulate the resource '${req.resource}'. Supported locally: Lambda functions, ` +
          'SageMaker jobs and models, S3 object calls, DynamoDB items and SNS Publish; run this state machine on AWS, or mock the task (exec --mock-config).',
      );
    }
    if (r.pattern !== 'waitForTaskToken') return integration.invoke(r, req);
    const waiting = this.tokens.wait(req.taskToken!, req.signal, req.heartbeat);
    waiting.catch(() => undefined);
    if (req.tokenHandedOut === undefined) {
      const response = await integration.invoke(r, req);
      req.onTokenHandedOut?.(response);
      req.submitted?.(response);
    } else {
      req.submitted?.(req.tokenHandedOut);
    }
    return waiting;
  }
}
