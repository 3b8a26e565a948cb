// Bundles the compiled command (dist/src/cli/main.js and what it imports of ours) into dist/cli/,
// the package's `bin`. Node 20 loads each ES module file separately (resolve, read, compile), and
// `exec` of a one-state machine imports over a hundred of ours: one file per lazily loaded command
// (esbuild's code splitting keeps the command table's lazy imports lazy) halves that cost.
// Packages stay external: they resolve from node_modules as before, and the native SQLite driver
// cannot be bundled. It also writes dist/cli/commands.json, every command's help line, so the
// program's own `--help` loads no command module (src/cli/command-table.ts).
import { build } from 'esbuild';
import { chmodSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const out = join(root, 'dist/cli');
rmSync(out, { recursive: true, force: true });

await build({
  entryPoints: [join(root, 'dist/src/cli/main.js')],
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  packages: 'external',
  outdir: out,
  chunkNames: 'chunks/[name]-[hash]',
  logLevel: 'warning',
});
chmodSync(join(out, 'main.js'), 0o755);

const { Command } = await import('commander');
const table = await import(pathToFileURL(join(root, 'dist/src/cli/command-table.js')).href);
const program = new Command('mlops-sfn');
for (const entry of table.COMMANDS) (await entry.load())(program, () => '.mlops');
writeFileSync(join(out, 'commands.json'), JSON.stringify(table.commandSummaries(program), null, 1) + '\n');
