/**
 * Whether a runtime's interpreter exists and has the modules the image ships, so a missing
 * `python3-xgboost` fails the job with what to install instead of an ImportError deep in the user's
 * log. `probeRuntime` reports what it finds (for `doctor`); `checkRuntime` turns a shortfall into a
 * RuntimeUnavailable and caches the answer per interpreter and module list for the life of the
 * process (one Python start, ~30 ms, per runtime).
 */
import { spawn } from 'node:child_process';
import { access, constants } from 'node:fs/promises';
import { packageFile } from '../../../core/package-root.js';
import { RuntimeUnavailable } from './runtime-error.js';
import { RUNTIMES_FILE, type RuntimeProfile } from './runtime-profiles.js';

export interface RuntimeProbe {
  /** The interpreter exists and is executable. */
  readonly interpreter: boolean;
  /** Its version (`3.11.2`), when it started. */
  readonly pythonVersion?: string;
  /** Module -> installed version ('' when the version is unknown), or null when it cannot be imported. */
  readonly versions: Readonly<Record<string, string | null>>;
  readonly missing: readonly string[];
  /** Why the interpreter could not be asked, when it could not. */
  readonly problem?: string;
}

const PROBE_TIMEOUT_MS = 30_000;

export async function probeRuntime(profile: RuntimeProfile): Promise<RuntimeProbe> {
  try {
    await access(profile.python, constants.X_OK);
  } catch {
    return { interpreter: false, versions: {}, missing: [...profile.modules], problem: `${profile.python} is missing or not executable` };
  }
  const script = packageFile('src', 'emulators', 'sagemaker', 'python', 'runner', 'check_runtime.py');
  const args = profile.modules.map((m) => `${m}=${profile.libraries[m]?.library ?? m}`);
  const out = await new Promise<{ ok: true; stdout: string } | { ok: false; problem: string }>((resolve) => {
    const child = spawn(profile.python, ['-s', '-E', script, ...args], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { PATH: profile.path, LANG: 'C.UTF-8' },
      timeout: PROBE_TIMEOUT_MS,
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', (err) => resolve({ ok: false, problem: `cannot run ${profile.python}: ${err.message}` }));
    child.on('close', (code) => {
      if (code === 0) resolve({ ok: true, stdout });
      else resolve({ ok: false, problem: `${profile.python} failed to start (exit ${code}): ${stderr.trim().slice(0, 300)}` });
    });
  });
  if (!out.ok) return { interpreter: true, versions: {}, missing: [...profile.modules], problem: out.problem };
  try {
    const answer = JSON.parse(out.stdout.trim().split('\n').pop() ?? '{}') as { python: string; missing: string[]; versions?: Record<string, string | null> };
    return { interpreter: true, pythonVersion: answer.python, versions: answer.versions ?? {}, missing: answer.missing };
  } catch {
    return { interpreter: true, versions: {}, missing: [...profile.modules], problem: `unexpected answer from ${profile.python}: ${out.stdout.slice(0, 200)}` };
  }
}

/** `apt-get install ...` for what the probe found missing. */
export function installAdvice(profile: RuntimeProfile, probe: RuntimeProbe): string | undefined {
  if (!probe.interpreter) return `apt-get install python3${installHint(profile, profile.modules)}`;
  if (probe.missing.length > 0) return `apt-get install${installHint(profile, probe.missing)}`;
  return undefined;
}

const cache = new Map<string, Promise<void>>();

export function checkRuntime(profile: RuntimeProfile, home: string): Promise<void> {
  const key = JSON.stringify([profile.python, [...profile.modules].sort()]);
  let p = cache.get(key);
  if (p === undefined) {
    p = runCheck(profile, home);
    cache.set(key, p);
    // A failed check is retried next time: the user may have installed what was missing.
    p.catch(() => cache.delete(key));
  }
  return p;
}

async function runCheck(profile: RuntimeProfile, home: string): Promise<void> {
  const where = `the runtime profile "${profile.name}" (configurable in ${home}/${RUNTIMES_FILE})`;
  const probe = await probeRuntime(profile);
  if (!probe.interpreter) {
    throw new RuntimeUnavailable(
      'InternalServerError',
      `The Python interpreter ${profile.python} used by ${where} is missing or not executable. Install it (Debian: ${installAdvice(profile, probe)}) or point the profile at another interpreter.`,
    );
  }
  if (probe.problem !== undefined) throw new RuntimeUnavailable('InternalServerError', `${probe.problem} (${where})`);
  const missing = probe.missing;
  if (missing.length > 0) {
    throw new RuntimeUnavailable(
      'InternalServerError',
      `The image's Python module${missing.length > 1 ? 's' : ''} ${missing.join(', ')} ${missing.length > 1 ? 'are' : 'is'} not installed for ${profile.python} (${where}). Install: ${installAdvice(profile, probe)}`,
    );
  }
}

function installHint(profile: RuntimeProfile, modules: readonly string[]): string {
  return modules.map((m) => ' ' + (profile.install[m] ?? `python3-${m}`)).join('');
}

/** For tests: forget cached answers. */
export function clearRuntimeCheckCache(): void {
  cache.clear();
}
