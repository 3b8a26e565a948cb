/** Executions of every state machine in the home: status, start, duration; filters by status, machine and name. */
import { useState } from 'preact/hooks';
import { formatDuration } from '../../model/state-runs.js';
import { formatTime, sfn, toMs, type ExecutionItem, type StateMachineItem } from '../aws.js';
import { href, useLoad } from '../hooks.js';

const STATUSES = ['', 'RUNNING', 'SUCCEEDED', 'FAILED', 'TIMED_OUT', 'ABORTED', 'PENDING_REDRIVE'];
const PAGE = 1000;

export function ExecutionsPage({ machine: initialMachine }: { machine?: string }) {
  const [status, setStatus] = useState('');
  const [machine, setMachine] = useState(initialMachine ?? '');
  const [text, setText] = useState('');
  const machines = useLoad(async () => (await sfn<{ stateMachines: StateMachineItem[] }>('ListStateMachines', { maxResults: 1000 })).stateMachines, []);
  const list = useLoad(
    async () => {
      const sms = machines.data ?? [];
      const chosen = machine ? sms.filter((m) => m.stateMachineArn === machine) : sms;
      const pages = await Promise.all(
        chosen.map((m) =>
          sfn<{ executions: ExecutionItem[]; nextToken?: string }>('ListExecutions', { stateMachineArn: m.stateMachineArn, maxResults: PAGE, ...(status ? { statusFilter: status } : {}) }),
        ),
      );
      const all = pages.flatMap((p) => p.executions).sort((a, b) => b.startDate - a.startDate);
      return { items: all, more: pages.some((p) => p.nextToken !== undefined) };
    },
    [machines.data, status, machine],
    3000,
  );
  const needle = text.trim().toLowerCase();
  const rows = (list.data?.items ?? []).filter((e) => needle === '' || e.name.toLowerCase().includes(needle));
  const now = Date.now();
  return (
    <>
      <h1>Executions</h1>
      <p class="muted">Every execution in this home, newest first; live while they run.</p>
      <div class="panel flush">
        <div class="panel-head toolbar">
          <label class="field">
            Search by name
            <input value={text} onInput={(e) => setText((e.target as HTMLInputElement).value)} placeholder="execution name" />
          </label>
          <label class="field">
            Status
            <select value={status} onChange={(e) => setStatus((e.target as HTMLSelectElement).value)}>
              {STATUSES.map((s) => (
                <option value={s}>{s === '' ? 'Any status' : s}</option>
              ))}
            </select>
          </label>
          <label class="field">
            State machine
            <select value={machine} onChange={(e) => setMachine((e.target as HTMLSelectElement).value)}>
              <option value="">All state machines</option>
              {(machines.data ?? []).map((m) => (
                <option value={m.stateMachineArn}>{m.name}</option>
              ))}
            </select>
          </label>
          <span class="grow" />
          <span class="muted" data-testid="execution-count">
            {list.data ? `${rows.length} execution${rows.length === 1 ? '' : 's'}${list.data.more ? ` (the newest ${PAGE} of each machine)` : ''}` : 'Loading…'}
          </span>
        </div>
        {list.error && <div class="error-box">{list.error}</div>}
        <table>
          <thead>
            <tr>
              <th>Name</th>
              <th>Status</th>
              <th>State machine</th>
              <th>Started</th>
              <th>Ended</th>
              <th class="num">Duration</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((e) => {
              const start = toMs(e.startDate)!;
              const stop = toMs(e.stopDate);
              return (
                <tr key={e.executionArn}>
                  <td>
                    <a href={href('executions', e.executionArn)}>{e.name}</a>
                  </td>
                  <td>
                    <span class={`status ${e.status}`}>{e.status}</span>
                  </td>
                  <td>
                    <a href={href('state-machines', e.stateMachineArn)}>{e.stateMachineArn.split(':').pop()}</a>
                  </td>
                  <td class="mono">{formatTime(start)}</td>
                  <td class="mono">{formatTime(stop)}</td>
                  <td class="num">{formatDuration((stop ?? now) - start)}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
        {list.data && rows.length === 0 && <p class="empty">No executions match.</p>}
      </div>
    </>
  );
}
