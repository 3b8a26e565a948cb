/**
 * What `mlops-sfn doctor` reports: for every runtime (the built-in table's rows, then the ones the
 * user maps in <home>/runtimes.json), whether its interpreter and the image's modules are here, in
 * which versions against the real image's, and what to install when something is missing; and
 * whether this machine can build the sandbox every job and model server runs in.
 */
import { sandboxMode, sandboxSupport, SANDBOX_ENV } from '../sandbox/index.js';
import { installAdvice, probeRuntime } from './runtime-check.js';
import { RuntimeUnavailable } from './runtime-error.js';
import { loadUserProfiles, RUNTIMES_FILE, type RuntimeProfile } from './runtime-profiles.js';
import { builtinProfiles } from './runtime-table.js';

export interface ModuleState {
  readonly module: string;
  /** The distribution the image pins (`scikit-learn`). */
  readonly library: string;
  /** The real image's version ('' when the runtime does not say). */
  readonly imageVersion: string;
  /** The version found here; null when the interpreter cannot import it. */
  readonly localVersion: string | null;
}

export interface RuntimeState {
  readonly name: string;
  readonly title: string;
  readonly source: 'builtin' | 'user';
  /** A few of the image URIs it answers to (built-in rows answer to every region's account). */
  readonly images: readonly string[];
  readonly python: string;
  readonly imagePython: string;
  readonly localPython: string | null;
  readonly training: string;
  readonly serving: string;
  /** The interpreter starts and every module imports. */
  readonly ready: boolean;
  readonly modules: readonly ModuleState[];
  /** `apt-get install ...` when something is missing. */
  readonly install?: string;
  readonly problem?: string;
}

export interface SandboxState {
  readonly mode: 'bwrap' | 'none';
  readonly available: boolean;
  /** The bwrap binary, when the sandbox can be built. */
  readonly bwrap?: string;
  readonly userNamespace?: boolean;
  /** What to install or allow, when it cannot. */
  readonly problem?: string;
}

export interface Diagnosis {
  readonly runtimes: readonly RuntimeState[];
  readonly sandbox: SandboxState;
  /** A malformed <home>/runtimes.json. */
  readonly userFileProblem?: string;
  readonly runtimesFile: string;
}

function shownImages(profile: RuntimeProfile): string[] {
  if (profile.source === 'user') return [...profile.images];
  // The bare `repository:tag` forms, then one regional URI as an example.
  const bare = profile.images.filter((i) => !i.includes('/'));
  const regional = profile.images.find((i) => i.includes('.us-east-1.'));
  return regional ? [...bare, regional] : bare;
}

async function runtimeState(profile: RuntimeProfile): Promise<RuntimeState> {
  const probe = await probeRuntime(profile);
  const modules = profile.modules.map((m) => ({
    module: m,
    library: profile.libraries[m]?.library ?? m,
    imageVersion: profile.libraries[m]?.version ?? '',
    localVersion: probe.versions[m] ?? null,
  }));
  const install = installAdvice(profile, probe);
  return {
    name: profile.name,
    title: profile.title,
    source: profile.source,
    images: shownImages(profile),
    python: profile.python,
    imagePython: profile.imagePython,
    localPython: probe.pythonVersion ?? null,
    training: profile.training,
    serving: profile.serving,
    ready: probe.interpreter && probe.problem === undefined && probe.missing.length === 0,
    modules,
    ...(install !== undefined ? { install } : {}),
    ...(probe.problem !== undefined ? { problem: probe.problem } : {}),
  };
}

async function sandboxState(): Promise<SandboxState> {
  const mode = sandboxMode();
  try {
    const support = await sandboxSupport();
    return { mode, available: true, bwrap: support.bwrap, userNamespace: support.userns };
  } catch (e) {
    return { mode, available: false, problem: (e as Error).message };
  }
}

export async function diagnoseRuntimes(home: string): Promise<Diagnosis> {
  let user: RuntimeProfile[] = [];
  let userFileProblem: string | undefined;
  try {
    user = await loadUserProfiles(home);
  } catch (e) {
    if (!(e instanceof RuntimeUnavailable)) throw e;
    userFileProblem = e.message;
  }
  const [runtimes, sandbox] = await Promise.all([Promise.all([...builtinProfiles(), ...user].map(runtimeState)), sandboxState()]);
  return { runtimes, sandbox, runtimesFile: `${home}/${RUNTIMES_FILE}`, ...(userFileProblem !== undefined ? { userFileProblem } : {}) };
}

export { SANDBOX_ENV };
