/**
 * What of the host a sandboxed job or model server sees besides its own folders: the runtime's
 * system folders, read-only, and nothing else. Chosen by testing what /usr/bin/python3 and Debian's
 * scientific stack (numpy via /etc/alternatives' BLAS, scikit-learn, pandas, matplotlib) open:
 *  - /usr, and /bin, /sbin, /lib* as the symlinks (merged /usr) or folders they are on the host;
 *  - from /etc only: the loader's cache, the alternatives links (libblas.so.3 resolves through
 *    them), matplotlibrc, mime.types, protocols and services (public tables); when the network is
 *    allowed also resolv.conf, gai.conf and the CA certificates (/etc/ssl/certs and openssl.cnf,
 *    never /etc/ssl/private);
 *  - passwd, group, hosts and nsswitch.conf are the sandbox's own (etc/ beside this file, shipped
 *    with the package): root and nobody, localhost and algo-1, as a container has them; nothing of
 *    the host's users or names.
 * No /etc/localtime: containers run in UTC. In the sandbox's own /proc, the kernel's knobs are
 * read-only and the files showing host tasks or kernel memory are covered (as Docker does).
 *
 * A runtime whose interpreter lives outside /usr (a virtual environment, a pyenv build) adds its
 * installation folder, read-only, and only that folder (see runtimeFolders).
 */
import { existsSync, lstatSync, readlinkSync, readdirSync, realpathSync } from 'node:fs';
import { dirname, join, sep } from 'node:path';
import { packageFile } from '../../../core/package-root.js';

export interface RoBind {
  readonly host: string;
  readonly visible: string;
}

export interface SystemLayout {
  /** Top-level symlinks to recreate (merged /usr: /bin -> usr/bin). */
  readonly symlinks: readonly { readonly target: string; readonly visible: string }[];
  /** Read-only binds always present. */
  readonly always: readonly RoBind[];
  /** Read-only binds only when the sandbox may use the network. */
  readonly network: readonly RoBind[];
  /** Parts of the sandbox's own /proc made read-only (kernel knobs) or covered with /dev/null (host secrets). */
  readonly procReadOnly: readonly string[];
  readonly procMasked: readonly string[];
}

const TOP_LEVEL = ['usr', 'bin', 'sbin', 'lib', 'lib32', 'lib64', 'libx32'];
const ETC_ALWAYS = ['ld.so.cache', 'alternatives', 'matplotlibrc', 'mime.types', 'protocols', 'services'];
const ETC_NETWORK = ['resolv.conf', 'gai.conf', 'ssl/certs', 'ssl/openssl.cnf'];
const OWN_ETC = ['passwd', 'group', 'hosts', 'nsswitch.conf'];
/**
 * As Docker does: root without capabilities may still write many sysctls (the kernel checks only
 * the file's owner for them), e.g. kernel.core_pattern, which runs a program on the host; so the
 * knobs are read-only. Files that show host tasks' timers or kernel memory are covered.
 */
const PROC_READ_ONLY = ['sys', 'sysrq-trigger', 'fs', 'bus', 'irq'];
const PROC_MASKED = ['kcore', 'keys', 'key-users', 'timer_list', 'timer_stats', 'sched_debug', 'latency_stats', 'kmsg'];

let layout: SystemLayout | undefined;

/** The host's system folders, read once per process (they do not change under a running tool). */
export function systemLayout(): SystemLayout {
  layout ??= readLayout();
  return layout;
}

function readLayout(): SystemLayout {
  const symlinks: { target: string; visible: string }[] = [];
  const always: RoBind[] = [];
  for (const name of TOP_LEVEL) {
    const p = '/' + name;
    const st = lstatSync(p, { throwIfNoEntry: false });
    if (st === undefined) continue;
    if (st.isSymbolicLink()) symlinks.push({ target: readlinkSync(p), visible: p });
    else if (st.isDirectory()) always.push({ host: p, visible: p });
  }
  for (const name of ETC_ALWAYS) {
    const p = join('/etc', name);
    if (existsSync(p)) always.push({ host: p, visible: p });
  }
  for (const name of OWN_ETC) always.push({ host: packageFile('src', 'emulators', 'sagemaker', 'sandbox', 'etc', name), visible: join('/etc', name) });
  const network = ETC_NETWORK.map((name) => join('/etc', name))
    .filter((p) => existsSync(p))
    .map((p) => ({ host: p, visible: p }));
  const inProc = (n: string): boolean => existsSync(join('/proc', n));
  return {
    symlinks,
    always,
    network,
    procReadOnly: PROC_READ_ONLY.filter(inProc).map((n) => join('/proc', n)),
    procMasked: PROC_MASKED.filter(inProc).map((n) => join('/proc', n)),
  };
}

/** Whether `p` is `dir` or inside it. */
export function isWithin(p: string, dir: string): boolean {
  return p === dir || p.startsWith(dir.endsWith(sep) ? dir : dir + sep);
}

/** Whether a host path is already visible through the system folders. */
function inSystemFolders(p: string): boolean {
  return ['/usr', '/bin', '/sbin', '/lib', '/lib32', '/lib64', '/libx32'].some((d) => isWithin(p, d));
}

/**
 * The read-only folders a runtime's interpreter needs beyond the system folders: the installation
 * prefix of the interpreter as named (a venv: `<venv>/bin/python3` -> `<venv>`) and of the file it
 * resolves to (the venv's base Python). A prefix is bound only when it looks like a Python
 * installation (pyvenv.cfg, or lib/python3.*) and holds neither the mlops-sfn home nor "/": a
 * runtime never opens the home or the host to its jobs.
 * Returns the folders, or a reason why the interpreter cannot be made visible.
 */
export function runtimeFolders(python: string, home: string): { folders: string[] } | { problem: string } {
  let real = python;
  try {
    real = realpathSync(python);
  } catch {
    // A missing interpreter fails on its own (the runtime check says what to install).
  }
  const folders: string[] = [];
  for (const exe of [python, real]) {
    if (inSystemFolders(exe) || !existsSync(exe)) continue;
    const prefix = dirname(dirname(exe));
    if (folders.includes(prefix)) continue;
    if (prefix === '/' || isWithin(home, prefix)) {
      return { problem: `the runtime's interpreter ${exe} is installed in ${prefix}, which holds the mlops-sfn home or the whole host; install it in a folder of its own (a virtual environment)` };
    }
    if (!looksLikePythonPrefix(prefix)) {
      return { problem: `the runtime's interpreter ${exe} is not in /usr nor in a Python installation folder (no pyvenv.cfg or lib/python3.* in ${prefix}); point the runtime at the interpreter itself (not a shim or a wrapper script)` };
    }
    folders.push(prefix);
  }
  return { folders };
}

function looksLikePythonPrefix(prefix: string): boolean {
  if (existsSync(join(prefix, 'pyvenv.cfg'))) return true;
  try {
    return readdirSync(join(prefix, 'lib')).some((n) => /^python3(\.\d+)?$/.test(n));
  } catch {
    return false;
  }
}
