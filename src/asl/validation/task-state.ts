import { isJsonObject, ownValue } from '../../core/json.js';
import type { StateUnderCheck } from './context.js';
import { Msg } from './messages.js';
import { checkRetryAndCatch } from './retry-catch.js';
import { expectAtMostOne, expectKind, expectNumber, expectPath, has } from './value-checks.js';

/**
 * Resource ARN shapes CreateStateMachine recognises. Only the shape is judged: whether we emulate
 * the service is the engine's business (a Task we cannot run fails when it runs, never here).
 * The partition is open-ended (aws, aws-cn, aws-us-gov, aws-iso*, ...).
 */
const RESOURCE_SHAPES: readonly RegExp[] = [
  // Lambda called directly: function name, optional version or alias.
  /^arn:[a-z][a-z0-9-]*:lambda:[a-z0-9-]+:\d{12}:function:[A-Za-z0-9_-]+(?::[A-Za-z0-9_$-]+)?$/,
  // Activities.
  /^arn:[a-z][a-z0-9-]*:states:[a-z0-9-]+:\d{12}:activity:\S+$/,
  // Optimised integrations and AWS SDK integrations, with their integration pattern.
  /^arn:[a-z][a-z0-9-]*:states:::(?:aws-sdk:)?[a-z0-9-]+:[A-Za-z0-9]+(?:\.sync(?::2)?|\.waitForTaskToken)?$/,
];

export function isRecognisedResource(arn: string): boolean {
  return RESOURCE_SHAPES.some((shape) => shape.test(arn));
}

/** EXPRESS executions cannot wait for a job, a callback or an activity worker. */
function checkExpressResource(resource: string, at: string, s: StateUnderCheck): void {
  if (/\.sync(?::2)?$/.test(resource)) s.ctx.problems.schema(at, Msg.expressNoSync());
  else if (resource.endsWith('.waitForTaskToken')) s.ctx.problems.schema(at, Msg.expressNoCallback());
  else if (/^arn:[^:]+:states:[^:]*:[^:]*:activity:/.test(resource)) s.ctx.problems.schema(at, Msg.expressNoActivity());
}

export function checkTask(s: StateUnderCheck): void {
  const { problems } = s.ctx;
  const { state, location } = s;
  if (!has(state, 'Resource')) {
    problems.schema(location, Msg.required(['Resource']));
  } else if (expectKind(state, 'Resource', 'STRING', location, problems)) {
    const resource = state.Resource as string;
    if (!isRecognisedResource(resource)) problems.schema(`${location}/Resource`, Msg.resourceNotRecognised(resource));
    else if (s.ctx.express) checkExpressResource(resource, `${location}/Resource`, s);
  }

  expectAtMostOne(state, ['TimeoutSeconds', 'TimeoutSecondsPath'], location, problems);
  expectAtMostOne(state, ['HeartbeatSeconds', 'HeartbeatSecondsPath'], location, problems);
  expectNumber(state, 'TimeoutSeconds', { integer: true, min: 1 }, s.language, location, problems);
  expectNumber(state, 'HeartbeatSeconds', { integer: true, min: 1 }, s.language, location, problems);
  if (s.language === 'JSONPath') {
    expectPath(state, 'TimeoutSecondsPath', { kind: 'reference' }, location, problems);
    expectPath(state, 'HeartbeatSecondsPath', { kind: 'reference' }, location, problems);
  }
  const timeout = ownValue(state, 'TimeoutSeconds');
  const heartbeat = ownValue(state, 'HeartbeatSeconds');
  // The heartbeat has to fit inside the task's timeout (States Language spec); only static values can be compared.
  if (typeof timeout === 'number' && typeof heartbeat === 'number' && heartbeat >= timeout && heartbeat >= 1) {
    problems.schema(`${location}/HeartbeatSeconds`, Msg.heartbeatNotBelowTimeout());
  }

  const credentials = ownValue(state, 'Credentials');
  if (expectKind(state, 'Credentials', 'OBJECT', location, problems) && isJsonObject(credentials)) {
    if (!has(credentials, 'RoleArn') && !has(credentials, 'RoleArn.$')) {
      problems.schema(`${location}/Credentials`, Msg.fieldRequired('RoleArn'));
    }
  }
  checkRetryAndCatch(s);
}
