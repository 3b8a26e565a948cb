// The published package carries the product and none of the test code: `npm pack --dry-run` lists
// what `npm publish` would upload.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(fileURLToPath(new URL('.', import.meta.url)), '../../..');

/** Paths that only tests, fixtures, benchmarks or build outputs of those would have. */
const TEST_PATH = /(^|\/)(tests?|fixtures|__snapshots__|bench)\/|\.test\.|\.fixture\.|test-(support|helpers|setup|doubles)|fake-aws/;

function packedFiles(): Promise<string[]> {
  return new Promise((done, fail) => {
    // --ignore-scripts: list what the current build would ship without rebuilding it.
    const child = spawn('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('error', fail);
    child.on('close', (code) => {
      if (code !== 0) return fail(new Error(`npm pack --dry-run exited ${code}: ${err}`));
      const [pack] = JSON.parse(out) as [{ files: { path: string }[] }];
      done(pack.files.map((f) => f.path));
    });
  });
}

test('npm pack lists the product and no test code', { timeout: 120_000 }, async () => {
  const files = await packedFiles();
  for (const wanted of ['package.json', 'dist/cli/main.js', 'dist/cli/commands.json', 'dist/src/cli/main.js', 'dist/src/asl/machine.js', 'schema/pipeline.schema.json']) {
    assert.ok(files.includes(wanted), `the package lacks ${wanted}`);
  }
  assert.ok(files.some((f) => f.startsWith('src/') && f.endsWith('.py')), 'the package lacks the Python shims');
  const testFiles = files.filter((f) => TEST_PATH.test(f));
  assert.deepEqual(testFiles, [], 'test code in the package (a stale build? delete dist/ and rebuild)');
});
