/**
 * requirements.txt in a script-mode source folder, installed before the script runs as the
 * framework containers do (sagemaker-training-toolkit: `python -m pip install -r requirements.txt`
 * in /opt/ml/code, failing with InstallRequirementsError; the SDK's FrameworkProcessor does the same
 * for processing code) — but never into the runtime's own Python:
 *
 *  - the packages go into a *layer*: a virtual environment made with `--system-site-packages
 *    --without-pip` over the runtime's interpreter, so pip sees what the image already has
 *    ("Requirement already satisfied") and installs only the rest into the layer's site-packages;
 *  - the job sees the layer read-only at LAYER_MOUNT, its site-packages on PYTHONPATH (after the
 *    request's own PYTHONPATH, before the runtime's packages, as pip's upgrades would be);
 *  - layers are cached in `<home>/sagemaker/pip-layers/<key>`, the key a hash of the file's text,
 *    the interpreter (path and modification time) and pip's index settings, so the next job with
 *    the same file starts at once;
 *  - pip runs in a sandbox of its own (the jobs' one, with the network unless the job sets
 *    EnableNetworkIsolation), since installing an sdist runs its setup.py: user code. It sees the
 *    code folder read-only at /opt/ml/code (its cwd, so `-r other.txt` and relative wheel paths
 *    work), the layer being built, private /tmp and /root, and pip's settings: PIP_* variables
 *    of this machine and of the job's Environment (the job's win), /etc/pip.conf, the user's
 *    pip.conf (as PIP_CONFIG_FILE), and local find-links folders, read-only.
 *
 * A failed install fails the job with the toolkit's error text
 * (`InstallRequirementsError:\nExitCode 1\nErrorMessage "<pip's ERROR lines>"\nCommand "..."`).
 */
import { createHash, randomBytes } from 'node:crypto';
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { mkdir, readdir, readFile, rename, rm, stat } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { sandboxArgs, type Bind, type SandboxSupport } from '../sandbox/index.js';

/** Where a job or model server sees its requirements layer (read-only). */
export const LAYER_MOUNT = '/opt/mlops-sfn/pip-layer';

/** pip could not install the requirements: `toolkitText` is the container's error text. */
export class RequirementsInstallError extends Error {
  constructor(readonly toolkitText: string) {
    super(toolkitText);
    this.name = 'InstallRequirementsError';
  }
}

/** The layer could not be made for a reason of this machine (no venv module, no sandbox). */
export class PipLayerUnavailable extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PipLayerUnavailable';
  }
}

/** The install was stopped (the job's stop, or its deadline). */
export class PipInstallStopped extends Error {
  constructor(readonly reason: 'aborted' | 'timeout') {
    super(reason === 'aborted' ? 'stopped' : 'pip did not finish in time');
    this.name = 'PipInstallStopped';
  }
}

/** Where pip's output and the install's own lines go (the job's or the model server's log). */
export interface LayerLog {
  write(line: string): void;
}

const USER_PIP_CONF_MOUNT = '/opt/mlops-sfn/pip.conf';
const CODE_MOUNT = '/opt/ml/code';

/** Host pip settings carried into pip's sandbox; the rest of this machine's environment is not. */
const PIP_SETTING = /^PIP_[A-Z0-9_]+$/;
/** Settings that would send the install somewhere else than the layer. */
const PIP_DROPPED = new Set(['PIP_TARGET', 'PIP_PREFIX', 'PIP_ROOT', 'PIP_USER', 'PIP_PYTHON', 'PIP_REQUIRE_VIRTUALENV', 'PIP_CONFIG_FILE']);
const PROXY = /^(https?_proxy|no_proxy|HTTPS?_PROXY|NO_PROXY|all_proxy|ALL_PROXY)$/;

export interface RequirementsSource {
  /** The host folder holding requirements.txt (the job's code folder). */
  readonly codeDir: string;
}

export interface LayerOptions {
  readonly home: string;
  /** The runtime's interpreter (what the image's `python` is). */
  readonly python: string;
  /** The runtime's interpreter folders outside /usr (bound read-only in pip's sandbox). */
  readonly runtimeFolders: readonly string[];
  /** The job's own scratch space: pip's private /tmp and /root are made under it. */
  readonly scratchDir: string;
  readonly mode: 'bwrap' | 'none';
  readonly support: SandboxSupport | undefined;
  readonly network: boolean;
  /** The job's Environment (PIP_* settings there override this machine's). */
  readonly requestEnv: Readonly<Record<string, string>>;
  /** This machine's environment (default process.env). */
  readonly hostEnv?: Readonly<Record<string, string | undefined>>;
  readonly log: LayerLog;
  readonly signal: AbortSignal;
  readonly maxRuntimeMs: number;
}

export interface RequirementsLayer {
  /** The host folder of the layer (a virtual environment). */
  readonly hostDir: string;
  /** Its site-packages, relative to the layer. */
  readonly sitePackages: string;
  /** Whether it was built by this job (false: taken from the cache). */
  readonly built: boolean;
}

/** pip's settings for this install: this machine's PIP_* and proxies, then the job's PIP_*. */
export function pipEnvironment(hostEnv: Readonly<Record<string, string | undefined>>, requestEnv: Readonly<Record<string, string>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(hostEnv)) if (v !== undefined && ((PIP_SETTING.test(k) && !PIP_DROPPED.has(k)) || PROXY.test(k))) out[k] = v;
  for (const [k, v] of Object.entries(requestEnv)) if (PIP_SETTING.test(k) && !PIP_DROPPED.has(k)) out[k] = v;
  return out;
}

/** pip's configuration files this machine has: the global ones, and the user's one. */
function pipConfigFiles(hostEnv: Readonly<Record<string, string | undefined>>): { global: string[]; user?: string } {
  const global = ['/etc/pip.conf', '/etc/xdg/pip/pip.conf'].filter((p) => isFile(p));
  const explicit = hostEnv['PIP_CONFIG_FILE'];
  if (explicit !== undefined && explicit !== '' && explicit !== '/dev/null') return { global, ...(isFile(explicit) ? { user: explicit } : {}) };
  const home = hostEnv['HOME'] ?? homedir();
  const xdg = hostEnv['XDG_CONFIG_HOME'] ?? join(home, '.config');
  const user = [join(xdg, 'pip', 'pip.conf'), join(home, '.pip', 'pip.conf')].find((p) => isFile(p));
  return { global, ...(user !== undefined ? { user } : {}) };
}

function isFile(p: string): boolean {
  try {
    return statSync(p).isFile();
  } catch {
    return false;
  }
}

/** Local folders pip may read wheels from (find-links in the environment or the config files). */
function localFindLinks(env: Readonly<Record<string, string>>, configFiles: readonly string[]): string[] {
  const values: string[] = [];
  if (env['PIP_FIND_LINKS']) values.push(...env['PIP_FIND_LINKS'].split(/\s+/));
  for (const f of configFiles) {
    const m = /^\s*find[-_]links\s*=\s*(.*(?:\n[ \t]+.*)*)/im.exec(readFileSync(f, 'utf8'));
    if (m) values.push(...m[1]!.split(/\s+/));
  }
  const dirs = values
    .map((v) => (v.startsWith('file://') ? v.slice('file://'.length) : v))
    .filter((v) => v.startsWith('/') && existsSync(v) && statSync(v).isDirectory());
  return [...new Set(dirs)];
}

/** The cache key: the file's text, the interpreter, and the settings that decide what pip finds. */
export async function layerKey(requirements: string, python: string, pipEnv: Readonly<Record<string, string>>, configText: string): Promise<string> {
  let pythonId = python;
  try {
    const s = await stat(python);
    pythonId += `@${s.mtimeMs}`;
  } catch {
    // a missing interpreter fails later with its own message
  }
  const settings = Object.entries(pipEnv).sort(([a], [b]) => (a < b ? -1 : 1));
  return createHash('sha256').update(JSON.stringify([requirements, pythonId, settings, configText])).digest('hex').slice(0, 32);
}

/** The toolkit's error text for a failed install (sagemaker_training.errors.InstallRequirementsError). */
export function installRequirementsError(exitCode: number, errorLines: readonly string[], python: string): string {
  return `InstallRequirementsError:\nExitCode ${exitCode}\nErrorMessage "${errorLines.join('\n')}"\nCommand "${python} -m pip install -r requirements.txt"`;
}

/**
 * Returns the job's requirements layer (from the cache, or built now); undefined when the code
 * folder has no requirements.txt. Throws a JobFailure when pip fails.
 */
export async function requirementsLayer(source: RequirementsSource, o: LayerOptions): Promise<RequirementsLayer | undefined> {
  const file = join(source.codeDir, 'requirements.txt');
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    return undefined;
  }
  const hostEnv = o.hostEnv ?? process.env;
  const env = pipEnvironment(hostEnv, o.requestEnv);
  const configs = pipConfigFiles(hostEnv);
  const configFiles = [...configs.global, ...(configs.user !== undefined ? [configs.user] : [])];
  const configText = configFiles.map((f) => readFileSync(f, 'utf8')).join('\n');
  const root = join(o.home, 'sagemaker', 'pip-layers');
  const hostDir = join(root, await layerKey(text, o.python, env, configText));
  const cached = await sitePackagesOf(hostDir);
  if (cached !== undefined) {
    o.log.write(`Installing dependencies from requirements.txt: already installed in ${hostDir} (same file, runtime and pip settings)`);
    return { hostDir, sitePackages: cached, built: false };
  }
  if (o.signal.aborted) throw new PipInstallStopped('aborted');
  await mkdir(root, { recursive: true });
  const build = join(root, `.build-${process.pid}-${randomBytes(6).toString('hex')}`);
  try {
    await makeVirtualEnv(o.python, build);
    const errors = await runPip(source.codeDir, build, env, configs, configFiles, o);
    if (errors !== undefined) {
      const text = installRequirementsError(errors.exitCode, errors.lines, o.python);
      o.log.write(text);
      throw new RequirementsInstallError(text);
    }
    const site = await sitePackagesOf(build);
    if (site === undefined) throw new Error(`the layer ${build} has no site-packages`);
    try {
      await rename(build, hostDir);
    } catch (e) {
      // Another job built the same layer meanwhile: use that one.
      if (!['ENOTEMPTY', 'EEXIST'].includes((e as NodeJS.ErrnoException).code ?? '')) throw e;
    }
    return { hostDir, sitePackages: site, built: true };
  } finally {
    await rm(build, { recursive: true, force: true });
  }
}

/** The layer's site-packages relative to it (lib/python3.X/site-packages), if the layer is complete. */
async function sitePackagesOf(dir: string): Promise<string | undefined> {
  let names: string[];
  try {
    names = await readdir(join(dir, 'lib'));
  } catch {
    return undefined;
  }
  const py = names.find((n) => /^python3(\.\d+)?$/.test(n));
  return py !== undefined && existsSync(join(dir, 'lib', py, 'site-packages')) ? join('lib', py, 'site-packages') : undefined;
}

/** `python -m venv --system-site-packages --without-pip`: no user input, so it runs outside the sandbox. */
function makeVirtualEnv(python: string, dir: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(python, ['-m', 'venv', '--system-site-packages', '--without-pip', dir], { stdio: ['ignore', 'ignore', 'pipe'], env: { PATH: '/usr/bin:/bin' } });
    let err = '';
    child.stderr.setEncoding('utf8').on('data', (d: string) => (err += d));
    child.on('error', (e) => reject(new PipLayerUnavailable(`Cannot run ${python} to make the requirements layer: ${e.message}`)));
    child.on('close', (code) =>
      code === 0
        ? resolve()
        : reject(new PipLayerUnavailable(`${python} -m venv failed (exit ${code}): ${err.trim().slice(-400)} (Debian: apt-get install python3-venv python3-pip)`)),
    );
  });
}

/** Runs pip into the layer; returns pip's exit code and ERROR lines when it fails. */
async function runPip(
  codeDir: string,
  layer: string,
  pipEnv: Readonly<Record<string, string>>,
  configs: { global: string[]; user?: string },
  configFiles: readonly string[],
  o: LayerOptions,
): Promise<{ exitCode: number; lines: string[] } | undefined> {
  const sandboxed = o.mode === 'bwrap';
  const layerPath = sandboxed ? LAYER_MOUNT : layer;
  const env: Record<string, string> = { PATH: `${dirname(o.python)}:/usr/bin:/bin`, HOME: sandboxed ? '/root' : join(o.scratchDir, 'pip-home'), ...pipEnv };
  env['PIP_DISABLE_PIP_VERSION_CHECK'] ??= '1';
  if (configs.user !== undefined) env['PIP_CONFIG_FILE'] = sandboxed ? USER_PIP_CONF_MOUNT : configs.user;
  const argv = [o.python, '-m', 'pip', '--python', `${layerPath}/bin/python`, 'install', '--no-input', '--no-warn-script-location', '-r', 'requirements.txt'];
  const tmp = join(o.scratchDir, 'pip-tmp');
  const home = join(o.scratchDir, 'pip-home');
  await Promise.all([mkdir(tmp, { recursive: true }), mkdir(home, { recursive: true })]);
  if (!sandboxed) env['TMPDIR'] = tmp;
  let bwrapArgs: string[] = [];
  if (sandboxed) {
    const support = o.support;
    if (support === undefined) throw new PipLayerUnavailable('the sandbox is needed to install requirements.txt');
    const binds: Bind[] = [
      { host: codeDir, visible: CODE_MOUNT, readOnly: true },
      { host: layer, visible: LAYER_MOUNT },
      { host: tmp, visible: '/tmp' },
      { host: home, visible: '/root' },
      ...configs.global.map((f) => ({ host: f, visible: f, readOnly: true })),
      ...(configs.user !== undefined ? [{ host: configs.user, visible: USER_PIP_CONF_MOUNT, readOnly: true }] : []),
      // Only this machine's own settings open folders to pip: a job's Environment could name any
      // host folder (the home, /) and setup.py would read it.
      ...localFindLinks(pipEnvironment(o.hostEnv ?? process.env, {}), configFiles).map((d) => ({ host: d, visible: d, readOnly: true })),
    ];
    bwrapArgs = sandboxArgs({ binds, runtimeFolders: o.runtimeFolders, network: o.network, cwd: CODE_MOUNT, support });
  }
  o.log.write(`Installing dependencies from requirements.txt:\n${o.python} -m pip install -r requirements.txt`);
  const errors: string[] = [];
  const exitCode = await runLogged(sandboxed ? o.support!.bwrap : argv[0]!, sandboxed ? [...bwrapArgs, '--', ...argv] : argv.slice(1), env, sandboxed ? o.scratchDir : codeDir, o, (line) => {
    if (/^ERROR: /.test(line)) errors.push(line);
  });
  return exitCode === 0 ? undefined : { exitCode, lines: errors };
}

/**
 * Runs pip (under bwrap, whose exit status is the command's), its output line by line to the log;
 * the abort signal and the deadline kill it (bwrap's --die-with-parent and pid namespace take
 * everything pip started with it; without the sandbox, its process group).
 */
function runLogged(
  cmd: string,
  args: readonly string[],
  env: Readonly<Record<string, string>>,
  cwd: string,
  o: LayerOptions,
  onLine: (line: string) => void,
): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { env, cwd, stdio: ['ignore', 'pipe', 'pipe'], detached: o.mode !== 'bwrap' });
    const kill = (): void => {
      try {
        if (o.mode === 'bwrap') child.kill('SIGKILL');
        else if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
      } catch {
        // already gone
      }
    };
    let stopped: PipInstallStopped | undefined;
    const onAbort = (): void => {
      stopped = new PipInstallStopped('aborted');
      kill();
    };
    o.signal.addEventListener('abort', onAbort, { once: true });
    const timer = setTimeout(() => {
      stopped = new PipInstallStopped('timeout');
      kill();
    }, Math.max(1, o.maxRuntimeMs));
    for (const stream of [child.stdout, child.stderr]) {
      createInterface({ input: stream, crlfDelay: Infinity }).on('line', (line) => {
        o.log.write(line);
        onLine(line);
      });
    }
    child.on('error', (e) => {
      clearTimeout(timer);
      o.signal.removeEventListener('abort', onAbort);
      reject(new PipLayerUnavailable(`Cannot start ${cmd}: ${e.message}`));
    });
    child.on('close', (code, sig) => {
      clearTimeout(timer);
      o.signal.removeEventListener('abort', onAbort);
      if (stopped) reject(stopped);
      else resolve(code ?? 128 + (sig ? 9 : 0));
    });
  });
}

/** A member of a tar archive (gzip or not), or undefined when it has none of these names. GNU tar, no shell. */
export function readArchiveMember(archive: string, names: readonly string[]): Promise<Buffer | undefined> {
  const tar = (args: string[]): Promise<{ code: number | null; out: Buffer }> =>
    new Promise((resolve, reject) => {
      const child = spawn('tar', args, { stdio: ['ignore', 'pipe', 'ignore'], env: { PATH: '/usr/bin:/bin', LC_ALL: 'C' } });
      const chunks: Buffer[] = [];
      let size = 0;
      child.stdout.on('data', (c: Buffer) => {
        size += c.length;
        if (size > 1 << 20) child.kill('SIGKILL'); // a requirements file is small; a bigger member is not one
        else chunks.push(c);
      });
      child.on('error', reject);
      child.on('close', (code) => resolve({ code, out: Buffer.concat(chunks) }));
    });
  return (async () => {
    const listed = await tar(['--list', '--file', archive]);
    if (listed.code !== 0) return undefined;
    const members = new Set(listed.out.toString('utf8').split('\n'));
    const member = names.find((n) => members.has(n));
    if (member === undefined) return undefined;
    const got = await tar(['--extract', '--to-stdout', '--file', archive, '--', member]);
    return got.code === 0 ? got.out : undefined;
  })();
}
