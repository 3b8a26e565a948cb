/**
 * Temporary files this process is writing outside the home (a download's `.part` beside its
 * destination): removed on the way out, including Ctrl-C and SIGTERM, so a user's folder never
 * keeps one after a failure. (Temporary files inside the home are swept by their owner's death
 * when the home is next opened: see the S3 store.)
 */
import { rmSync } from 'node:fs';

const live = new Set<string>();
const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
let installed = false;

function removeAll(): void {
  for (const p of live) rmSync(p, { force: true });
  live.clear();
}

function onSignal(signal: NodeJS.Signals): void {
  removeAll();
  // Someone else (serve, logs -f) handles this signal: let them end the process their way.
  if (process.listenerCount(signal) > 1) return;
  uninstall();
  process.kill(process.pid, signal);
}

function install(): void {
  if (installed) return;
  installed = true;
  process.on('exit', removeAll);
  for (const s of SIGNALS) process.on(s, onSignal);
}

function uninstall(): void {
  if (!installed) return;
  installed = false;
  process.off('exit', removeAll);
  for (const s of SIGNALS) process.off(s, onSignal);
}

/** Tracks `path` until the returned function is called (after a rename or an unlink). */
export function trackTempFile(path: string): () => void {
  live.add(path);
  install();
  return () => {
    live.delete(path);
    if (live.size === 0) uninstall();
  };
}
