/**
 * Start-up of the `mlops-sfn` command, whole process (spawn to exit), side by side with a bare
 * `node -e 0`: `--version`, and `exec` of a one-state machine. Median of several runs; the bar is
 * at most 2x bare node.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { packageFile } from '../src/core/package-root.js';

const RUNS = 11;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

function onceMs(args: string[]): number {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'], timeout: 60_000 });
  const ms = performance.now() - t0;
  if (r.status !== 0) throw new Error(`${args.join(' ')} exited ${r.status}: ${String(r.stderr)}`);
  return ms;
}

/**
 * Medians of whole-process runs of each command line, the runs interleaved (bare node, then each
 * command, RUNS times) so that a change in the machine's load touches every figure alike.
 */
function interleavedMedians(lines: readonly string[][]): number[] {
  const times = lines.map((): number[] => []);
  for (let i = 0; i < RUNS; i++) lines.forEach((args, k) => times[k]!.push(onceMs(args)));
  return times.map(median);
}

export async function runStartupBench(print: (line: string) => void): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'mlops-sfn-startup-bench-'));
  try {
    const definition = join(dir, 'one.json');
    writeFileSync(definition, JSON.stringify({ StartAt: 'P', States: { P: { Type: 'Pass', End: true } } }));
    // The command as installed: package.json's bin, the bundle in dist/cli/.
    const pkg = JSON.parse(readFileSync(packageFile('package.json'), 'utf8')) as { bin: Record<string, string> };
    const cli = packageFile(pkg.bin['mlops-sfn']!);
    const home = join(dir, 'home');
    const [bare, version, exec, help] = interleavedMedians([
      ['-e', '0'],
      [cli, '--version'],
      [cli, '--home', home, 'exec', definition],
      [cli, '--help'],
    ]) as [number, number, number, number];
    const line = (name: string, ms: number): string =>
      `${name.padEnd(34)} ours ${ms.toFixed(0).padStart(5)} ms   node -e 0 ${bare.toFixed(0).padStart(5)} ms   ratio ${(ms / bare).toFixed(1)}x (bar: 2x)`;
    print(line('mlops-sfn --version', version));
    print(line('mlops-sfn exec, one Pass state', exec));
    print(line('mlops-sfn --help', help));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
