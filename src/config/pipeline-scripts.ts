/**
 * The scripts that travel with a pipeline: its `scripts/` folder (the seed's layout), else the
 * Python files beside the pipeline file (the census example's layout). `run`, `serve` and `deploy`
 * upload exactly these to `<model-name>/scripts/`; `validate` checks entry points against them.
 */
import { readdir } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';

export interface PipelineScript {
  /** The file on disk. */
  file: string;
  /** Its name under the scripts prefix, with "/" separators. */
  rel: string;
}

export async function pipelineScripts(dir: string): Promise<PipelineScript[]> {
  const scriptsDir = join(dir, 'scripts');
  const nested = await listFiles(scriptsDir);
  if (nested.length > 0) return nested.map((file) => ({ file, rel: relative(scriptsDir, file).split(sep).join('/') }));
  const beside = await readdir(dir, { withFileTypes: true });
  return beside
    .filter((d) => d.isFile() && d.name.endsWith('.py'))
    .map((d) => d.name)
    .sort()
    .map((name) => ({ file: join(dir, name), rel: name }));
}

/** Regular files under `dir`, recursively, sorted; none when it does not exist. Symlinks are not followed. */
async function listFiles(dir: string): Promise<string[]> {
  let names;
  try {
    names = await readdir(dir, { withFileTypes: true });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw e;
  }
  const out: string[] = [];
  for (const d of names.sort((a, b) => (a.name < b.name ? -1 : 1))) {
    if (d.name === '__pycache__') continue;
    const p = join(dir, d.name);
    if (d.isDirectory()) out.push(...(await listFiles(p)));
    else if (d.isFile()) out.push(p);
  }
  return out;
}
