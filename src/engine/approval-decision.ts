/**
 * A person's decision on a manual approval, shared by `mlops-sfn approve|reject` and the console.
 * Light on purpose (no AWS SDK): the CLI loads it on every `approve`.
 */
import { LocalError } from '../core/errors.js';
import { LOCAL_ERRORS } from '../core/error-catalogue.js';
import type { Store } from '../store/index.js';

/**
 * Records a person's decision on a pending approval, as `mlops-sfn approve|reject` and the console
 * do: the process running the execution delivers it with SendTaskSuccess within a poll. A decision
 * is taken once; an unknown, decided or timed-out approval is a `Local.ApprovalNotPending` error saying which
 * (the console answers it as a conflict, the CLI as bad input).
 */
export function decideApproval(store: Store, home: string, execution: string, status: 'Approved' | 'Rejected', approver: string, comment: string | undefined): string {
  if (store.approvals.decide(execution, status, approver, comment)) {
    return `${status === 'Approved' ? 'approved' : 'rejected'} ${execution} (by ${approver}); the running pipeline picks it up within a second`;
  }
  const row = store.approvals.get(execution);
  if (row?.status === 'TimedOut') throw new LocalError(LOCAL_ERRORS.ApprovalNotPending, `nobody decided on ${execution} within its approval timeout, so its model was rejected; run the pipeline again for a new decision`);
  if (row) throw new LocalError(LOCAL_ERRORS.ApprovalNotPending, `${execution} was already ${row.status.toLowerCase()} by ${row.approver ?? 'someone'}; a decision is taken once`);
  const pending = store.approvals.pending().map((r) => r.executionName);
  throw new LocalError(
    LOCAL_ERRORS.ApprovalNotPending,
    `no approval is waiting for ${execution} in ${home}` + (pending.length ? ` (waiting: ${pending.join(', ')})` : ' (none is waiting; is the run using the same --home?)'),
  );
}
