/**
 * Text for executions, shared by the local and the cloud `executions` command: a table of rows, a
 * description, history lines (or JSON lines). The live progress is src/engine/progress.ts.
 */
import type { HistoryEvent } from '../asl/history.js';
import { eventSubject, formatDuration } from '../engine/progress.js';
import type { ExecutionDescription, ExecutionRow } from './cloud-executions.js';
import { readableCause } from '../lambda/index.js';

/** ISO 8601 to the second, in UTC: what a table needs. */
export function isoSeconds(ms: number | undefined): string {
  return ms === undefined ? '-' : new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export function formatExecutionRows(rows: readonly ExecutionRow[]): string {
  if (rows.length === 0) return 'no executions';
  const table = [['NAME', 'STATUS', 'STARTED', 'STOPPED', 'ERROR'], ...rows.map((r) => [r.name, r.status, isoSeconds(r.startDate), isoSeconds(r.stopDate), errorText(r)])];
  const widths = table[0]!.map((_, i) => Math.max(...table.map((row) => row[i]!.length)));
  return table.map((row) => row.map((c, i) => (i === row.length - 1 ? c : c.padEnd(widths[i]!))).join('  ').trimEnd()).join('\n');
}

/** The error column: the error name and the start of its cause, on one line (describe shows it whole). */
function errorText(r: ExecutionRow): string {
  if (r.error === undefined) return '';
  if (r.cause === undefined || r.cause === '') return r.error;
  const flat = readableCause(r.cause).replace(/\s+/g, ' ').trim();
  return `${r.error}: ${flat.length > 100 ? `${flat.slice(0, 97)}...` : flat}`;
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
  if (d.cause !== undefined) lines.push(`cause:         ${readableCause(d.cause)}`);
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
