/**
 * What the container runs, with Docker's rules for an image run by SageMaker:
 *  - ContainerEntrypoint replaces the image's ENTRYPOINT and drops its CMD;
 *  - ContainerArguments replace the image's CMD;
 *  - a training job with neither runs `<ENTRYPOINT> train` (SageMaker passes `train` as the CMD).
 * On a framework image with no ENTRYPOINT, `train` is the SageMaker training toolkit: here the
 * runner's script-mode shim, which on the XGBoost image runs the built-in algorithm when the job
 * names no script. A bare `python`/`python3` is the runtime profile's interpreter, so
 * commands written for the image's conda Python run on the configured one.
 */
import { clientError } from './job-failure.js';
import type { RuntimeProfile } from '../runtimes/index.js';

export interface ContainerCommand {
  readonly argv: string[];
  /** The command is the training toolkit (script mode). */
  readonly scriptMode: boolean;
}

const PYTHON_NAMES = /^python(3(\.\d+)?)?$/;

function stringList(v: unknown, field: string): string[] | undefined {
  if (v === undefined || v === null) return undefined;
  if (!Array.isArray(v) || v.some((s) => typeof s !== 'string')) throw clientError(`${field} must be a list of strings`);
  return v as string[];
}

export function resolveCommand(
  kind: 'processing' | 'training',
  spec: { ContainerEntrypoint?: unknown; ContainerArguments?: unknown },
  profile: RuntimeProfile,
  image: string,
  toolkitScript: string,
): ContainerCommand {
  const section = kind === 'processing' ? 'AppSpecification' : 'AlgorithmSpecification';
  const entrypoint = stringList(spec.ContainerEntrypoint, `${section}.ContainerEntrypoint`);
  const args = stringList(spec.ContainerArguments, `${section}.ContainerArguments`);
  let argv: string[];
  if (entrypoint !== undefined) argv = [...entrypoint, ...(args ?? [])];
  else if (args !== undefined) argv = [...profile.entrypoint, ...args];
  else if (kind === 'training') argv = [...profile.entrypoint, 'train'];
  else argv = [...profile.entrypoint, ...profile.cmd];
  if (argv.length === 0) {
    throw clientError(
      `The image "${image}" has no ENTRYPOINT or CMD to run for a processing job; set ${section}.ContainerEntrypoint (e.g. ["python3", "/opt/ml/processing/input/code/script.py"])`,
    );
  }
  if (argv[0] === 'train' && kind === 'training' && profile.trainingToolkit) {
    // XGBoost's image runs its built-in algorithm when the job names no script (algorithm mode).
    const algorithm = profile.training === 'xgboost-algorithm' ? ['--algorithm', 'xgboost'] : [];
    return { argv: [profile.python, toolkitScript, ...algorithm, ...argv.slice(1)], scriptMode: true };
  }
  if (PYTHON_NAMES.test(argv[0])) argv[0] = profile.python;
  return { argv, scriptMode: false };
}
