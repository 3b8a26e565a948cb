import { stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { UserError } from '../core/errors.js';
import { readUserFile } from '../core/user-file.js';
import { entryPointProblems } from './entry-points.js';
import { parsePipelineText } from './parse-pipeline.js';
import { pipelineScripts, type PipelineScript } from './pipeline-scripts.js';
import { hasErrors, sortProblems } from './problems.js';
import type { PipelineConfig } from './pipeline-schema.js';
import type { ConfigProblem } from './problems.js';
import { ruleMetricProblems, type EvaluationMetricsLookup } from './rule-metrics.js';
import { MAX_YAML_BYTES } from './yaml-source.js';

/** File names looked for in a pipeline folder, in order (input.yaml is the seed's name). */
export const PIPELINE_FILE_NAMES = ['pipeline.yaml', 'pipeline.yml', 'input.yaml', 'input.yml'] as const;

export interface LoadedPipeline {
  /** The pipeline file that was read. */
  file: string;
  /** Its folder: scripts and data referenced by the example live next to it. */
  dir: string;
  yamlText: string;
  /** Undefined when `problems` holds an error. */
  config?: PipelineConfig;
  problems: ConfigProblem[];
}

/**
 * Reads and validates a pipeline: a YAML file, or a folder holding pipeline.yaml (or the seed's
 * input.yaml). Problems in the file are returned, not thrown; a path that is not there throws a
 * UserError saying what was looked for.
 */
export interface LoadPipelineOptions {
  /** What the evaluation step writes, when that can be known (validate looks in the home). */
  evaluationMetrics?: EvaluationMetricsLookup;
}

export async function loadPipeline(dirOrFile: string, options: LoadPipelineOptions = {}): Promise<LoadedPipeline> {
  const file = await pipelineFile(dirOrFile);
  const bytes = await readUserFile(file, {
    what: 'pipeline file',
    maxBytes: MAX_YAML_BYTES,
    tooLarge: (path, max) => new UserError(`${path}: the file is larger than ${max / 1024} KiB (a pipeline file is a few KiB; check that this is the right file)`),
  });
  const yamlText = bytes.toString('utf8');
  const dir = dirname(file);
  const parsed = parsePipelineText(yamlText, file);
  if (!parsed.config) return { file, dir, yamlText, problems: parsed.problems };
  // What only the folder can tell: entry points that name a script the folder does not have.
  const scriptFiles = await pipelineScripts(dir);
  const scripts = scriptFiles.map((s) => s.rel);
  const found = [...parsed.problems, ...entryPointProblems(parsed.config, parsed.sourceMap, file, scripts, dir)];
  const c = parsed.config;
  const namesMetrics = c.approval.rules.length > 0 || (c.approval.compare_to_approved ?? null) !== null;
  if (options.evaluationMetrics && namesMetrics && c.evaluation?.run === true && !hasErrors(found)) {
    const known = await options.evaluationMetrics(c, await newestChange(scriptFiles));
    if (known) found.push(...ruleMetricProblems(c, parsed.sourceMap, file, known));
  }
  const problems = sortProblems(found);
  return { file, dir, yamlText, ...(hasErrors(problems) ? {} : { config: parsed.config }), problems };
}

/** When any of the scripts last changed (ms since the epoch); 0 for none. */
async function newestChange(scripts: readonly PipelineScript[]): Promise<number> {
  let newest = 0;
  for (const s of scripts) newest = Math.max(newest, (await stat(s.file)).mtimeMs);
  return newest;
}

async function pipelineFile(dirOrFile: string): Promise<string> {
  let st;
  try {
    st = await stat(dirOrFile);
  } catch {
    throw new UserError(`${dirOrFile}: no such file or folder (give a pipeline YAML file, or a folder with ${PIPELINE_FILE_NAMES[0]})`);
  }
  if (!st.isDirectory()) return dirOrFile;
  for (const name of PIPELINE_FILE_NAMES) {
    const candidate = join(dirOrFile, name);
    try {
      // Any kind of file is chosen: the reader then says what is wrong with a FIFO or a device.
      await stat(candidate);
      return candidate;
    } catch {
      /* try the next name */
    }
  }
  throw new UserError(`${dirOrFile}: no pipeline file in this folder (expected one of ${PIPELINE_FILE_NAMES.join(', ')})`);
}
