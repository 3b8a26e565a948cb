/**
 * Text for executions, shared by the local and the cloud `executions` command: a table of rows, a
 * description, history lines (or JSON lines), and the live progress `start --wait` shows.
 */
import type { HistoryEvent } from '../asl/history.js';
import type { ExecutionDescription, ExecutionRow } from './cloud-executions.js';

/** ISO 8601 to the second, in UTC: what a table needs. */
export function isoSeconds(ms: number | undefined): string {
  return ms === undefined ? '-' : new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** mm:ss.d, or h:mm:ss for runs of an hour and more. */
export function formatDuration(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  const tenth = Math.floor((Math.max(0, ms) % 1000) / 100);
  const mm = String(Math.floor(s / 60) % 60).padStart(2, '0');
  const ss = String(s % 60).padStart(2, '0');
  return s >= 3600 ? `${Math.floor(s / 3600)}:${mm}:${ss}` : `${mm}:${ss}.${tenth}`;
}

export function formatExecutionRows(rows: readonly ExecutionRow[]): string {
  if (rows.length === 0) return 'no executions';
  const table = [['NAME', 'STATUS', 'STARTED', 'STOPPED', 'ERROR'], ...rows.map((r) => [r.name, r.status, isoSeconds(r.startDate), isoSeconds(r.stopDate), r.error ?? ''])];
  const widths = table[0]!.map((_, i) => Math.max(...table.map((row) => row[i]!.length)));
  return table.map((row) => row.map((c, i) => (i === row.length - 1 ? c : c.padEnd(widths[i]!))).join('  ').trimEnd()).join('\n');
}

function prettyJson(text: string | undefined): string | undefined {
  if (text === undefined) return undefined;
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return text;
  }
}

export function formatExecutionDescription(d: ExecutionDescription): string {
  const lines = [
    `name:          ${d.name}`,
    `execution:     ${d.arn}`,
    `state machine: ${d.stateMachineArn}`,
    `status:        ${d.status}`,
    `started:       ${isoSeconds(d.startDate)}`,
  ];
  if (d.stopDate !== undefined) lines.push(`stopped:       ${isoSeconds(d.stopDate)} (after ${formatDuration(d.stopDate - d.startDate)})`);
  if (d.redriveCount) lines.push(`redriven:      ${d.redriveCount} times`);
  if (d.error !== undefined) lines.push(`error:         ${d.error}`);
  if (d.cause !== undefined) lines.push(`cause:         ${d.cause}`);
  const input = prettyJson(d.input);
  const output = prettyJson(d.output);
  if (input !== undefined) lines.push('input:', indent(input));
  if (output !== undefined) lines.push('output:', indent(output));
  return lines.join('\n');
}

function indent(text: string): string {
  return text
    .split('\n')
    .map((l) => `  ${l}`)
    .join('\n');
}

/** What one event is about: the state's name, or the error of a failure. */
function eventSubject(e: HistoryEvent): string {
  for (const [k, v] of Object.entries(e)) {
    if (!k.endsWith('EventDetails') || v === null || typeof v !== 'object') continue;
    const d = v as Record<string, unknown>;
    if (typeof d['name'] === 'string') return d['name'];
    if (typeof d['error'] === 'string') return `${d['error']}${typeof d['cause'] === 'string' ? `: ${oneLine(d['cause'], 160)}` : ''}`;
    if (typeof d['resourceType'] === 'string') return `${d['resourceType']}:${String(d['resource'] ?? '')}`;
  }
  return '';
}

function oneLine(s: string, max: number): string {
  const flat = s.replace(/\s+/g, ' ');
  return flat.length > max ? flat.slice(0, max - 3) + '...' : flat;
}

/** One line per event: id, time since the first event, type, and what it is about. */
export function formatHistory(events: readonly HistoryEvent[]): string {
  if (events.length === 0) return 'no events';
  const t0 = Math.min(...events.map((e) => e.timestamp));
  const idWidth = String(Math.max(...events.map((e) => e.id))).length;
  return events
    .map((e) => `${String(e.id).padStart(idWidth)}  +${formatDuration(e.timestamp - t0)}  ${e.type}${eventSubject(e) ? `  ${eventSubject(e)}` : ''}`)
    .join('\n');
}

/** GetExecutionHistory's JSON, one event per line (as `exec --history` prints it). */
export function historyJsonLines(events: readonly HistoryEvent[]): string {
  return events.map((e) => JSON.stringify({ ...e, timestamp: new Date(e.timestamp).toISOString() })).join('\n');
}

/**
 * Live progress from history events as they arrive: a state that takes work shows when it starts
 * and how long it took; a polling loop (the same Task again and again) shows once.
 */
export function progressPrinter(log: (line: string) => void, startDate: number): (e: HistoryEvent) => void {
  const started = new Map<string, number>();
  let lastTask: string | undefined;
  return (e) => {
    const at = `[${formatDuration(e.timestamp - startDate)}]`;
    const entered = e['stateEnteredEventDetails'] as { name?: string } | undefined;
    const exited = e['stateExitedEventDetails'] as { name?: string } | undefined;
    if (entered?.name && /^(Task|Map|Parallel)StateEntered$/.test(e.type)) {
      if (entered.name === lastTask) return;
      lastTask = entered.name;
      started.set(entered.name, e.timestamp);
      log(`${at} ${entered.name} ...`);
    } else if (exited?.name && started.has(exited.name)) {
      const took = e.timestamp - started.get(exited.name)!;
      started.delete(exited.name);
      log(`${at} ${exited.name} done in ${formatDuration(took)}`);
    } else if (/^Execution(Failed|TimedOut|Aborted)$/.test(e.type)) {
      log(`${at} execution ${e.type === 'ExecutionTimedOut' ? 'timed out' : e.type.slice('Execution'.length).toLowerCase()}${eventSubject(e) ? `: ${eventSubject(e)}` : ''}`);
    } else if (e.type === 'ExecutionSucceeded') {
      log(`${at} execution succeeded`);
    }
  };
}
