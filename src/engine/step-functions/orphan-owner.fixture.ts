/**
 * Test fixture (run as a child process, then killed with SIGKILL): starts a long Wait execution in
 * the home given as argv[2], prints its ARN once the start is in the store, and keeps running.
 */
import { harness, LONG_WAIT, ROLE } from './test-support.js';

const h = harness(process.argv[2]!, { flushIntervalMs: 10 });
const { stateMachineArn } = h.sfn.ensureStateMachine('hold', LONG_WAIT, ROLE);
const { executionArn } = h.sfn.startExecution({ stateMachineArn, name: process.argv[3]!, input: '{"from":"child"}' });
const timer = setInterval(() => {
  if (h.services.store.executions.get(executionArn!)!.eventCount >= 2) {
    clearInterval(timer);
    process.stdout.write(`${executionArn}\n`);
  }
}, 5);
