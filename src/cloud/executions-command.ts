/**
 * The cloud side of `mlops-sfn executions [list|describe|history] --cloud`: the `executions`
 * command (src/cli/commands/executions.ts) calls this when `--cloud` or `--endpoint-url` is given;
 * it returns the text to print, formatted as the local side formats its rows.
 */
import type { CloudOptions } from './cloud-options.js';
import { cloudExecutionHistory, describeCloudExecution, listCloudExecutions } from './cloud-executions.js';
import { openCloudSession } from './cloud-session.js';
import { formatExecutionDescription, formatExecutionRows, formatHistory, historyJsonLines } from './format-executions.js';
import { UserError } from '../core/errors.js';

export type ExecutionsSubcommand = 'list' | 'describe' | 'history';

export interface CloudExecutionsOptions extends CloudOptions {
  /** Print JSON (rows, description, or one event per line) instead of text. */
  json?: boolean;
  /** list: only executions with this status. */
  status?: string;
  /** list: at most this many (default 20). */
  limit?: number;
  /** history: newest first. */
  reverse?: boolean;
}

export async function cloudExecutionsCommand(
  sub: ExecutionsSubcommand,
  target: string | undefined,
  opts: CloudExecutionsOptions,
  env: Readonly<Record<string, string | undefined>> = process.env,
): Promise<string> {
  if (sub !== 'list' && (target === undefined || target === '')) {
    throw new UserError(`executions ${sub} needs an execution name or ARN`, 'INVALID_OPTION');
  }
  const session = await openCloudSession(opts, env);
  try {
    if (sub === 'list') {
      const rows = await listCloudExecutions(session, {
        ...(opts.status !== undefined ? { status: opts.status } : {}),
        ...(opts.limit !== undefined ? { limit: opts.limit } : {}),
      });
      return opts.json ? JSON.stringify(rows.map((r) => ({ ...r, startDate: iso(r.startDate), stopDate: iso(r.stopDate) })), null, 2) : formatExecutionRows(rows);
    }
    if (sub === 'describe') {
      const d = await describeCloudExecution(session, target!);
      return opts.json ? JSON.stringify({ ...d, startDate: iso(d.startDate), stopDate: iso(d.stopDate) }, null, 2) : formatExecutionDescription(d);
    }
    const events = await cloudExecutionHistory(session, target!, { reverse: opts.reverse === true });
    return opts.json ? historyJsonLines(events) : formatHistory(events);
  } finally {
    session.close();
  }
}

function iso(ms: number | undefined): string | undefined {
  return ms === undefined ? undefined : new Date(ms).toISOString();
}
