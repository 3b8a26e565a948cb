/**
 * The one sandbox of every job and model server: the bubblewrap arguments that make a process see
 * what a SageMaker container sees and nothing of the host, also when mlops-sfn runs as root.
 *
 *  - An empty root (bwrap's tmpfs, remounted read-only at the end) holding only the runtime's
 *    system folders read-only (system-folders.ts), the caller's private folders (the job's /opt/ml,
 *    /tmp and /root), fresh /dev and /proc. No user homes, no /work or project checkouts, no
 *    mlops-sfn home or state.db, no /var, /run, /sys or /mnt of the host: they are never bound.
 *  - No capabilities (`--cap-drop ALL`: CapEff 0 even as root), so no mount, umount, remount,
 *    open_by_handle_at or ptrace beyond what an unprivileged user may do; bwrap also sets
 *    no_new_privs, so no setuid binary gives them back. A user namespace where the machine allows
 *    one (`--unshare-user`, and `--disable-userns` so the job cannot create another): mounts
 *    inherited from the host are then locked by the kernel itself.
 *  - New pid (host processes are invisible, and die with the sandbox's init), ipc, uts (hostname
 *    algo-1, as in a SageMaker container) and, where possible, cgroup namespaces.
 *  - `--die-with-parent` (nothing outlives mlops-sfn), `--new-session` (no terminal injection).
 *  - The network: shared with the host when allowed (a job may call AWS, as on SageMaker), or a
 *    namespace of its own with only a loopback of its own (`--unshare-net`): EnableNetworkIsolation
 *    cuts everything, the host's 127.0.0.1 included.
 */
import { systemLayout, type RoBind } from './system-folders.js';

export interface Bind {
  readonly host: string;
  /** Where it appears inside the sandbox. */
  readonly visible: string;
  readonly readOnly?: boolean;
}

export interface SandboxSpec {
  /** The caller's folders, in mount order (a folder before the binds inside it). */
  readonly binds: readonly Bind[];
  /** Extra read-only runtime folders (an interpreter installed outside /usr), bound where they are. */
  readonly runtimeFolders: readonly string[];
  /** Whether the sandbox may use the host's network; false gives it a network namespace of its own. */
  readonly network: boolean;
  /** Working directory inside the sandbox. */
  readonly cwd: string;
  /** File descriptor bwrap reports its status on (JSON lines: child-pid, exit-code). */
  readonly statusFd?: number;
  /** What this machine supports (see availability.ts). */
  readonly support: SandboxSupport;
}

export interface SandboxSupport {
  /** The bwrap binary, as a full path. */
  readonly bwrap: string;
  /** Whether a user namespace can be created (false: root without user namespaces; capabilities are dropped all the same). */
  readonly userns: boolean;
  /** Whether this bwrap knows --disable-userns (0.8.0 and later). */
  readonly disableUserns: boolean;
}

export const SANDBOX_HOSTNAME = 'algo-1';

/** bwrap's arguments, up to (not including) the "--" before the command. */
export function sandboxArgs(spec: SandboxSpec): string[] {
  const a: string[] = [];
  if (spec.support.userns) {
    a.push('--unshare-user');
    if (spec.support.disableUserns) a.push('--disable-userns');
  }
  a.push('--unshare-pid', '--unshare-ipc', '--unshare-uts', '--unshare-cgroup-try', '--hostname', SANDBOX_HOSTNAME);
  if (!spec.network) a.push('--unshare-net');
  a.push('--cap-drop', 'ALL', '--die-with-parent', '--new-session');

  const sys = systemLayout();
  const ro = (b: RoBind): void => {
    a.push('--ro-bind', b.host, b.visible);
  };
  sys.always.forEach(ro);
  if (spec.network) sys.network.forEach(ro);
  for (const l of sys.symlinks) a.push('--symlink', l.target, l.visible);
  a.push('--proc', '/proc');
  // The host's /proc/sys etc., read-only, over the sandbox's own (the same kernel knobs).
  for (const p of sys.procReadOnly) a.push('--ro-bind', p, p);
  for (const p of sys.procMasked) a.push('--ro-bind', '/dev/null', p);
  a.push('--dev', '/dev');
  for (const b of spec.binds) a.push(b.readOnly ? '--ro-bind' : '--bind', b.host, b.visible);
  // After the caller's folders, so a runtime under /root (pyenv) is not covered by the private /root.
  for (const f of spec.runtimeFolders) a.push('--ro-bind', f, f);
  // Last, once every mount point exists: nothing else in the sandbox's root is writable.
  a.push('--remount-ro', '/');
  a.push('--chdir', spec.cwd);
  if (spec.statusFd !== undefined) a.push('--json-status-fd', String(spec.statusFd));
  return a;
}
