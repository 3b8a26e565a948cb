/**
 * The one tar writer, over the `tar` package: gzipped archives as SageMaker's tools make them.
 *  - `tarGzFiles`: in-memory files (a pipeline's `source.tar.gz`): regular files, mode 0644, owner
 *    0:0, time 0, sorted by name, so the same scripts always give the same bytes (and S3 ETag).
 *  - `tarGzFolder`: a folder's contents (a job's `model.tar.gz`, `output.tar.gz`): members relative
 *    to the folder with no "./" prefix (`model.joblib`, as SageMaker lists them), every folder's
 *    entries sorted by name, owner 0:0; symlinks are stored as links, never followed; sockets and
 *    FIFOs are left out.
 * Member names are data, never options; nothing runs a program or a shell.
 */
import { createWriteStream } from 'node:fs';
import { lstat, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { Header, Pack, PackSync, ReadEntry } from 'tar';
import { UserError } from './errors.js';

export interface ArchiveFile {
  /** Relative path with `/` separators. */
  readonly name: string;
  readonly body: Buffer;
}

function byName(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function checkMemberName(name: string): void {
  if (name === '' || name.startsWith('/') || name.split('/').some((p) => p === '..' || p === '')) {
    throw new UserError(`cannot archive ${JSON.stringify(name)}: archive members must be relative paths inside the folder`, 'UNSAFE_PATH');
  }
}

/** A gzipped tar of `files` (synchronous: scripts are small and already in memory). */
export function tarGzFiles(files: readonly ArchiveFile[]): Buffer {
  const sorted = [...files].sort((a, b) => byName(a.name, b.name));
  for (const f of sorted) checkMemberName(f.name);
  // portable: owner ids and names left empty (they read as 0:0); the tar package writes no group name anyway.
  const pack = new PackSync({ gzip: { level: 9 }, portable: true });
  const chunks: Buffer[] = [];
  pack.on('data', (c: Buffer) => chunks.push(c));
  for (const f of sorted) {
    const header = new Header({ path: f.name, type: 'File', mode: 0o644, size: f.body.length, mtime: new Date(0) });
    const entry = new ReadEntry(header);
    pack.add(entry);
    entry.end(f.body);
  }
  pack.end();
  return Buffer.concat(chunks);
}

/** Writes a gzipped tar of `sourceDir`'s contents to `outFile`. */
export async function tarGzFolder(sourceDir: string, outFile: string): Promise<void> {
  const members = await sortedMembers(sourceDir, '');
  // portable: no owner names, ids or access times of this machine (they read as 0:0). Pack itself,
  // not tar.create: create reads a member named "@x" as another archive to copy in.
  const pack = new Pack({ cwd: sourceDir, gzip: true, portable: true, noDirRecurse: true });
  const out = createWriteStream(outFile);
  const written = new Promise<void>((resolve, reject) => {
    out.on('error', reject);
    out.on('close', () => resolve());
    pack.on('error', (err: unknown) => {
      out.destroy();
      reject(err);
    });
  });
  pack.pipe(out);
  for (const m of members) pack.add(m);
  pack.end();
  await written;
}

/** Every path under `dir` (folders before their contents), each folder's entries sorted by name, as GNU tar's --sort=name. */
async function sortedMembers(root: string, rel: string): Promise<string[]> {
  const names = (await readdir(join(root, rel))).sort(byName);
  const out: string[] = [];
  for (const name of names) {
    const member = rel === '' ? name : `${rel}/${name}`;
    out.push(member);
    if ((await lstat(join(root, member))).isDirectory()) out.push(...(await sortedMembers(root, member)));
  }
  return out;
}
