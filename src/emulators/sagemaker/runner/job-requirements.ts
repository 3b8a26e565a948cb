/**
 * Which job has a requirements.txt to install before its command, and where it is:
 *  - a training job in script mode: in its code (/opt/ml/code staged from an S3 prefix, or the
 *    source archive the toolkit will unpack), as sagemaker-training-toolkit installs it;
 *  - a processing job: beside the Python script its command runs from /opt/ml/... (the processing
 *    code input), as the SageMaker SDK's FrameworkProcessor installs it.
 * The layer itself is built (or found in the cache) by ../pip-layer/.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { JobContext, JobSpec } from '../contracts.js';
import type { SandboxMode, SandboxSupport } from '../sandbox/index.js';
import { toHostPath } from './container-env.js';
import { CONTAINER_OPT_ML, resolvesInside, type JobFolders } from './container-paths.js';
import type { PreparedJob } from './job-prepare.js';
import type { LogSink } from './log-sink.js';
import { maxRuntimeSeconds, stringMap } from './request-fields.js';
import {
  LAYER_MOUNT,
  PipInstallStopped,
  PipLayerUnavailable,
  readArchiveMember,
  requirementsLayer,
  RequirementsInstallError,
  type RequirementsLayer,
} from '../pip-layer/index.js';
import { internalError, JobAborted, JobFailure } from './job-failure.js';
import { networkIsolation } from './sandbox.js';
import { existsSync } from 'node:fs';

export interface JobRequirementsOptions {
  readonly folders: JobFolders;
  readonly mode: SandboxMode;
  readonly support: SandboxSupport | undefined;
  readonly log: LogSink;
  /** This machine's environment, for pip's settings (default process.env). */
  readonly hostEnv?: Readonly<Record<string, string | undefined>>;
}

/** The host folder whose requirements.txt the job installs, if it has one. */
async function requirementsFolder(job: JobSpec, prepared: PreparedJob, folders: JobFolders, mode: SandboxMode): Promise<string | undefined> {
  if (job.kind === 'training') {
    if (!prepared.scriptMode) return undefined;
    const code = join(folders.optMl, 'code');
    if (existsSync(join(code, 'requirements.txt'))) return code;
    if (prepared.sourceArchive === undefined) return undefined;
    const text = await readArchiveMember(prepared.sourceArchive, ['requirements.txt', './requirements.txt']);
    if (text === undefined) return undefined;
    // Only the file is taken out here; the toolkit shim unpacks the whole archive in the sandbox.
    const dir = join(dirname(folders.tmp), 'requirements-src');
    await mkdir(dir, { recursive: true });
    await writeFile(join(dir, 'requirements.txt'), text);
    return dir;
  }
  const script = prepared.argv.find((a) => a.endsWith('.py') && (a.startsWith(CONTAINER_OPT_ML + '/') || a.startsWith(folders.optMl + '/')));
  if (script === undefined) return undefined;
  const host = mode === 'bwrap' ? toHostPath(script, folders.optMl) : script;
  const dir = dirname(host);
  if (!existsSync(join(dir, 'requirements.txt')) || !(await resolvesInside(folders.optMl, join(dir, 'requirements.txt')))) return undefined;
  return dir;
}

/** Installs the job's requirements.txt into its layer (or takes it from the cache); throws a JobFailure when pip fails. */
export async function installJobRequirements(job: JobSpec, ctx: JobContext, prepared: PreparedJob, o: JobRequirementsOptions): Promise<RequirementsLayer | undefined> {
  const codeDir = await requirementsFolder(job, prepared, o.folders, o.mode);
  if (codeDir === undefined) return undefined;
  const profile = prepared.runtime.profile!;
  try {
    return await requirementsLayer(
    { codeDir },
    {
      home: ctx.home,
      python: profile.python,
      runtimeFolders: prepared.runtimeFolders,
      scratchDir: dirname(o.folders.tmp),
      mode: o.mode,
      support: o.support,
      network: !networkIsolation(job),
      requestEnv: stringMap(job.request, 'Environment'),
      ...(o.hostEnv !== undefined ? { hostEnv: o.hostEnv } : {}),
      log: { write: (line) => o.log.write(line, 'stderr') },
      signal: ctx.signal,
      maxRuntimeMs: maxRuntimeSeconds(job.request) * 1000,
    },
  );
  } catch (e) {
    // As the toolkit reports it: AlgorithmError: <its text>, with the exit code for training.
    if (e instanceof RequirementsInstallError) throw new JobFailure('AlgorithmError', job.kind === 'training' ? `${e.toolkitText}, exit code: 1` : e.toolkitText);
    if (e instanceof PipInstallStopped) {
      if (e.reason === 'aborted') throw new JobAborted();
      throw new JobFailure('AlgorithmError', 'InstallRequirementsError: pip did not finish within MaxRuntimeInSeconds');
    }
    if (e instanceof PipLayerUnavailable) throw internalError(e.message);
    throw e;
  }
}

/** The job's environment with the layer's site-packages on PYTHONPATH (after the request's own). */
export function withLayer(env: Readonly<Record<string, string>>, layer: RequirementsLayer, mode: SandboxMode): Record<string, string> {
  const site = join(mode === 'bwrap' ? LAYER_MOUNT : layer.hostDir, layer.sitePackages);
  const own = env['PYTHONPATH'];
  return { ...env, PYTHONPATH: own !== undefined && own !== '' ? `${own}:${site}` : site };
}
