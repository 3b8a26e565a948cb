/**
 * Without Docker an image URI can only select a local *runtime*: which Python stands for the image's
 * `python`/`python3`, the PATH, the image's ENV, its ENTRYPOINT/CMD, how its `train` command behaves
 * (the training toolkit's script mode; XGBoost's built-in algorithm when no script is given) and
 * which model server it starts.
 *
 * Built in: the rows of data/runtimes.json (runtime-table.ts), matched by exact image URI. Users add
 * or override runtimes in `<home>/runtimes.json`, e.g. their own virtual environment standing in for
 * a bring-your-own image:
 *
 *   { "profiles": [ { "name": "my-image", "images": ["*.amazonaws.com/my-image:*"],
 *                     "python": "/opt/venv/bin/python3", "modules": ["sklearn", "xgboost"],
 *                     "serving": "sklearn", "training": "toolkit" } ] }
 *
 * Profiles from the file are tried first, in order; `*` in an image pattern matches any characters.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { RuntimeUnavailable } from './runtime-error.js';
import { runtimeRow, runtimeRows, type MetricDefinition, type RuntimeRow, type ServingStack, type TrainingContract } from '../../../core/runtime-images.js';
import { builtinProfiles } from './runtime-table.js';

import type { RuntimeProfile } from './runtime-profile.js';

export type { MetricDefinition, RuntimeProfile, ServingStack, TrainingContract };

const DEFAULT_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

/** Debian packages for the modules the framework images ship. */
const DEBIAN_PACKAGES: Record<string, string> = {
  sklearn: 'python3-sklearn',
  pandas: 'python3-pandas',
  joblib: 'python3-joblib',
  numpy: 'python3-numpy',
  scipy: 'python3-scipy',
  xgboost: 'python3-xgboost',
};

export const RUNTIMES_FILE = 'runtimes.json';

export function imagePatternMatches(pattern: string, image: string): boolean {
  const re = new RegExp('^' + pattern.split('*').map(escapeRegExp).join('.*') + '$');
  return re.test(image);
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Profiles from `<home>/runtimes.json` (none if the file is absent); a bad file fails the job clearly. */
export async function loadUserProfiles(home: string): Promise<RuntimeProfile[]> {
  const file = join(home, RUNTIMES_FILE);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw userFileError(`Cannot read ${file}: ${(err as Error).message}`);
  }
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (err) {
    throw userFileError(`${file} is not valid JSON: ${(err as Error).message}`);
  }
  const list = Array.isArray(doc) ? doc : (doc as { profiles?: unknown } | null)?.profiles;
  if (!Array.isArray(list)) throw userFileError(`${file} must hold {"profiles": [...]} (a list of runtime profiles)`);
  return list.map((p, i) => parseProfile(p, `${file}: profiles[${i}]`));
}

function userFileError(message: string): RuntimeUnavailable {
  return new RuntimeUnavailable('ClientError', message);
}

const TRAINING_CONTRACTS: readonly TrainingContract[] = ['toolkit', 'xgboost-algorithm', 'command'];
const SERVING_STACKS: readonly ServingStack[] = ['sklearn', 'xgboost'];

function parseProfile(raw: unknown, where: string): RuntimeProfile {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw userFileError(`${where} must be an object`);
  const o = raw as Record<string, unknown>;
  const strings = (key: string, dflt: string[]): string[] => {
    const v = o[key];
    if (v === undefined) return dflt;
    if (!Array.isArray(v) || v.some((s) => typeof s !== 'string')) throw userFileError(`${where}.${key} must be a list of strings`);
    return v as string[];
  };
  const stringMap = (key: string): Record<string, string> => {
    const v = o[key];
    if (v === undefined) return {};
    if (typeof v !== 'object' || v === null || Array.isArray(v) || Object.values(v).some((s) => typeof s !== 'string')) {
      throw userFileError(`${where}.${key} must be an object of strings`);
    }
    return { ...(v as Record<string, string>) };
  };
  const images = typeof o['image'] === 'string' ? [o['image']] : strings('images', []);
  if (images.length === 0) throw userFileError(`${where} needs "images": a list of image URI patterns ("*" matches anything)`);
  const python = o['python'] ?? '/usr/bin/python3';
  if (typeof python !== 'string' || !python.startsWith('/')) throw userFileError(`${where}.python must be an absolute path to a Python interpreter`);
  const rawPath = o['path'] ?? DEFAULT_PATH;
  const path = Array.isArray(rawPath) && rawPath.every((s) => typeof s === 'string') ? rawPath.join(':') : rawPath;
  if (typeof path !== 'string') throw userFileError(`${where}.path must be a PATH string or a list of folders`);
  const trainingToolkit = o['trainingToolkit'] ?? true;
  if (typeof trainingToolkit !== 'boolean') throw userFileError(`${where}.trainingToolkit must be true or false`);
  const training = o['training'] ?? (trainingToolkit ? 'toolkit' : 'command');
  if (!TRAINING_CONTRACTS.includes(training as TrainingContract)) throw userFileError(`${where}.training must be one of ${TRAINING_CONTRACTS.join(', ')}`);
  const serving = o['serving'] ?? (training === 'xgboost-algorithm' ? 'xgboost' : 'sklearn');
  if (!SERVING_STACKS.includes(serving as ServingStack)) throw userFileError(`${where}.serving must be one of ${SERVING_STACKS.join(', ')}`);
  const metricDefinitions = o['metricDefinitions'] ?? [];
  if (!Array.isArray(metricDefinitions) || metricDefinitions.some((d) => typeof d !== 'object' || d === null || typeof d.Name !== 'string' || typeof d.Regex !== 'string')) {
    throw userFileError(`${where}.metricDefinitions must be a list of {"Name": ..., "Regex": ...}`);
  }
  const modules = strings('modules', []);
  return {
    name: typeof o['name'] === 'string' ? o['name'] : images[0]!,
    title: typeof o['name'] === 'string' ? o['name'] : images[0]!,
    images,
    python,
    path,
    modules,
    install: { ...DEBIAN_PACKAGES, ...stringMap('install') },
    libraries: {},
    imagePython: '',
    entrypoint: strings('entrypoint', []),
    cmd: strings('cmd', []),
    env: stringMap('env'),
    trainingToolkit: training !== 'command',
    training: training as TrainingContract,
    serving: serving as ServingStack,
    metricDefinitions: metricDefinitions as MetricDefinition[],
    source: 'user',
  };
}

/** The profile for an image: the caller's and the user's profiles first, then the built-in table; a clear failure when none fits. */
export function selectProfile(image: string, userProfiles: readonly RuntimeProfile[], home: string, extra: readonly RuntimeProfile[] = []): RuntimeProfile {
  for (const p of [...extra, ...userProfiles]) {
    if (p.images.some((pat) => imagePatternMatches(pat, image))) return p;
  }
  for (const p of builtinProfiles()) {
    if (p.images.includes(image)) return p;
  }
  throw new RuntimeUnavailable('ClientError', unknownImageMessage(image, home));
}

/** `<account>.dkr.ecr.<region>.<suffix>/<repository>:<tag>` split up (undefined for anything else). */
function parseEcrImage(image: string): { account: string; region: string; repository: string; tag: string } | undefined {
  const m = /^(\d{12})\.dkr\.ecr\.([a-z0-9-]+)\.[a-z0-9.]+\/([^:@]+)(?::([^@]+))?$/.exec(image);
  return m ? { account: m[1]!, region: m[2]!, repository: m[3]!, tag: m[4] ?? 'latest' } : undefined;
}

/** Says what is wrong with the image (unknown, unsupported tag, wrong account), what runs locally, and how to map it. */
export function unknownImageMessage(image: string, home: string): string {
  const ecr = parseEcrImage(image);
  const bare = /^([^/:@]+):([^@]+)$/.exec(image);
  const repository = ecr?.repository ?? bare?.[1];
  const tag = ecr?.tag ?? bare?.[2];
  const row: RuntimeRow | undefined = repository === undefined ? undefined : runtimeRow(repository);
  let why = `No local runtime for image "${image}".`;
  if (row !== undefined && tag !== undefined && !row.tags.includes(tag)) {
    why = `No local runtime for image "${image}": ${row.repository} runs locally only as ${row.tags.map((t) => `:${t}`).join(' or ')} (${row.title}).`;
  } else if (row !== undefined && ecr !== undefined) {
    const expected = Object.prototype.hasOwnProperty.call(row.accounts, ecr.region) ? row.accounts[ecr.region] : undefined;
    why =
      expected === undefined
        ? `No local runtime for image "${image}": SageMaker publishes no ${row.repository} image in region ${ecr.region}.`
        : `No local runtime for image "${image}": SageMaker publishes ${row.repository} in ${ecr.region} from account ${expected}, not ${ecr.account}.`;
  }
  const supported = runtimeRows()
    .map((r) => `${r.title} (<account>.dkr.ecr.<region>.amazonaws.com/${r.repository}:${r.tags.join(' or :')})`)
    .join('; ');
  return `${why} Built in: ${supported}. To run another image, map it to a local Python (e.g. your own virtual environment) in ${join(home, RUNTIMES_FILE)}: {"profiles": [{"images": ["${image}"], "python": "/path/to/venv/bin/python3", "serving": "sklearn"}]}`;
}
