/**
 * A manual approval waiting for a person: the model's metrics and the rule checks, and the
 * Approve / Reject buttons with a comment. The decision goes through the console API to the same
 * approvals table `mlops-sfn approve` writes, and from there to the waiting task's token.
 */
import { useState } from 'preact/hooks';
import { consoleGet, consolePost, formatTime } from '../aws.js';
import { href, useLoad } from '../hooks.js';

export interface Approval {
  executionName: string;
  executionArn: string;
  status: string;
  approver?: string;
  comment?: string;
  decidedAt?: number;
  createdAt: number;
  request: {
    metrics?: Record<string, number>;
    checks?: { rule: string; value: number | null; passed: boolean }[];
    modelPackageArn?: string | null;
    modelPackageGroup?: string | null;
    expiresAt?: string;
  };
}

export function usePendingApproval(executionName: string | undefined, running: boolean): Approval | undefined {
  const loaded = useLoad(
    async () => (executionName && running ? (await consoleGet<{ approvals: Approval[] }>('approvals')).approvals.find((a) => a.executionName === executionName) : undefined),
    [executionName, running],
    running ? 2000 : undefined,
  );
  return loaded.data;
}

export function ApprovalCard({ approval, onDecided, showLink }: { approval: Approval; onDecided?: (message: string) => void; showLink?: boolean }) {
  const [comment, setComment] = useState('');
  const [approver, setApprover] = useState('');
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<{ ok: boolean; text: string }>();
  const r = approval.request;
  const decide = async (decision: 'Approved' | 'Rejected') => {
    setBusy(true);
    try {
      const out = await consolePost<{ message: string }>(`approvals/${encodeURIComponent(approval.executionName)}/decision`, {
        decision,
        comment,
        ...(approver.trim() ? { approver: approver.trim() } : {}),
      });
      setResult({ ok: true, text: out.message });
      onDecided?.(out.message);
    } catch (e) {
      setResult({ ok: false, text: (e as Error).message });
    }
    setBusy(false);
  };
  const pending = approval.status === 'Pending' && !result?.ok;
  const id = `approval-${approval.executionName}`;
  return (
    <section class="panel" aria-labelledby={id}>
      <h2 id={id}>
        {pending ? 'Waiting for a manual approval: ' : 'Manual approval: '}
        {showLink ? <a href={href('executions', approval.executionArn)}>{approval.executionName}</a> : approval.executionName}{' '}
        <span class={`status ${approval.status}`}>{approval.status}</span>
      </h2>
      <div>
        {Object.entries(r.metrics ?? {}).map(([k, v]) => (
          <span class="metric">
            <b>{typeof v === 'number' ? v.toFixed(4) : String(v)}</b>
            <span>{k}</span>
          </span>
        ))}
      </div>
      {r.checks && r.checks.length > 0 && (
        <ul>
          {r.checks.map((c) => (
            <li class={c.passed ? 'check-ok' : 'check-bad'}>
              {c.passed ? '✓' : '✗'} {c.rule} {c.value === null ? '(no value)' : `(${c.value})`}
            </li>
          ))}
        </ul>
      )}
      <div class="kv">
        <span>Requested</span>
        <span>{formatTime(approval.createdAt)}</span>
        {r.expiresAt && (
          <>
            <span>Decide before</span>
            <span>{formatTime(Date.parse(r.expiresAt))}</span>
          </>
        )}
        {r.modelPackageArn && (
          <>
            <span>Model version</span>
            <span class="mono">{r.modelPackageArn}</span>
          </>
        )}
        {approval.approver && (
          <>
            <span>Decided by</span>
            <span>
              {approval.approver} at {formatTime(approval.decidedAt)}
              {approval.comment ? ` — “${approval.comment}”` : ''}
            </span>
          </>
        )}
      </div>
      {pending && (
        <div style="margin-top:.75rem">
          <label class="field">
            Comment
            <textarea value={comment} onInput={(e) => setComment((e.target as HTMLTextAreaElement).value)} placeholder="Why (recorded with the decision)" maxLength={1024} />
          </label>
          <div class="approval-actions">
            <label class="field">
              Approver
              <input value={approver} onInput={(e) => setApprover((e.target as HTMLInputElement).value)} placeholder="default: serve's user" maxLength={256} />
            </label>
            <span style="flex:1" />
            <button type="button" class="danger" disabled={busy} onClick={() => decide('Rejected')}>
              Reject
            </button>
            <button type="button" class="primary" disabled={busy} onClick={() => decide('Approved')}>
              Approve
            </button>
          </div>
        </div>
      )}
      {result && (
        <p role="status" class={result.ok ? 'check-ok' : 'check-bad'}>
          {result.text}
        </p>
      )}
    </section>
  );
}
