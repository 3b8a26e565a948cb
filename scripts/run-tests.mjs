// Runs every compiled test file (dist/tests/**/*.test.js) with Node's built-in test runner. Tests
// live under tests/ only, so the published dist/src holds no test code.
// Node 20 has no glob support in `node --test`, so the files are listed here.
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';

function collect(dir, out) {
  let names;
  try { names = readdirSync(dir); } catch { return out; }
  for (const name of names) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) collect(p, out);
    else if (name.endsWith('.test.js')) out.push(p);
  }
  return out;
}

const filter = process.argv.slice(2);
let files = collect('dist/tests', []).sort();
if (filter.length) files = files.filter((f) => filter.some((w) => f.includes(w)));
if (files.length === 0) {
  console.error('no test files found under dist/tests/ (did the build run?)');
  process.exit(1);
}
// A safety net, not a budget: every test that starts a process or a server has its own, shorter
// limit. A test file still running after FILE_TIMEOUT_MS (the slowest takes a few minutes on a busy
// machine) is killed and reported as failed, so a stall fails the run instead of hanging CI.
const FILE_TIMEOUT_MS = 600_000;
const r = spawnSync(process.execPath, ['--test', '--test-concurrency=2', `--test-timeout=${FILE_TIMEOUT_MS}`, ...files], { stdio: 'inherit' });
process.exit(r.status ?? 1);
