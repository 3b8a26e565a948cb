/**
 * `<home>/serve.json`: while `mlops-sfn serve` runs, it tells the other commands of the same home
 * where the local API is ({pid, url}) and which pipeline it deployed. Only a live process's file
 * counts, and only a loopback URL, so a stale or edited file never sends a request elsewhere. Kept
 * light (no services loaded): every command that may use a running serve reads it at start-up.
 */
import { readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { isOwnerAlive } from '../core/process-owner.js';

export const SERVE_FILE = 'serve.json';

export interface ServeFile {
  pid: number;
  url: string;
  startedAt: string;
  /** The pipeline deployed by this serve: what `start` needs to trigger it through the API. */
  deployment?: { stateMachineArn: string; functionName: string; bucket: string; modelName: string };
}

const LOOPBACK_URL = /^http:\/\/(127\.0\.0\.1|localhost|\[::1\])(:\d+)?\/?$/;

/** The home's running serve, or undefined (no file, a malformed one, or its process has ended). */
export function runningServe(home: string): ServeFile | undefined {
  let f: Partial<ServeFile>;
  try {
    f = JSON.parse(readFileSync(join(home, SERVE_FILE), 'utf8')) as Partial<ServeFile>;
  } catch {
    return undefined;
  }
  if (f === null || typeof f !== 'object') return undefined;
  if (typeof f.pid !== 'number' || !Number.isInteger(f.pid) || f.pid <= 0 || typeof f.url !== 'string' || !LOOPBACK_URL.test(f.url)) return undefined;
  return isOwnerAlive({ pid: f.pid }) ? (f as ServeFile) : undefined;
}

/** Written whole or not at all (rename), so a reader never sees half a file. */
export function writeServeFile(home: string, f: ServeFile): void {
  const path = join(home, SERVE_FILE);
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, JSON.stringify(f) + '\n');
  renameSync(tmp, path);
}

/** Removes the file if this process wrote it (a newer serve's file stays). */
export function removeServeFile(home: string): void {
  try {
    const f = JSON.parse(readFileSync(join(home, SERVE_FILE), 'utf8')) as Partial<ServeFile>;
    if (f.pid === process.pid) rmSync(join(home, SERVE_FILE), { force: true });
  } catch {
    /* already gone */
  }
}
