/**
 * The selected state: status, duration, retries, input and output, error and cause; for a
 * SageMaker job its record (DescribeTrainingJob & co.), its log (tailing while it runs) and its
 * S3 outputs.
 */
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { MetricsChart, metricsFromLog } from './metrics-chart.js';
import { formatDuration, sagemakerJob, type StateEntry, type StateRun } from '../../model/state-runs.js';
import { consoleGet, formatTime, sagemaker, toMs } from '../aws.js';
import { href, useLoad } from '../hooks.js';

const STATUS_TEXT: Record<string, string> = { InProgress: 'In progress', Succeeded: 'Succeeded', Failed: 'Failed', CaughtError: 'Caught error', Cancelled: 'Cancelled' };

export function StatePanel({ run, name, live }: { run: StateRun | undefined; name: string | undefined; live: boolean }) {
  const [tab, setTab] = useState<'details' | 'input' | 'output' | 'job'>('details');
  if (!name) return <div class="panel muted">Select a state in the graph to see its input, output and errors.</div>;
  if (!run) {
    return (
      <div class="panel" data-testid="state-panel">
        <h2>{name}</h2>
        <p class="muted">Not run in this execution.</p>
      </div>
    );
  }
  const entry = run.entries[run.entries.length - 1]!;
  const job = sagemakerJob(entry);
  const tabs = ['details', 'input', 'output', ...(job ? ['job'] : [])] as const;
  return (
    <div class="panel" data-testid="state-panel">
      <h2>
        {name} <span class={`status ${run.status}`}>{STATUS_TEXT[run.status]}</span>
      </h2>
      <div class="tabs" role="tablist" style="margin-top:0">
        {tabs.map((t) => (
          <button type="button" role="tab" aria-selected={tab === t} class={tab === t ? 'active' : ''} onClick={() => setTab(t as typeof tab)}>
            {t === 'details' ? 'Details' : t === 'input' ? 'Input' : t === 'output' ? 'Output' : 'SageMaker job'}
          </button>
        ))}
      </div>
      {tab === 'details' && <Details run={run} entry={entry} />}
      {tab === 'input' && <pre class="code">{pretty(entry.input)}</pre>}
      {tab === 'output' && <pre class="code">{entry.output === undefined ? '(no output yet)' : pretty(entry.output)}</pre>}
      {tab === 'job' && job && <JobView kind={job.kind} name={job.name} live={live && run.status === 'InProgress'} />}
      {job && tab !== 'job' && (
        <p class="muted">
          {job.kind.replace('Job', ' job')} <span class="mono">{job.name}</span> — see the SageMaker job tab for its record and log.
        </p>
      )}
    </div>
  );
}

function Details({ run, entry }: { run: StateRun; entry: StateEntry }) {
  return (
    <>
      <div class="kv" style="margin-top:.75rem">
        <span>Entered</span>
        <span>{formatTime(entry.enteredAt)}</span>
        <span>Exited</span>
        <span>{formatTime(entry.exitedAt)}</span>
        <span>Duration</span>
        <span>{formatDuration((entry.exitedAt ?? Date.now()) - entry.enteredAt)}</span>
        <span>Retries</span>
        <span>{entry.retries}</span>
        <span>Times entered</span>
        <span>{run.entries.length}</span>
        {entry.resource && (
          <>
            <span>Resource</span>
            <span class="mono">{`${entry.resourceType ?? ''}:${entry.resource}`}</span>
          </>
        )}
      </div>
      {(entry.error !== undefined || entry.cause !== undefined) && (
        <div class="error-box" data-testid="state-error">
          <b>{entry.error}</b>
          {entry.cause ? `\n${entry.cause}` : ''}
        </div>
      )}
    </>
  );
}

function pretty(s: string | undefined): string {
  if (s === undefined) return '';
  try {
    return JSON.stringify(JSON.parse(s), null, 2);
  } catch {
    return s;
  }
}

type JobRecord = Record<string, unknown> & {
  SecondaryStatusTransitions?: { Status: string; StartTime: number; EndTime?: number; StatusMessage?: string }[];
  FinalMetricDataList?: { MetricName: string; Value: number }[];
  FailureReason?: string;
};

function s3Outputs(kind: string, rec: JobRecord): string[] {
  const out: string[] = [];
  const o = rec as Record<string, any>;
  if (kind === 'TrainingJob' && o.ModelArtifacts?.S3ModelArtifacts) out.push(o.ModelArtifacts.S3ModelArtifacts);
  if (kind === 'TrainingJob' && o.OutputDataConfig?.S3OutputPath) out.push(o.OutputDataConfig.S3OutputPath);
  if (kind === 'ProcessingJob') for (const x of o.ProcessingOutputConfig?.Outputs ?? []) if (x.S3Output?.S3Uri) out.push(x.S3Output.S3Uri);
  if (kind === 'TransformJob' && o.TransformOutput?.S3OutputPath) out.push(o.TransformOutput.S3OutputPath);
  return [...new Set(out)];
}

export function s3Link(uri: string): string {
  const m = /^s3:\/\/([^/]+)\/?(.*)$/.exec(uri);
  if (!m) return '#';
  const key = m[2] ?? '';
  // A prefix opens as a folder; a key opens its parent folder.
  const prefix = key === '' || key.endsWith('/') ? key : key.slice(0, key.lastIndexOf('/') + 1);
  return `#/s3/${encodeURIComponent(m[1]!)}/${encodeURIComponent(prefix)}`;
}

function JobView({ kind, name, live }: { kind: string; name: string; live: boolean }) {
  const rec = useLoad(() => sagemaker<JobRecord>(`Describe${kind}`, { [`${kind}Name`]: name }), [kind, name], live ? 2000 : undefined);
  const d = rec.data;
  const [log, setLog] = useState('');
  const definitions = ((d?.['AlgorithmSpecification'] as { MetricDefinitions?: { Name: string; Regex: string }[] } | undefined)?.MetricDefinitions ?? []);
  const metricSeries = useMemo(() => (definitions.length ? metricsFromLog(definitions, log) : []), [JSON.stringify(definitions), log]);
  return (
    <div style="margin-top:.75rem">
      {rec.error && <div class="error-box">{rec.error}</div>}
      {d && (
        <>
          <div class="kv">
            <span>Job</span>
            <span class="mono">{name}</span>
            <span>Status</span>
            <span class={`status ${String(d[`${kind}Status`])}`}>{String(d[`${kind}Status`] ?? '')}</span>
            <span>Started</span>
            <span>{formatTime(toMs(d['TrainingStartTime'] as number ?? d['ProcessingStartTime'] as number ?? d['TransformStartTime'] as number))}</span>
            <span>Ended</span>
            <span>{formatTime(toMs(d['TrainingEndTime'] as number ?? d['ProcessingEndTime'] as number ?? d['TransformEndTime'] as number))}</span>
          </div>
          {d.FailureReason && <div class="error-box">{d.FailureReason}</div>}
          {d.SecondaryStatusTransitions && d.SecondaryStatusTransitions.length > 0 && (
            <>
              <h3>Status transitions</h3>
              <table>
                <tbody>
                  {d.SecondaryStatusTransitions.map((t) => (
                    <tr>
                      <td>{t.Status}</td>
                      <td class="mono">{formatTime(toMs(t.StartTime))}</td>
                      <td class="muted">{t.StatusMessage ?? ''}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </>
          )}
          {d.FinalMetricDataList && d.FinalMetricDataList.length > 0 && (
            <>
              <h3>Metrics</h3>
              {d.FinalMetricDataList.map((m) => (
                <span class="metric">
                  <b>{m.Value}</b>
                  <span>{m.MetricName}</span>
                </span>
              ))}
            </>
          )}
          {s3Outputs(kind, d).length > 0 && (
            <>
              <h3>S3 outputs</h3>
              <ul>
                {s3Outputs(kind, d).map((u) => (
                  <li>
                    <a class="mono" href={s3Link(u)}>{u}</a>
                  </li>
                ))}
              </ul>
            </>
          )}
        </>
      )}
      {metricSeries.length > 0 && (
        <>
          <h3>Training metrics</h3>
          <MetricsChart series={metricSeries} xLabel="report" />
        </>
      )}
      <h3>Log</h3>
      <LogTail job={name} live={live} onText={setLog} />
    </div>
  );
}

/** A job's log, read from the last offset on every poll while the job runs. */
export function LogTail({ job, live, onText }: { job: string; live: boolean; onText?: (text: string) => void }) {
  const [text, setText] = useState('');
  const [missing, setMissing] = useState(false);
  const pre = useRef<HTMLPreElement>(null);
  useEffect(() => {
    let alive = true;
    let offset = 0;
    let timer: ReturnType<typeof setTimeout> | undefined;
    setText('');
    const read = async () => {
      try {
        for (;;) {
          const chunk = await consoleGet<{ exists: boolean; text: string; offset: number; size: number }>(`logs/${encodeURIComponent(job)}?offset=${offset}`);
          if (!alive) return;
          setMissing(!chunk.exists);
          if (chunk.text) setText((t) => (t + chunk.text).slice(-500_000));
          const moved = chunk.offset > offset;
          offset = chunk.offset;
          if (!moved || offset >= chunk.size) break;
        }
      } catch {
        // a failed poll is retried on the next one
      }
      if (alive && live) timer = setTimeout(() => void read(), 1000);
    };
    void read();
    return () => {
      alive = false;
      if (timer) clearTimeout(timer);
    };
  }, [job, live]);
  useEffect(() => {
    if (pre.current) pre.current.scrollTop = pre.current.scrollHeight;
    onText?.(text);
  }, [text]);
  if (missing && text === '') return <p class="muted">No log yet for {job}.</p>;
  return (
    <pre class="code log" ref={pre} data-testid="job-log">
      {text}
    </pre>
  );
}

export { href };
