/**
 * The TaskInvoker of an execution started on a mock test case (`<stateMachineArn>#<TestCase>`, or
 * `exec --test-case`): a Task state the test case names never calls its service; it answers with the
 * mocked response for this invocation of the state, as AWS Step Functions Local does. States the
 * test case does not name call their (local) services as usual.
 *
 * What Step Functions Local does, and so this:
 * - Invocations are counted per state over the whole execution, from 0: the first attempt, each
 *   retry, each time a loop comes back to the state and each Map iteration is the next number. An
 *   invocation the mocked response does not cover fails the execution (States.Runtime).
 * - `Return` is the task's result (then ResultSelector, ResultPath... apply as usual), `Throw` its
 *   error and cause (then Retry and Catch apply as usual).
 * - `.sync` and `.waitForTaskToken` tasks neither start a job nor wait: the token is generated
 *   (`$$.Task.Token` works in Parameters) and `Return` is the job's or the callback's final result.
 *   Their history records TaskSubmitted (with the mocked result) before TaskSucceeded, as a real
 *   run of such a task does; a `Throw` records TaskFailed only.
 * - Activity states cannot be mocked: the execution fails with Step Functions Local's States.Runtime.
 */
import { cloneJson, type Json } from '../core/json.js';
import { StatesError, States } from '../asl/errors.js';
import type { TaskInvoker, TaskRequest } from '../asl/task-invoker.js';
import { outcomeOf, type MockTestCase } from './mock-config.js';
import { parseResource } from './resource-arn.js';

/**
 * `invocations` seeds the count per state: a resumed execution's invocations whose outcome its
 * history already holds (see invocationsRecorded), so the next invocation gets the next response.
 */
export function mockedTasks(inner: TaskInvoker, testCase: MockTestCase, invocations = new Map<string, number>()): TaskInvoker {
  return {
    describe: (resource) => inner.describe(resource),
    invoke(req: TaskRequest): Promise<Json> {
      const response = testCase.states.get(req.stateName);
      if (!response) return inner.invoke(req);
      const r = parseResource(req.resource);
      if (r?.activity) {
        return Promise.reject(new StatesError(States.Runtime, 'Activity state cannot be mocked. Please remove mocks mapped for all activity state in the mock config file.'));
      }
      const n = invocations.get(req.stateName) ?? 0;
      invocations.set(req.stateName, n + 1);
      const outcome = outcomeOf(response, n);
      if (!outcome) {
        const last = response.ranges[response.ranges.length - 1]!.to;
        return Promise.reject(
          new StatesError(
            States.Runtime,
            `No mocked response for invocation ${n} of state '${req.stateName}': the mocked response '${response.name}' of test case '${testCase.name}' covers invocations 0-${last}. Add "${n}" to it in ${testCase.file}.`,
          ),
        );
      }
      if (outcome.kind === 'throw') return Promise.reject(new StatesError(outcome.error, outcome.cause));
      // A fresh copy each time: the engine owns the results it is given.
      const value = cloneJson(outcome.value);
      if (r && r.pattern !== 'request-response') req.submitted?.(value);
      return Promise.resolve(value);
    },
  };
}

const SCHEDULED = new Set(['TaskScheduled', 'LambdaFunctionScheduled']);
const OUTCOMES = new Set(['TaskSucceeded', 'TaskFailed', 'TaskTimedOut', 'LambdaFunctionSucceeded', 'LambdaFunctionFailed', 'LambdaFunctionTimedOut']);

/**
 * How many invocations of each state a stored history holds an outcome for: each thread's
 * `*StateEntered` names the state its following Scheduled/outcome events belong to. A task that was
 * scheduled but has no outcome yet is invoked again on resume, so it is not counted.
 */
export function invocationsRecorded(events: readonly { type: string; stateEnteredEventDetails?: { name?: string } }[], threads: readonly string[]): Map<string, number> {
  const counts = new Map<string, number>();
  const current = new Map<string, string>();
  events.forEach((e, i) => {
    const thread = threads[i] ?? '';
    if (e.type.endsWith('StateEntered') && e.stateEnteredEventDetails?.name !== undefined) current.set(thread, e.stateEnteredEventDetails.name);
    else if (OUTCOMES.has(e.type) && current.has(thread)) {
      const state = current.get(thread)!;
      counts.set(state, (counts.get(state) ?? 0) + 1);
    } else if (SCHEDULED.has(e.type)) {
      // nothing: counted when its outcome is recorded
    }
  });
  return counts;
}
