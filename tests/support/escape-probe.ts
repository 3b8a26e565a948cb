/**
 * Test fixture: a Python probe that tries, from inside a job or a model server, each way out of
 * the sandbox an attacker running as root would try, and reports what happened as JSON. The tests
 * (sandbox-boundary tests of the runner and of hosting) decide what counts as an escape; the probe
 * only records outcomes: an errno name when the kernel refused, or what it got when it did not.
 *
 * It runs as a processing job's script, a training job's script (both: argv[1] = the arguments as
 * JSON, the report written to argv[2]) and as a model server's transform_fn (the arguments are the
 * request body, the report is the response).
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { packageRoot } from '../../src/core/package-root.js';

/** What the probe is told to try (paths and ports of the host, chosen by the test). */
export interface ProbeArgs {
  /** A host process id (the test's own) that must be invisible and untraceable. */
  readonly hostPid: number;
  /** Host files and folders that must not be readable (listed, for folders). */
  readonly secrets: readonly string[];
  /** Folders the probe tries to create a file in; none may succeed on the host. */
  readonly writeDirs: readonly string[];
  /** File name the probe writes into each of writeDirs (unique per test, so the test can look for it on the host). */
  readonly marker: string;
  /** A read-only bound folder to remount read-write and write into. */
  readonly remount: string;
  /** A TCP port on the host's 127.0.0.1, served by the test (it answers "hello"). */
  readonly loopbackPort: number;
}

export interface ProbeReport {
  capEff: string;
  uid: number;
  remount: { rc: number | null; output: string; wroteAfter: string };
  remountSyscall: string;
  umount: Record<string, string>;
  hostProcAfterUmount: boolean;
  nameToHandle: string;
  openByHandle: string;
  openHostRootByHandle: string;
  hostPidVisible: boolean;
  kill0: string;
  ptraceAttach: string;
  reads: Record<string, string>;
  listings: Record<string, string[]>;
  writes: Record<string, string>;
  privateWrites: Record<string, string>;
  sysctlWrite: string;
  procSecrets: Record<string, string>;
  loopback: string;
  interfaces: string[];
  processes: number[];
}

export const ESCAPE_PROBE_PY = String.raw`
import ctypes, errno, json, os, socket, subprocess, sys

libc = ctypes.CDLL(None, use_errno=True)

def err_name(e):
    return errno.errorcode.get(e, str(e))

def oserror(e):
    return err_name(e.errno) if isinstance(e, OSError) and e.errno else '%s: %s' % (type(e).__name__, e)

def cap_eff():
    with open('/proc/self/status') as f:
        for line in f:
            if line.startswith('CapEff:'):
                return line.split()[1]
    return '?'

def syscall_result(r):
    return 'ok' if r == 0 else err_name(ctypes.get_errno())

class FileHandle(ctypes.Structure):
    _fields_ = [('handle_bytes', ctypes.c_uint), ('handle_type', ctypes.c_int), ('f_handle', ctypes.c_ubyte * 128)]

def by_handle(path):
    """name_to_handle_at of a visible folder, then open_by_handle_at of it and of the file system's root (inode 2, the 'shocker' escape)."""
    fh = FileHandle()
    fh.handle_bytes = 128
    mount_id = ctypes.c_int()
    ctypes.set_errno(0)
    r = libc.name_to_handle_at(-100, path.encode(), ctypes.byref(fh), ctypes.byref(mount_id), 0)
    named = syscall_result(r)
    if r != 0:
        return named, 'not tried', 'not tried'
    mfd = os.open(path, os.O_RDONLY)
    try:
        ctypes.set_errno(0)
        fd = libc.open_by_handle_at(mfd, ctypes.byref(fh), os.O_RDONLY)
        opened = 'opened' if fd >= 0 else err_name(ctypes.get_errno())
        if fd >= 0:
            os.close(fd)
        root = FileHandle()
        root.handle_bytes = 8
        root.handle_type = 1  # FILEID_INO32_GEN: inode 2, generation 0 = the ext4 root
        root.f_handle[0] = 2
        ctypes.set_errno(0)
        fd = libc.open_by_handle_at(mfd, ctypes.byref(root), os.O_RDONLY | os.O_DIRECTORY)
        if fd >= 0:
            try:
                host_root = 'opened: ' + ','.join(sorted(os.listdir(fd))[:40])
            finally:
                os.close(fd)
        else:
            host_root = err_name(ctypes.get_errno())
        return named, opened, host_root
    finally:
        os.close(mfd)

def read(path):
    try:
        if os.path.isdir(path):
            return 'listed: ' + ','.join(sorted(os.listdir(path))[:40])
        with open(path, 'rb') as f:
            return 'read %d bytes' % len(f.read(4096))
    except Exception as e:
        return oserror(e)

def write(path):
    try:
        with open(path, 'w') as f:
            f.write('escaped')
        return 'written'
    except Exception as e:
        return oserror(e)

def sysctl_write_back(path):
    # Writes the knob's current value back: harmless if it works, and shows that it works.
    try:
        with open(path) as f:
            value = f.read()
        with open(path, 'w') as f:
            f.write(value)
        return 'written'
    except Exception as e:
        return oserror(e)


def loopback(port):
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.settimeout(3)
    try:
        s.connect(('127.0.0.1', port))
        return 'connected: ' + s.recv(100).decode('utf-8', 'replace')
    except Exception as e:
        return oserror(e)
    finally:
        s.close()

def probe(a):
    out = {'capEff': cap_eff(), 'uid': os.getuid()}
    r = a['remount']
    try:
        p = subprocess.run(['mount', '-o', 'remount,rw', r], capture_output=True, text=True, timeout=10)
        out['remount'] = {'rc': p.returncode, 'output': (p.stdout + p.stderr).strip()[:300]}
    except Exception as e:
        out['remount'] = {'rc': None, 'output': oserror(e)}
    ctypes.set_errno(0)
    # mount(NULL, path, NULL, MS_REMOUNT | MS_BIND, NULL): drop the read-only flag of a bind mount.
    out['remountSyscall'] = syscall_result(libc.mount(None, r.encode(), None, ctypes.c_ulong(32 | 4096), None))
    out['remount']['wroteAfter'] = write(os.path.join(r, a['marker']))
    out['nameToHandle'], out['openByHandle'], out['openHostRootByHandle'] = by_handle(r)
    pid = a['hostPid']
    out['hostPidVisible'] = os.path.exists('/proc/%d' % pid)
    try:
        os.kill(pid, 0)
        out['kill0'] = 'ok'
    except Exception as e:
        out['kill0'] = oserror(e)
    ctypes.set_errno(0)
    attached = libc.ptrace(16, pid, None, None)  # PTRACE_ATTACH
    out['ptraceAttach'] = syscall_result(attached)
    if attached == 0:
        libc.ptrace(17, pid, None, None)  # PTRACE_DETACH
    out['reads'] = {p: read(p) for p in a['secrets']}
    out['listings'] = {p: sorted(os.listdir(p)) if os.path.isdir(p) else [] for p in ('/', '/etc', '/root')}
    out['writes'] = {d: write(os.path.join(d, a['marker'])) for d in a['writeDirs']}
    out['privateWrites'] = {d: write(os.path.join(d, a['marker'])) for d in ('/opt/ml', '/tmp')}
    out['sysctlWrite'] = sysctl_write_back('/proc/sys/kernel/printk_ratelimit')
    out['procSecrets'] = {p: read(p) for p in ('/proc/timer_list', '/proc/keys', '/proc/sched_debug')}
    out['loopback'] = loopback(a['loopbackPort'])
    with open('/proc/net/dev') as f:
        out['interfaces'] = sorted(l.split(':')[0].strip() for l in f.readlines()[2:])
    out['processes'] = sorted(int(p) for p in os.listdir('/proc') if p.isdigit())
    # Last: unmounting changes what this process sees. MNT_DETACH (2) so busy mounts count too.
    out['umount'] = {}
    for m in ('/tmp', '/proc'):
        ctypes.set_errno(0)
        out['umount'][m] = syscall_result(libc.umount2(m.encode(), 2))
    out['hostProcAfterUmount'] = os.path.exists('/proc/%d' % pid)
    return out

def transform_fn(model, data, content_type, accept):
    return json.dumps(probe(json.loads(data))), 'application/json'

def model_fn(model_dir):
    return None

if __name__ == '__main__':
    report = probe(json.loads(sys.argv[1]))
    with open(sys.argv[2], 'w') as f:
        json.dump(report, f)
`;

/** A TCP server on the host's 127.0.0.1 that says "hello" to each connection. */
export async function helloServer(): Promise<{ port: number; close(): Promise<void> }> {
  const server: Server = createServer((socket) => socket.end('hello'));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  return { port, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

/** Folders of the host the probe must not be able to write into. */
const WRITE_DIRS = ['/', '/usr', '/etc', '/var/tmp', '/opt', '/home', '/srv', '/mnt', '/work'];

/** The probe's arguments for one test: the host's secrets include the home's state.db and this checkout. */
export function probeArgs(home: string, loopbackPort: number): ProbeArgs {
  const rootEntry = safeList('/root')[0];
  return {
    hostPid: process.pid,
    secrets: [
      '/etc/shadow',
      join(home, 'state.db'),
      home,
      join(packageRoot(), 'package.json'),
      '/work',
      '/home',
      ...(rootEntry !== undefined ? [join('/root', rootEntry)] : []),
    ],
    writeDirs: WRITE_DIRS,
    marker: `mlops-sfn-escape-${randomBytes(6).toString('hex')}`,
    remount: '/usr',
    loopbackPort,
  };
}

function safeList(dir: string): string[] {
  try {
    return readdirSync(dir).sort();
  } catch {
    return [];
  }
}

/**
 * Every escape the report shows, and every file the probe managed to leave on the host (removed
 * here, so a failing run leaves nothing behind), as one line each; empty when the sandbox held.
 */
export function escapes(report: ProbeReport, args: ProbeArgs, opts: { networkIsolation: boolean }): string[] {
  const found: string[] = [];
  const check = (ok: boolean, what: string): void => {
    if (!ok) found.push(what);
  };
  const leftOnHost = [...new Set([...args.writeDirs, args.remount, '/tmp'])].map((d) => join(d, args.marker)).filter((p) => existsSync(p));
  for (const p of leftOnHost) rmSync(p, { force: true });
  check(leftOnHost.length === 0, `written on the host: ${leftOnHost.join(', ')}`);

  check(report.capEff === '0000000000000000', `capabilities inside the sandbox: CapEff ${report.capEff}`);
  check(report.remount.rc !== 0, `mount -o remount,rw ${args.remount} succeeded`);
  check(report.remountSyscall !== 'ok', `mount(2) MS_REMOUNT of ${args.remount} succeeded`);
  check(report.remount.wroteAfter !== 'written', `${args.remount} was writable after the remount`);
  for (const [m, r] of Object.entries(report.umount)) check(r !== 'ok', `umount ${m} succeeded`);
  check(!report.hostProcAfterUmount, "the host's processes appeared after unmounting /proc");
  check(report.openByHandle !== 'opened', 'open_by_handle_at opened a file handle');
  check(!report.openHostRootByHandle.startsWith('opened'), `open_by_handle_at opened the file system's root: ${report.openHostRootByHandle}`);
  check(!report.hostPidVisible, 'a host process is visible in /proc');
  check(report.kill0 === 'ESRCH', `kill(host pid, 0): ${report.kill0}`);
  check(report.ptraceAttach !== 'ok', 'ptrace attached to a host process');
  check(report.processes.length <= 5 && report.processes.every((p) => p < 100), `host processes visible: ${report.processes.length} pids`);
  for (const [path, r] of Object.entries(report.reads)) check(!/^(read|listed)/.test(r), `${path} readable: ${r.slice(0, 120)}`);
  const hostRoot = new Set(safeList('/root'));
  const seen = (report.listings['/root'] ?? []).filter((e) => hostRoot.has(e));
  check(seen.length === 0, `the host's /root is visible: ${seen.join(',')}`);
  for (const dir of ['root', 'home', 'work', 'srv', 'mnt', 'media', 'var', 'boot']) {
    if (dir === 'root') continue; // the job's own private /root (HOME) exists; its content is checked above
    check(!(report.listings['/'] ?? []).includes(dir), `/${dir} is in the sandbox`);
  }
  for (const secret of ['shadow', 'gshadow', 'shadow-', 'sudoers', 'ssh', 'machine-id']) {
    check(!(report.listings['/etc'] ?? []).includes(secret), `/etc/${secret} is in the sandbox`);
  }
  for (const [dir, r] of Object.entries(report.writes)) check(r !== 'written', `wrote into ${dir}`);
  check(report.sysctlWrite !== 'written', 'a kernel sysctl (kernel.printk_ratelimit) was writable');
  for (const [p, r] of Object.entries(report.procSecrets)) check(!/^read [1-9]/.test(r), `${p} shows the host: ${r}`);
  check(report.privateWrites['/opt/ml'] === 'written' && report.privateWrites['/tmp'] === 'written', `the job's own /opt/ml and /tmp are not writable: ${JSON.stringify(report.privateWrites)}`);
  if (opts.networkIsolation) {
    check(!report.loopback.startsWith('connected'), `network isolation did not cut the host's loopback: ${report.loopback}`);
    check(report.interfaces.length === 1 && report.interfaces[0] === 'lo', `network isolation left interfaces: ${report.interfaces.join(',')}`);
  } else {
    check(report.loopback === 'connected: hello', `without isolation the host's network is not reachable: ${report.loopback}`);
  }
  return found;
}

/** Fails, listing every escape at once, unless the sandbox held. */
export function assertContained(report: ProbeReport, args: ProbeArgs, opts: { networkIsolation: boolean }): void {
  assert.deepEqual(escapes(report, args, opts), [], 'the sandbox must hold');
}
