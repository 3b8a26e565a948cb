/**
 * Why a local endpoint answered with an error. AWS's ModelError carries the container's answer (for
 * the scikit-learn container, Flask's HTML "500 Internal Server Error" page) and a CloudWatch link;
 * locally the cause is in the model server's log in the home, so `invoke` reads what the log gained
 * during the call and shows the Python exception and the log's path instead.
 */
import { existsSync, openSync, readSync, closeSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { Store, STATE_DB_FILE } from '../store/index.js';
import { endpointLogFiles } from './log-subjects.js';
import { lastPythonException } from './python-traceback.js';

/** Where each of an endpoint's logs ends now, so what a call adds can be read afterwards. */
export type LogMarks = Map<string, number>;

export function markEndpointLogs(home: string, endpoint: string): LogMarks {
  const marks: LogMarks = new Map();
  if (!existsSync(join(home, STATE_DB_FILE))) return marks;
  const store = Store.open(home);
  try {
    for (const { file } of endpointLogFiles(store, home, endpoint)) marks.set(file, sizeOf(file));
  } catch {
    // an endpoint name the store refuses: the call itself reports it
  } finally {
    store.close();
  }
  return marks;
}

export interface ModelErrorCause {
  /** The Python exception line, when the log has one. */
  exception?: string;
  /** The log that holds the model server's side of the call. */
  logFile?: string;
}

/** Cap on what is read from a log after a call: the traceback is at its end. */
const MAX_READ = 256 * 1024;

/**
 * Reads what each log gained since `marks` and finds the exception. The server's answer can arrive
 * a moment before its log lines are written, so this looks again for up to `waitMs`.
 */
export async function modelErrorCause(marks: LogMarks, waitMs = 1000): Promise<ModelErrorCause> {
  const deadline = Date.now() + waitMs;
  let grown: string | undefined;
  for (;;) {
    for (const [file, from] of marks) {
      const text = readFrom(file, from);
      if (text === '') continue;
      grown = file;
      const exception = lastPythonException(text);
      if (exception) return { exception, logFile: file };
    }
    if (Date.now() >= deadline) break;
    await new Promise((r) => setTimeout(r, 50));
  }
  const logFile = grown ?? (marks.size === 1 ? [...marks.keys()][0] : undefined);
  return logFile ? { logFile } : {};
}

/** The container's answer as one short line: an HTML error page reduced to its text. */
export function answerText(body: string, max = 200): string {
  const text = /<[a-z!][^>]*>/i.test(body) ? body.replace(/<(title|head|style|script)[^>]*>[\s\S]*?<\/\1>/gi, ' ').replace(/<[^>]*>/g, ' ') : body;
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? flat.slice(0, max - 3) + '...' : flat;
}

function sizeOf(file: string): number {
  try {
    return statSync(file).size;
  } catch {
    return 0;
  }
}

function readFrom(file: string, from: number): string {
  const size = sizeOf(file);
  if (size <= from) return '';
  const start = Math.max(from, size - MAX_READ);
  const buf = Buffer.alloc(size - start);
  const fd = openSync(file, 'r');
  try {
    const n = readSync(fd, buf, 0, buf.length, start);
    return buf.subarray(0, n).toString('utf8');
  } finally {
    closeSync(fd);
  }
}
