/**
 * A pipeline execution as ML engineers name its parts: preprocessing, training, evaluation,
 * approval, registry, endpoint, batch transform, each with its status and duration, then the
 * run's metrics and approval decision (from the execution's output summary).
 */
import { formatTime } from '../aws.js';
import { formatDuration, type ExecutionView, type RunStatus } from '../../model/state-runs.js';

const STAGES: { label: string; states: string[]; color: string }[] = [
  { label: 'Preprocessing', states: ['Preprocessing', 'RetryPreprocessing'], color: '#0972d3' },
  { label: 'Training', states: ['Training', 'RetryTraining'], color: '#7d3ac1' },
  { label: 'Evaluation', states: ['Evaluation', 'RetryEvaluation', 'ReadMetrics'], color: '#00848f' },
  { label: 'Approval', states: ['EvaluateApprovalRules', 'DecideApproval', 'RequestManualApproval', 'RecordDecision', 'UpdateModelPackage'], color: '#c45500' },
  { label: 'Registry', states: ['CreateModelPackageGroup', 'FindApprovedModel', 'DescribeApprovedModel', 'RegisterModel'], color: '#8d6605' },
  { label: 'Endpoint', states: ['CreateModel', 'CreateEndpointConfig', 'FindEndpoint', 'DeleteFailedEndpoint', 'WaitForEndpointToSettle', 'CreateEndpoint', 'UpdateEndpoint', 'WaitForEndpoint', 'DescribeEndpoint'], color: '#037f0c' },
  { label: 'Batch transform', states: ['BatchTransform', 'RetryBatchTransform'], color: '#414d5c' },
];

interface StageRow {
  label: string;
  color: string;
  status?: RunStatus;
  start?: number;
  end?: number;
}

export function stageRows(view: ExecutionView): StageRow[] {
  return STAGES.map((s) => {
    const row: StageRow = { label: s.label, color: s.color };
    const statuses: RunStatus[] = [];
    for (const name of s.states) {
      const run = view.states.get(name);
      if (!run) continue;
      statuses.push(run.status);
      for (const e of run.entries) {
        row.start = Math.min(row.start ?? Infinity, e.enteredAt);
        if (e.exitedAt !== undefined) row.end = Math.max(row.end ?? 0, e.exitedAt);
      }
    }
    if (statuses.length) {
      row.status = statuses.includes('InProgress') ? 'InProgress' : statuses.includes('Failed') ? 'Failed' : statuses.includes('CaughtError') ? 'CaughtError' : statuses.includes('Cancelled') ? 'Cancelled' : 'Succeeded';
    }
    return row;
  });
}

export function PipelineView({ view, output }: { view: ExecutionView; output?: string | undefined }) {
  const rows = stageRows(view);
  const ran = rows.filter((r) => r.start !== undefined);
  const total = ran.reduce((n, r) => n + Math.max(0, (r.end ?? Date.now()) - r.start!), 0) || 1;
  let summary: { metrics?: Record<string, number>; approval?: { decision?: string; decidedBy?: string; comment?: string | null; reason?: string; decidedAt?: string | null } | null; model?: { modelPackageArn?: string | null }; endpoint?: unknown; batchOutput?: string | null } = {};
  try {
    if (output) summary = JSON.parse(output) as typeof summary;
  } catch {
    // not a pipeline's summary
  }
  return (
    <div class="panel" data-testid="pipeline-view">
      <h2>Stages</h2>
      {ran.length === 0 ? (
        <p class="muted">This execution ran none of the pipeline's stages (yet).</p>
      ) : (
        <div class="stage-bar" aria-hidden="true">
          {ran.map((r) => (
            <div style={`width:${(100 * Math.max(0, (r.end ?? Date.now()) - r.start!)) / total}%;background:${r.color}`} title={r.label}>
              {r.label}
            </div>
          ))}
        </div>
      )}
      <table>
        <thead>
          <tr>
            <th>Stage</th>
            <th>Status</th>
            <th class="num">Duration</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr>
              <td>{r.label}</td>
              <td>{r.status ? <span class={`status ${r.status}`}>{r.status === 'CaughtError' ? 'Caught error' : r.status}</span> : <span class="muted">Not run</span>}</td>
              <td class="num">{r.start === undefined ? '–' : formatDuration((r.end ?? Date.now()) - r.start)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {summary.metrics && Object.keys(summary.metrics).length > 0 && (
        <>
          <h2 style="margin-top:1.25rem">Evaluation metrics</h2>
          {Object.entries(summary.metrics).map(([k, v]) => (
            <span class="metric">
              <b>{typeof v === 'number' ? v.toFixed(4) : String(v)}</b>
              <span>{k}</span>
            </span>
          ))}
        </>
      )}
      {summary.approval && (
        <>
          <h2 style="margin-top:1.25rem">Approval</h2>
          <p data-testid="approval-decision">
            <span class={`status ${summary.approval.decision ?? ''}`}>{summary.approval.decision ?? 'unknown'}</span>
            {summary.approval.decidedBy ? ` by ${summary.approval.decidedBy}` : ''}
            {summary.approval.decidedAt ? ` at ${formatTime(Date.parse(summary.approval.decidedAt))}` : ''}
            {summary.approval.comment ? ` — “${summary.approval.comment}”` : ''}
            {summary.approval.reason && !summary.approval.comment ? ` — ${summary.approval.reason}` : ''}
          </p>
        </>
      )}
      {summary.model?.modelPackageArn && (
        <p>
          Model version: <span class="mono">{summary.model.modelPackageArn}</span>
        </p>
      )}
    </div>
  );
}
