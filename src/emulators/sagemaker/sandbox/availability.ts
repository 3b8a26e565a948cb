/**
 * Whether this machine can build the sandbox, found out once per process by starting `true` in it
 * (a few milliseconds, run alongside the first job's staging), and how: with a user namespace and
 * --disable-userns where bwrap and the kernel allow them, else without (only root gets that far;
 * capabilities are dropped either way). Where bubblewrap is missing, or cannot create namespaces
 * (macOS, containers without user namespaces), the answer is a SandboxUnavailable whose message
 * is one line saying what to install or allow. Nothing falls back to running unsandboxed: only
 * MLOPS_SFN_SANDBOX=off does that, and every job or server then warns that it runs unsandboxed.
 */
import { spawn } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';
import { sandboxArgs, type SandboxSupport } from './bwrap-args.js';

export const SANDBOX_ENV = 'MLOPS_SFN_SANDBOX';

/** `bwrap`: sandboxed (the default); `none`: unsandboxed, with a warning each time. */
export type SandboxMode = 'bwrap' | 'none';

/** MLOPS_SFN_SANDBOX=off (or none, 0, false, no) turns the sandbox off; anything else keeps it. */
export function sandboxModeFrom(value: string | undefined): SandboxMode {
  const v = (value ?? '').trim().toLowerCase();
  return ['off', 'none', '0', 'false', 'no'].includes(v) ? 'none' : 'bwrap';
}

/** The mode for this run: the caller's choice, else the environment. */
export function sandboxMode(explicit?: SandboxMode): SandboxMode {
  return explicit ?? sandboxModeFrom(process.env[SANDBOX_ENV]);
}

/** The warning every unsandboxed job and model server logs. */
export function unsandboxedWarning(what: string): string {
  return `mlops-sfn: WARNING: ${what} runs WITHOUT a sandbox (${SANDBOX_ENV}=off): it can read and write everything this user can, and reach the network. Unset ${SANDBOX_ENV} to sandbox it.`;
}

export class SandboxUnavailable extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SandboxUnavailable';
  }
}

const OFF_HINT = `or set ${SANDBOX_ENV}=off to run jobs and model servers unsandboxed (not isolated from this machine; each one warns)`;

let onPath: string | undefined;

/** The bwrap binary as a full path (spawn would resolve a bare name with the job's PATH), or undefined. */
export function findBwrap(): string | undefined {
  if (onPath !== undefined) return onPath;
  for (const dir of [...(process.env['PATH'] ?? '').split(delimiter), '/usr/bin', '/bin', '/usr/local/bin']) {
    if (dir === '') continue;
    try {
      accessSync(join(dir, 'bwrap'), constants.X_OK);
      onPath = join(dir, 'bwrap');
      return onPath;
    } catch {
      // keep looking
    }
  }
  return undefined;
}

export function bwrapMissingMessage(path?: string): string {
  if (process.platform !== 'linux') {
    return `Jobs and model servers run in a bubblewrap sandbox, which needs Linux namespaces; ${process.platform} has none. Run mlops-sfn in a Linux VM or container, ${OFF_HINT}.`;
  }
  return `bubblewrap ${path ? `(${path}) ` : ''}is not installed; jobs and model servers run inside it. Install it: apt-get install bubblewrap (Debian, Ubuntu), dnf install bubblewrap (Fedora), apk add bubblewrap (Alpine); ${OFF_HINT}.`;
}

export function noNamespacesMessage(bwrapSays: string): string {
  return (
    `bubblewrap cannot create the sandbox's namespaces here (${bwrapSays || 'no message'}). ` +
    'Allow them: in a container, run it with --security-opt seccomp=unconfined --security-opt apparmor=unconfined (or --privileged); ' +
    'as a non-root user, enable unprivileged user namespaces (sysctl kernel.unprivileged_userns_clone=1; on Ubuntu 24.04+ also kernel.apparmor_restrict_unprivileged_userns=0); ' +
    `${OFF_HINT}.`
  );
}

const cache = new Map<string, Promise<SandboxSupport>>();
const PROBE_TIMEOUT_MS = 10_000;

/**
 * What the sandbox can use on this machine (cached per bwrap binary); rejects with
 * SandboxUnavailable. A failed answer is not cached: the user may install or allow what was missing.
 */
export function sandboxSupport(bwrapPath?: string): Promise<SandboxSupport> {
  const bwrap = bwrapPath ?? findBwrap();
  if (bwrap === undefined || process.platform !== 'linux') return Promise.reject(new SandboxUnavailable(bwrapMissingMessage()));
  let p = cache.get(bwrap);
  if (p === undefined) {
    p = probe(bwrap);
    cache.set(bwrap, p);
    p.catch(() => cache.delete(bwrap));
  }
  return p;
}

async function probe(bwrap: string): Promise<SandboxSupport> {
  const candidates: SandboxSupport[] = [
    { bwrap, userns: true, disableUserns: true },
    { bwrap, userns: true, disableUserns: false },
    { bwrap, userns: false, disableUserns: false },
  ];
  let first = '';
  for (const support of candidates) {
    const r = await tryStart(support);
    if (r.missing) throw new SandboxUnavailable(bwrapMissingMessage(bwrap));
    if (r.ok) return support;
    first ||= r.message;
  }
  throw new SandboxUnavailable(noNamespacesMessage(first));
}

/** Starts `true` in the most isolated sandbox (no network) with these settings. */
function tryStart(support: SandboxSupport): Promise<{ ok: boolean; missing?: boolean; message: string }> {
  return new Promise((resolve) => {
    const args = [...sandboxArgs({ binds: [], runtimeFolders: [], network: false, cwd: '/', support }), '--', 'true'];
    const child = spawn(support.bwrap, args, { stdio: ['ignore', 'ignore', 'pipe'], env: { PATH: '/usr/bin:/bin' } });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (d: string) => {
      if (stderr.length < 2000) stderr += d;
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), PROBE_TIMEOUT_MS);
    child.on('error', (e: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      resolve({ ok: false, missing: e.code === 'ENOENT' || e.code === 'EACCES', message: e.message });
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      const message = stderr.trim().split('\n').filter(Boolean).join('; ').slice(0, 300);
      resolve({ ok: code === 0, message: code === null ? `bwrap did not finish within ${PROBE_TIMEOUT_MS / 1000} s` : message });
    });
  });
}

/** For tests: forget what was found. */
export function clearSandboxSupportCache(): void {
  cache.clear();
}
