/**
 * The console's JSON endpoints, for what AWS has no API for (everything else the console reads
 * through the AWS protocols like any SDK):
 *   GET  /console/api/approvals[?all=1]                 pending (or all) manual approvals
 *   POST /console/api/approvals/<execution>/decision    {"decision": "Approved"|"Rejected", "comment", "approver"}
 *   GET  /console/api/logs/<job>?offset=N               a job's log from byte N (at most 256 KiB a call)
 * (The console browses the local S3 through S3's own REST API on the same port.)
 * Errors are `{"__type", "message"}` with a 4xx status, as the JSON protocols answer.
 * A decision goes the way `mlops-sfn approve` sends it (the approvals table, delivered to the waiting
 * task with SendTaskSuccess by the process running the execution).
 */
import { open } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { userInfo } from 'node:os';
import { join } from 'node:path';
import { AwsError, LocalError } from '../core/errors.js';
import type { ErrorName } from '../core/error-catalogue.js';
import { decideApproval } from '../engine/approval-decision.js';
import type { Store } from '../store/index.js';
import { readBody, send, sendJsonError } from './http-io.js';

export const CONSOLE_API_PREFIX = '/console/api/';
const JSON_TYPE = 'application/json';
const LOG_CHUNK = 256 * 1024;
/** Job names, or an endpoint's `<endpoint>-<variant>`: a log file is named after one, nothing else is read. */
const JOB_NAME = /^[a-zA-Z0-9][a-zA-Z0-9-]{0,126}$/;

export interface ConsoleApiServices {
  home: string;
  store: Store;
}

function json(res: ServerResponse, status: number, value: unknown): void {
  send(res, status, { 'Content-Type': JSON_TYPE, 'Cache-Control': 'no-store', 'X-Content-Type-Options': 'nosniff' }, JSON.stringify(value));
}

function bad(res: ServerResponse, message: string, status = 400, type: ErrorName = 'ValidationException'): void {
  sendJsonError(res, status, JSON_TYPE, type, message);
}

export async function handleConsoleApi(svc: ConsoleApiServices, req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
  const path = url.pathname.slice(CONSOLE_API_PREFIX.length);
  const q = url.searchParams;
  try {
    if (req.method === 'GET' && path === 'approvals') {
      req.resume();
      const rows = q.get('all') === '1' ? svc.store.approvals.all() : svc.store.approvals.pending();
      // The task token stays on the server: deciding goes through the execution's name.
      return json(res, 200, { approvals: rows.map(({ taskToken: _token, ...row }) => row) });
    }
    const decision = /^approvals\/([^/]+)\/decision$/.exec(path);
    if (req.method === 'POST' && decision) {
      const body = parseObject(await readBody(req, 64 * 1024));
      if (!body) return bad(res, 'The request body must be a JSON object.');
      const status = body['decision'];
      if (status !== 'Approved' && status !== 'Rejected') return bad(res, 'decision must be "Approved" or "Rejected".');
      const comment = optionalText(body['comment'], 'comment', 1024);
      const approver = optionalText(body['approver'], 'approver', 256);
      const execution = decodeURIComponent(decision[1]!);
      const message = decideApproval(svc.store, svc.home, execution, status, approver || defaultApprover(), comment || undefined);
      return json(res, 200, { message, approval: withoutToken(svc.store.approvals.get(execution)) });
    }
    const log = /^logs\/([^/]+)$/.exec(path);
    if (req.method === 'GET' && log) {
      req.resume();
      return await sendLog(svc.home, decodeURIComponent(log[1]!), Number(q.get('offset') ?? 0), res);
    }
    req.resume();
    bad(res, `The console API has no ${req.method} ${url.pathname}.`, 404, 'UnknownOperationException');
  } catch (e) {
    if (e instanceof LocalError) return bad(res, e.message, 409, 'ConflictException');
    if (e instanceof ConsoleRequestError) return bad(res, e.message, 400, 'ValidationException');
    throw e;
  }
}

function withoutToken<T extends { taskToken?: string }>(row: T | undefined): Omit<T, 'taskToken'> | null {
  if (!row) return null;
  const { taskToken: _token, ...rest } = row;
  return rest;
}

function defaultApprover(): string {
  return process.env['USER'] || userInfo().username || 'unknown';
}

function parseObject(body: Buffer): Record<string, unknown> | undefined {
  try {
    const v: unknown = JSON.parse(body.toString('utf8'));
    return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** A console request with a field of the wrong type or length. */
class ConsoleRequestError extends AwsError {
  constructor(message: string) {
    super('ValidationException', message, 400);
  }
}

function optionalText(v: unknown, field: string, max: number): string | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string') throw new ConsoleRequestError(`${field} must be a string`);
  if (v.length > max) throw new ConsoleRequestError(`${field} must be at most ${max} characters`);
  return v.trim();
}

/** A chunk of a job's log from a byte offset, cut at the last whole UTF-8 character. */
async function sendLog(home: string, job: string, offset: number, res: ServerResponse): Promise<void> {
  if (!JOB_NAME.test(job)) return bad(res, `"${job}" is not a job name: names are letters, digits and hyphens.`);
  if (!Number.isSafeInteger(offset) || offset < 0) return bad(res, 'offset must be a whole number of bytes.');
  let fh;
  try {
    fh = await open(join(home, 'logs', `${job}.log`), 'r');
  } catch {
    return json(res, 200, { exists: false, text: '', offset, size: 0 });
  }
  try {
    const size = (await fh.stat()).size;
    const from = Math.min(offset, size);
    const buf = Buffer.alloc(Math.min(LOG_CHUNK, size - from));
    const { bytesRead } = await fh.read(buf, 0, buf.length, from);
    // Bytes of a character cut at the chunk's end are read again next time.
    const whole = bytesRead - incompleteTail(buf.subarray(0, bytesRead));
    return json(res, 200, { exists: true, text: buf.subarray(0, whole).toString('utf8'), offset: from + whole, size });
  } finally {
    await fh.close();
  }
}

/** How many bytes at the end of `buf` start a UTF-8 character that is not complete. */
function incompleteTail(buf: Buffer): number {
  for (let i = 1; i <= Math.min(3, buf.length); i++) {
    const b = buf[buf.length - i]!;
    if ((b & 0xc0) === 0x80) continue;
    const need = b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : b >= 0xc0 ? 2 : 1;
    return need > i ? i : 0;
  }
  return 0;
}

