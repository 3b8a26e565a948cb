/**
 * The built-in runtimes: the rows of data/runtimes.json (src/core/runtime-images.ts) as runtime
 * profiles, each answering to its image's exact URIs (every region's account with every tag, and
 * the bare `repository:tag`).
 */
import { imageUri, runtimeRows, type RuntimeRow } from '../../../core/runtime-images.js';
import type { RuntimeProfile } from './runtime-profile.js';

const DEFAULT_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

function imagesOf(row: RuntimeRow): string[] {
  const out: string[] = [];
  for (const tag of row.tags) {
    out.push(`${row.repository}:${tag}`);
    for (const region of Object.keys(row.accounts)) out.push(imageUri(row, region, tag)!);
  }
  return out;
}

let builtins: readonly RuntimeProfile[] | undefined;

export function builtinProfiles(): readonly RuntimeProfile[] {
  builtins ??= runtimeRows().map((row) => ({
    name: row.name,
    title: row.title,
    images: imagesOf(row),
    python: row.python,
    path: DEFAULT_PATH,
    modules: row.modules.map((m) => m.module),
    install: Object.fromEntries(row.modules.map((m) => [m.module, m.debian])),
    libraries: Object.fromEntries(row.modules.map((m) => [m.module, { library: m.library, version: row.image.libraries[m.library] ?? '' }])),
    imagePython: row.image.python,
    entrypoint: [],
    cmd: [],
    env: row.env,
    trainingToolkit: row.training !== 'command',
    training: row.training,
    serving: row.serving,
    metricDefinitions: row.metricDefinitions,
    source: 'builtin',
  }));
  return builtins;
}
