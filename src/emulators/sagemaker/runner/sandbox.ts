/**
 * A job's sandbox: the shared one (../sandbox/bwrap-args.ts: runtime folders read-only, no
 * capabilities, new namespaces, the network only without EnableNetworkIsolation) with the job's
 * own folders, so scripts that hard-code `/opt/ml/...` work and concurrent jobs never see each
 * other's files:
 *  - `<workDir>/opt/ml` read-write at /opt/ml (FastFile channels re-bound read-only inside it);
 *  - `<workDir>/tmp` at /tmp (private, on disk), `<workDir>/home` at /root (HOME, as in a
 *    container running as root);
 *  - the runner's Python shims read-only at SHIM_MOUNT, and the job's requirements.txt layer (if
 *    any) read-only at LAYER_MOUNT.
 * Nothing else of the host, the local home included, is there to hide.
 *
 * `MLOPS_SFN_SANDBOX=off` (or the runner option `sandbox: 'none'`) runs the command directly
 * instead, with a warning in the job's log: no namespace, the job's folders are the real ones
 * (SAGEMAKER_BASE_DIR and the SM_* paths point at them), literal `/opt/ml/...` paths inside scripts
 * do not work, and nothing isolates the job from the machine.
 */
import { realpathSync } from 'node:fs';
import { join, relative } from 'node:path';
import { packageFile } from '../../../core/package-root.js';
import type { JobSpec } from '../contracts.js';
import { LAYER_MOUNT } from '../pip-layer/index.js';
import { runtimeFolders, sandboxArgs, SandboxUnavailable, type SandboxMode, type SandboxSupport } from '../sandbox/index.js';
import type { JobFolders } from './container-paths.js';
import { clientError, internalError, type JobFailure } from './job-failure.js';
import type { LogSink } from './log-sink.js';
import { bool, obj } from './request-fields.js';
import type { RuntimeProfile } from '../runtimes/index.js';

export { SANDBOX_ENV, type SandboxMode } from '../sandbox/index.js';

/** Where the runner's Python shims are mounted inside the sandbox. */
export const SHIM_MOUNT = '/opt/mlops-sfn/runner';
export { LAYER_MOUNT } from '../pip-layer/index.js';

export interface JobSandboxSpec {
  readonly folders: JobFolders;
  /** Host folder of the runner's Python shims (mounted read-only at SHIM_MOUNT). */
  readonly shimDir: string;
  /** Container folders under /opt/ml re-bound read-only (FastFile channels). */
  readonly readOnlyInOptMl: readonly string[];
  /** The runtime's interpreter folders outside /usr (see runtimeFolders). */
  readonly runtimeFolders: readonly string[];
  /** False when the request sets EnableNetworkIsolation. */
  readonly network: boolean;
  /** The job's requirements.txt layer (host folder), read-only at LAYER_MOUNT. */
  readonly requirementsLayer?: string;
  /** Working directory inside the sandbox. */
  readonly cwd: string;
  /** File descriptor bwrap reports its status on (JSON lines: child-pid, exit-code). */
  readonly statusFd: number;
  readonly support: SandboxSupport;
}

/** The host folder of the runner's Python shims (python/runner/), as bound at SHIM_MOUNT. */
export function shimHostDir(): string {
  return realpathSync(packageFile('src', 'emulators', 'sagemaker', 'python', 'runner'));
}

/**
 * The runtime's own folders the sandbox binds read-only (its interpreter's installation outside
 * /usr); none without a sandbox. A runtime that would open the home or the host fails the job.
 */
export function jobRuntimeFolders(profile: RuntimeProfile, mode: SandboxMode, home: string): readonly string[] {
  if (mode !== 'bwrap') return [];
  const found = runtimeFolders(profile.python, home);
  if ('problem' in found) throw internalError(`Runtime profile "${profile.name}": ${found.problem}.`);
  return found.folders;
}

/**
 * EnableNetworkIsolation: top-level in CreateTrainingJob, under NetworkConfig in
 * CreateProcessingJob. Either cuts the job's network entirely, as on SageMaker.
 */
export function networkIsolation(job: JobSpec): boolean {
  const isolated = job.kind === 'training' ? bool(job.request, 'EnableNetworkIsolation') : bool(obj(job.request, 'NetworkConfig'), 'EnableNetworkIsolation');
  return isolated === true;
}

/** The machine's sandbox support; its absence fails the job with what to install, also in the job's log. */
export async function requireSandbox(support: Promise<SandboxSupport>, log: LogSink): Promise<SandboxSupport> {
  try {
    return await support;
  } catch (err) {
    if (!(err instanceof SandboxUnavailable)) throw err;
    log.write(`mlops-sfn: ${err.message}`, 'stderr');
    throw internalError(err.message);
  }
}

/**
 * The bwrap arguments (before the command) for one job: every bind the job's sandbox has is listed
 * here (the shared system folders and `runtimeFolders` are added by ../sandbox/bwrap-args.ts).
 */
export function jobSandboxArgs(spec: JobSandboxSpec): string[] {
  return sandboxArgs({
    binds: [
      { host: spec.folders.optMl, visible: '/opt/ml' },
      ...spec.readOnlyInOptMl.map((p) => ({ host: join(spec.folders.optMl, relative('/opt/ml', p)), visible: p, readOnly: true })),
      { host: spec.shimDir, visible: SHIM_MOUNT, readOnly: true },
      ...(spec.requirementsLayer !== undefined ? [{ host: spec.requirementsLayer, visible: LAYER_MOUNT, readOnly: true }] : []),
      { host: spec.folders.tmp, visible: '/tmp' },
      { host: spec.folders.home, visible: '/root' },
    ],
    runtimeFolders: spec.runtimeFolders,
    network: spec.network,
    cwd: spec.cwd,
    statusFd: spec.statusFd,
    support: spec.support,
  });
}

/**
 * Why bwrap could not start the command, from its own "bwrap: ..." lines: the command itself could
 * not be executed (the request's fault), or the sandbox could not be built (this machine's).
 */
export function diagnoseLaunchFailure(bwrapLines: readonly string[], argv0: string): JobFailure {
  const text = bwrapLines.map((l) => l.replace(/^bwrap: /, '')).join('; ');
  const exec = /^bwrap: execvp (.*): (.*)$/.exec(bwrapLines.find((l) => l.startsWith('bwrap: execvp ')) ?? '');
  if (exec) return execFailure(exec[1], exec[2]);
  return internalError(`The job sandbox (bubblewrap) failed to start ${JSON.stringify(argv0)}: ${text || 'no message'}.`);
}

export function execFailure(command: string, reason: string): JobFailure {
  return clientError(`Cannot start the container's command: exec ${JSON.stringify(command)}: ${reason} (check ContainerEntrypoint, and that the program exists in the image's runtime)`);
}
