/**
 * One execution: its summary, the graph coloured by each state's status (live while it runs), the
 * selected state's input, output, error, retries and SageMaker job, the event history with the
 * console's filters, and the pipeline view. A pending manual approval can be decided here.
 */
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { eventMatches, eventTime, formatDuration, readExecution, type EventFilter, type RunStatus, type StateRun, type WireEvent, detailsOf } from '../../model/state-runs.js';
import { formatTime, sfn, toMs } from '../aws.js';
import { ApprovalCard, usePendingApproval } from '../components/approval-card.js';
import { GraphView } from '../components/graph-view.js';
import { StatePanel } from '../components/state-panel.js';
import { PipelineView } from '../components/pipeline-view.js';
import { href } from '../hooks.js';
import { fullHistory, newerEvents } from '../history.js';

interface Described {
  executionArn: string;
  stateMachineArn: string;
  name: string;
  status: string;
  startDate: number;
  stopDate?: number;
  input?: string;
  output?: string;
  error?: string;
  cause?: string;
}

const POLL_MS = 1000;

export function ExecutionPage({ arn }: { arn: string }) {
  const [exec, setExec] = useState<Described>();
  const [events, setEvents] = useState<WireEvent[]>();
  const [definition, setDefinition] = useState<string>();
  const [error, setError] = useState<string>();
  const [selected, setSelected] = useState<string>();
  const [tab, setTab] = useState<'graph' | 'events' | 'pipeline'>('graph');
  const eventsRef = useRef<WireEvent[]>([]);

  useEffect(() => {
    let alive = true;
    let timer: ReturnType<typeof setTimeout> | undefined;
    eventsRef.current = [];
    setEvents(undefined);
    setExec(undefined);
    const poll = async (first: boolean) => {
      try {
        const d = await sfn<Described>('DescribeExecution', { executionArn: arn });
        if (first) {
          const sm = await sfn<{ definition: string }>('DescribeStateMachine', { stateMachineArn: d.stateMachineArn });
          if (alive) setDefinition(sm.definition);
        }
        const known = eventsRef.current;
        const fresh = known.length === 0 ? await fullHistory(arn) : await newerEvents(arn, known[known.length - 1]!.id);
        if (!alive) return;
        if (fresh.length > 0 || known.length === 0) {
          eventsRef.current = known.concat(fresh);
          setEvents(eventsRef.current);
        }
        setExec(d);
        setError(undefined);
        if (d.status === 'RUNNING') timer = setTimeout(() => void poll(false), POLL_MS);
      } catch (e) {
        if (!alive) return;
        setError((e as Error).message);
        timer = setTimeout(() => void poll(eventsRef.current.length === 0), POLL_MS * 3);
      }
    };
    void poll(true);
    return () => {
      alive = false;
      if (timer) clearTimeout(timer);
    };
  }, [arn]);

  const view = useMemo(() => readExecution(events ?? []), [events]);
  const statuses = useMemo(() => {
    const m = new Map<string, RunStatus>();
    for (const [name, run] of view.states) m.set(name, run.status);
    return m;
  }, [view]);
  const pending = usePendingApproval(exec?.name, exec?.status === 'RUNNING');

  if (error && !exec) return <div class="error-box">{error}</div>;
  if (!exec) return <p class="loading">Loading the execution…</p>;
  const start = toMs(exec.startDate)!;
  const stop = toMs(exec.stopDate);
  const failedState = failingState(view);
  const sel = selected ?? failedState?.name;
  return (
    <>
      <div class="crumbs">
        <a href={href('executions')}>Executions</a> › <a href={href('state-machines', exec.stateMachineArn)}>{exec.stateMachineArn.split(':').pop()}</a> › {exec.name}
      </div>
      <div style="display:flex;align-items:center;gap:1rem">
        <h1>{exec.name}</h1>
        <span class={`status ${exec.status}`} data-testid="execution-status">
          {exec.status}
        </span>
        <span style="flex:1" />
        {exec.status === 'RUNNING' && <StopButton arn={arn} />}
      </div>
      <div class="panel summary">
        <div><span>Started</span>{formatTime(start)}</div>
        <div><span>Ended</span>{formatTime(stop)}</div>
        <div><span>Duration</span>{formatDuration((stop ?? Date.now()) - start)}</div>
        <div><span>State transitions</span>{events ? [...view.states.values()].reduce((n, s) => n + s.entries.length, 0) : '…'}</div>
        <div><span>Events</span>{events?.length ?? '…'}</div>
        <div><span>ARN</span><span class="mono" style="font-size:11px">{exec.executionArn}</span></div>
      </div>
      {(exec.error || exec.cause) && (
        <div class="error-box" data-testid="execution-error">
          <b>{exec.error}</b>
          {exec.cause ? `\n${exec.cause}` : ''}
          {failedState ? `\n\nFailing state: ${failedState.name}` : ''}
        </div>
      )}
      {pending && <ApprovalCard approval={pending} />}
      {error && <div class="error-box">{error}</div>}
      <div class="tabs" role="tablist">
        {(['graph', 'events', 'pipeline'] as const).map((t) => (
          <button type="button" role="tab" aria-selected={tab === t} class={tab === t ? 'active' : ''} onClick={() => setTab(t)}>
            {t === 'graph' ? 'Graph view' : t === 'events' ? 'Events' : 'Pipeline'}
          </button>
        ))}
      </div>
      <div style="margin-top:1rem">
        {tab === 'graph' && (
          <div class="split">
            {definition ? <GraphView definition={definition} statuses={statuses} selected={sel} onSelect={setSelected} /> : <p class="loading">Loading the definition…</p>}
            <div class="side-panel">
              <StatePanel run={sel ? view.states.get(sel) : undefined} name={sel} live={exec.status === 'RUNNING'} />
            </div>
          </div>
        )}
        {tab === 'events' && <EventsTable events={events ?? []} start={start} />}
        {tab === 'pipeline' && <PipelineView view={view} output={exec.output} />}
      </div>
    </>
  );
}

/**
 * Where a failed execution went wrong. An error caught and routed to the state that ends the run
 * (a Fail state, or a Task that raises it again so the run can be redriven) started at the Task
 * that caught it with the same error name: that one, when there is one. Otherwise the latest
 * state that failed with an error of its own, preferring a Task (its job and log explain it).
 */
function failingState(view: ReturnType<typeof readExecution>): StateRun | undefined {
  if (view.end?.type !== 'ExecutionFailed' && view.end?.type !== 'ExecutionTimedOut') return undefined;
  const last = (r: StateRun) => r.entries[r.entries.length - 1]!;
  const latestFirst = (runs: StateRun[]) => runs.sort((a, b) => last(b).enteredAt - last(a).enteredAt);
  const failing = [...view.states.values()].filter((r) => (r.status === 'Failed' || r.status === 'CaughtError') && last(r).error !== undefined);
  const tasks = failing.filter((r) => last(r).resource !== undefined);
  const origin = tasks.filter((r) => r.status === 'CaughtError' && view.end?.error !== undefined && last(r).error === view.end.error);
  return latestFirst(origin.length ? origin : tasks.length ? tasks : failing)[0];
}

function StopButton({ arn }: { arn: string }) {
  const [busy, setBusy] = useState(false);
  const [err, setErr] = useState<string>();
  return (
    <>
      {err && <span class="check-bad">{err}</span>}
      <button
        type="button"
        class="danger"
        disabled={busy}
        onClick={async () => {
          if (!confirm('Stop this execution? It ends as ABORTED.')) return;
          setBusy(true);
          try {
            await sfn('StopExecution', { executionArn: arn, error: 'Console.Stopped', cause: 'Stopped from the console' });
          } catch (e) {
            setErr((e as Error).message);
          }
          setBusy(false);
        }}
      >
        Stop execution
      </button>
    </>
  );
}

const FILTERS: [EventFilter, string][] = [
  ['all', 'All events'],
  ['state', 'State transitions'],
  ['task', 'Task events'],
  ['failures', 'Failures'],
  ['execution', 'Execution events'],
];
const ROWS = 200;

function EventsTable({ events, start }: { events: WireEvent[]; start: number }) {
  const [filter, setFilter] = useState<EventFilter>('all');
  const [text, setText] = useState('');
  const [page, setPage] = useState(0);
  const [open, setOpen] = useState<number>();
  const rows = useMemo(() => events.filter((e) => eventMatches(e, filter, text.trim())), [events, filter, text]);
  const pages = Math.max(1, Math.ceil(rows.length / ROWS));
  const shown = rows.slice(page * ROWS, page * ROWS + ROWS);
  return (
    <div class="panel flush">
      <div class="panel-head toolbar">
        <label class="field">
          Filter
          <select value={filter} onChange={(e) => (setFilter((e.target as HTMLSelectElement).value as EventFilter), setPage(0))}>
            {FILTERS.map(([v, l]) => (
              <option value={v}>{l}</option>
            ))}
          </select>
        </label>
        <label class="field">
          Search by type, state or id
          <input value={text} onInput={(e) => (setText((e.target as HTMLInputElement).value), setPage(0))} />
        </label>
        <span class="grow" />
        <span class="muted">{rows.length} of {events.length} events</span>
      </div>
      <table>
        <thead>
          <tr>
            <th class="num">ID</th>
            <th>Type</th>
            <th>Step</th>
            <th>Resource</th>
            <th class="num">Elapsed</th>
            <th>Timestamp</th>
          </tr>
        </thead>
        <tbody>
          {shown.map((e) => {
            const d = detailsOf(e);
            const at = eventTime(e.timestamp);
            return (
              <>
                <tr key={e.id} onClick={() => setOpen(open === e.id ? undefined : e.id)} style="cursor:pointer">
                  <td class="num">{e.id}</td>
                  <td class={/(Failed|TimedOut|Aborted)$/.test(e.type) ? 'check-bad' : ''}>{e.type}</td>
                  <td>{d?.name ?? ''}</td>
                  <td class="mono">{d?.resource ? `${d.resourceType ?? ''}:${d.resource}` : ''}</td>
                  <td class="num">{formatDuration(at - start)}</td>
                  <td class="mono">{formatTime(at)}</td>
                </tr>
                {open === e.id && (
                  <tr key={`${e.id}-d`}>
                    <td colSpan={6}>
                      <pre class="code">{JSON.stringify(e, null, 2)}</pre>
                    </td>
                  </tr>
                )}
              </>
            );
          })}
        </tbody>
      </table>
      <div class="pager">
        <button type="button" disabled={page === 0} onClick={() => setPage(page - 1)}>Previous</button>
        <span>Page {page + 1} of {pages}</span>
        <button type="button" disabled={page + 1 >= pages} onClick={() => setPage(page + 1)}>Next</button>
      </div>
    </div>
  );
}
