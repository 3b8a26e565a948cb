/**
 * Start-up of the `mlops-sfn` command, whole process (spawn to exit), side by side with a bare
 * `node -e 0`: `--version`, and `exec` of a one-state machine. Median of several runs; the bar is
 * at most 2x bare node.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { packageFile } from '../src/core/package-root.js';

const RUNS = 11;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

function wholeProcessMs(args: string[]): number {
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t0 = performance.now();
    const r = spawnSync(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'], timeout: 60_000 });
    times.push(performance.now() - t0);
    if (r.status !== 0) throw new Error(`${args.join(' ')} exited ${r.status}: ${String(r.stderr)}`);
  }
  return median(times);
}

export async function runStartupBench(print: (line: string) => void): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'mlops-sfn-startup-bench-'));
  try {
    const definition = join(dir, 'one.json');
    writeFileSync(definition, JSON.stringify({ StartAt: 'P', States: { P: { Type: 'Pass', End: true } } }));
    const cli = packageFile('dist', 'src', 'cli', 'main.js');
    const bare = wholeProcessMs(['-e', '0']);
    const line = (name: string, ms: number): string =>
      `${name.padEnd(34)} ours ${ms.toFixed(0).padStart(5)} ms   node -e 0 ${bare.toFixed(0).padStart(5)} ms   ratio ${(ms / bare).toFixed(1)}x (bar: 2x)`;
    print(line('mlops-sfn --version', wholeProcessMs([cli, '--version'])));
    print(line('mlops-sfn exec, one Pass state', wholeProcessMs([cli, '--home', join(dir, 'home'), 'exec', definition])));
    print(line('mlops-sfn --help', wholeProcessMs([cli, '--help'])));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
