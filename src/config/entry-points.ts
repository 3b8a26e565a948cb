/**
 * Entry points a pipeline names that would not be there when its job starts. The pipeline's scripts
 * are uploaded to `<model-name>/scripts/` and reach a container through an input whose S3 URI is
 * that prefix: a processing input's LocalPath, a training channel (`/opt/ml/input/data/<channel>`),
 * or a framework container's submit directory (`sagemaker_submit_directory` / `SAGEMAKER_SUBMIT_DIRECTORY`,
 * the folder or its `source.tar.gz`). A `ContainerEntrypoint` path under such a mount, a
 * `sagemaker_program` or a `SAGEMAKER_PROGRAM` must then be one of the folder's files; otherwise
 * the job fails minutes into a cloud run with "No such file or directory".
 */
import { isJsonObject, type Json, type JsonObject } from '../core/json.js';
import type { PathSegment } from './field-path.js';
import type { PipelineConfig } from './pipeline-schema.js';
import type { ConfigProblem } from './problems.js';
import type { SourceMap } from './yaml-source.js';
import { locatedProblem } from './located-problem.js';

const SOURCE_ARCHIVE = 'source.tar.gz';

/** A folder of the scripts prefix (`sub`, "" for the prefix itself), or the archive of all of it. */
type ScriptsLocation = { kind: 'folder'; sub: string } | { kind: 'archive' };

/** Where an S3 URI points inside the pipeline's scripts prefix, or undefined when it points elsewhere. */
export function scriptsLocation(uri: Json | undefined, modelId: string): ScriptsLocation | undefined {
  if (typeof uri !== 'string') return undefined;
  const m = /^s3:\/\/[^/]+\/([^/]+)\/scripts(?:\/(.*))?$/.exec(uri);
  if (!m || (m[1] !== modelId && m[1] !== 'MODEL_NAME')) return undefined;
  const sub = (m[2] ?? '').replace(/\/+$/, '');
  if (sub === SOURCE_ARCHIVE) return { kind: 'archive' };
  return { kind: 'folder', sub };
}

interface Mount {
  localPath: string;
  sub: string;
}

export function entryPointProblems(config: PipelineConfig, sourceMap: SourceMap, file: string, scripts: readonly string[], dir: string): ConfigProblem[] {
  const out: ConfigProblem[] = [];
  const have = new Set(scripts);
  const listed = scripts.length > 0 ? scripts.join(', ') : 'none';
  const missing = (path: PathSegment[], what: string, rel: string) => {
    out.push(
      locatedProblem(
        sourceMap,
        file,
        path,
        `${what} is not in the pipeline folder, so the job would fail to start it (add ${rel} to ${dir}, or fix the path; the folder's scripts: ${listed})`,
      ),
    );
  };
  const checkEntrypoint = (path: PathSegment[], entrypoint: Json | undefined, mounts: Mount[]) => {
    if (!Array.isArray(entrypoint)) return;
    entrypoint.forEach((arg, i) => {
      if (typeof arg !== 'string') return;
      for (const m of mounts) {
        if (!arg.startsWith(m.localPath + '/')) continue;
        const rel = joinRel(m.sub, arg.slice(m.localPath.length + 1));
        if (!have.has(rel)) missing([...path, i], arg, rel);
      }
    });
  };
  const checkProgram = (path: PathSegment[], program: Json | undefined, submitDir: Json | undefined) => {
    if (typeof program !== 'string') return;
    const where = scriptsLocation(unquote(submitDir), config.model_id);
    if (!where) return;
    const rel = joinRel(where.kind === 'folder' ? where.sub : '', unquote(program) as string);
    if (!have.has(rel)) missing(path, unquote(program) as string, rel);
  };

  for (const stage of ['preprocessing', 'evaluation'] as const) {
    const input = config[stage]?.run === true ? config[stage]?.input : undefined;
    if (!isJsonObject(input ?? null)) continue;
    const mounts: Mount[] = [];
    for (const pi of arrayOf(input!['ProcessingInputs'])) {
      const s3 = pi['S3Input'];
      if (!isJsonObject(s3) || typeof s3['LocalPath'] !== 'string') continue;
      const where = scriptsLocation(s3['S3Uri'], config.model_id);
      if (where?.kind === 'folder') mounts.push({ localPath: s3['LocalPath'].replace(/\/+$/, ''), sub: where.sub });
    }
    const app = input!['AppSpecification'];
    if (isJsonObject(app)) checkEntrypoint([stage, 'input', 'AppSpecification', 'ContainerEntrypoint'], app['ContainerEntrypoint'], mounts);
  }

  const training = config.training?.run === true ? config.training.input : undefined;
  if (isJsonObject(training ?? null)) {
    const mounts: Mount[] = [];
    for (const channel of arrayOf(training!['InputDataConfig'])) {
      const source = channel['DataSource'];
      const s3 = isJsonObject(source) ? source['S3DataSource'] : undefined;
      if (typeof channel['ChannelName'] !== 'string' || !isJsonObject(s3 ?? null)) continue;
      const where = scriptsLocation((s3 as JsonObject)['S3Uri'], config.model_id);
      if (where?.kind === 'folder') mounts.push({ localPath: `/opt/ml/input/data/${channel['ChannelName']}`, sub: where.sub });
    }
    const algo = training!['AlgorithmSpecification'];
    if (isJsonObject(algo)) checkEntrypoint(['training', 'input', 'AlgorithmSpecification', 'ContainerEntrypoint'], algo['ContainerEntrypoint'], mounts);
    const hp = training!['HyperParameters'];
    if (isJsonObject(hp)) checkProgram(['training', 'input', 'HyperParameters', 'sagemaker_program'], hp['sagemaker_program'], hp['sagemaker_submit_directory']);
  }

  const model = config.CreateModel?.run === true ? config.CreateModel.input : undefined;
  if (isJsonObject(model ?? null)) {
    const containers: [PathSegment[], Json | undefined][] = [[['CreateModel', 'input', 'PrimaryContainer'], model!['PrimaryContainer']]];
    arrayOf(model!['Containers']).forEach((c, i) => containers.push([['CreateModel', 'input', 'Containers', i], c]));
    for (const [path, c] of containers) {
      if (!isJsonObject(c ?? null)) continue;
      const env = (c as JsonObject)['Environment'];
      if (isJsonObject(env)) checkProgram([...path, 'Environment', 'SAGEMAKER_PROGRAM'], env['SAGEMAKER_PROGRAM'], env['SAGEMAKER_SUBMIT_DIRECTORY']);
    }
  }
  return out;
}

function arrayOf(v: Json | undefined): JsonObject[] {
  return Array.isArray(v) ? v.filter(isJsonObject) : [];
}

/** Framework hyperparameters are JSON-encoded strings (`"\"train.py\""`), as the SageMaker SDK writes them. */
function unquote(v: Json | undefined): Json | undefined {
  if (typeof v !== 'string' || !/^".*"$/.test(v)) return v;
  try {
    const parsed = JSON.parse(v) as unknown;
    return typeof parsed === 'string' ? parsed : v;
  } catch {
    return v;
  }
}

function joinRel(sub: string, rest: string): string {
  const parts = [...sub.split('/'), ...rest.split('/')].filter((p) => p !== '' && p !== '.');
  return parts.join('/');
}
