/** Manual approvals: those waiting for a person (with Approve / Reject), and the decided ones. */
import { useState } from 'preact/hooks';
import { consoleGet } from '../aws.js';
import { ApprovalCard, type Approval } from '../components/approval-card.js';
import { formatTime } from '../aws.js';
import { href, useLoad } from '../hooks.js';

export function ApprovalsPage() {
  // The card of a decided approval leaves the pending list: the page keeps what was decided.
  const [decided, setDecided] = useState<string>();
  const list = useLoad(async () => (await consoleGet<{ approvals: Approval[] }>('approvals?all=1')).approvals, [], 2000);
  const pending = (list.data ?? []).filter((a) => a.status === 'Pending');
  const done = (list.data ?? []).filter((a) => a.status !== 'Pending');
  return (
    <>
      <h1>Approvals</h1>
      <p class="muted">Models waiting for a person's decision. The decision reaches the waiting execution as `mlops-sfn approve` sends it.</p>
      {list.error && <div class="error-box">{list.error}</div>}
      {decided && (
        <p class="note" role="status">
          {decided}
        </p>
      )}
      {list.data && pending.length === 0 && <div class="panel empty">No approval is waiting.</div>}
      <div class="cards">
        {pending.map((a) => (
          <ApprovalCard
            key={a.executionName}
            approval={a}
            onDecided={(message) => {
              setDecided(message);
              list.reload();
            }}
            showLink
          />
        ))}
      </div>
      {done.length > 0 && (
        <div class="panel flush">
          <div class="panel-head">
            <h2>Decided</h2>
          </div>
          <table>
            <thead>
              <tr>
                <th>Execution</th>
                <th>Decision</th>
                <th>By</th>
                <th>When</th>
                <th>Comment</th>
              </tr>
            </thead>
            <tbody>
              {done.map((a) => (
                <tr>
                  <td>
                    <a href={href('executions', a.executionArn)}>{a.executionName}</a>
                  </td>
                  <td>
                    <span class={`status ${a.status}`}>{a.status}</span>
                  </td>
                  <td>{a.approver ?? '–'}</td>
                  <td class="mono">{formatTime(a.decidedAt)}</td>
                  <td>{a.comment ?? ''}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}
