/**
 * Every file argument of the CLI goes through one reader: a device, a FIFO or a folder where a file
 * belongs is a one-line error with exit 2, never a hang or an endless read.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CLI } from '../support/cli.js';

const cli = CLI;
const work = mkdtempSync(join(tmpdir(), 'mlops-sfn-special-'));
const home = join(work, 'home');
const fifo = join(work, 'fifo');
execFileSync('mkfifo', [fifo]);
const folder = join(work, 'folder.json');
mkdirSync(folder);
const definition = join(work, 'definition.json');
writeFileSync(definition, JSON.stringify({ StartAt: 'P', States: { P: { Type: 'Pass', End: true } } }));

const SPECIAL = { '/dev/zero': '/dev/zero', FIFO: fifo, folder };

function mlops(args: string[]) {
  // The time limit is the test: a reader that blocks on the FIFO or reads /dev/zero forever never returns.
  const r = spawnSync(process.execPath, [cli, '--home', home, ...args], { cwd: work, encoding: 'utf8', timeout: 20_000, input: '' });
  return { code: r.status, signal: r.signal, stderr: r.stderr, stdout: r.stdout };
}

const COMMANDS: [string, (file: string) => string[]][] = [
  ['exec <definition>', (f) => ['exec', f]],
  ['exec --input', (f) => ['exec', definition, '--input', f]],
  ['exec --lambda', (f) => ['exec', definition, '--lambda', `fn=${f}`]],
  ['run', (f) => ['run', f]],
  ['validate', (f) => ['validate', f]],
  ['invoke --body', (f) => ['invoke', 'some-endpoint', '--body', f]],
];

for (const [command, args] of COMMANDS) {
  test(`${command} refuses /dev/zero, a FIFO and a folder with one line and exit 2`, { timeout: 90_000 }, () => {
    for (const [kind, file] of Object.entries(SPECIAL)) {
      if (kind === 'folder' && (command === 'run' || command === 'validate')) continue; // a folder is a pipeline folder there
      const r = mlops(args(file));
      assert.equal(r.signal, null, `${command} ${kind}: still running after 20 s`);
      assert.equal(r.code, 2, `${command} ${kind}: exit ${r.code}\n${r.stderr}`);
      const lines = r.stderr.trim().split('\n');
      assert.equal(lines.length, 1, `${command} ${kind}: ${r.stderr}`);
      assert.match(lines[0]!, /not a regular file/, `${command} ${kind}`);
      assert.ok(lines[0]!.includes(file), `${command} ${kind}: the message names the file: ${lines[0]}`);
    }
  });
}

test('a pipeline folder whose pipeline.yaml is a FIFO or a device is refused too', { timeout: 60_000 }, () => {
  for (const target of [fifo, '/dev/zero']) {
    const dir = mkdtempSync(join(work, 'pipeline-'));
    execFileSync('ln', ['-s', target, join(dir, 'pipeline.yaml')]);
    const r = mlops(['validate', dir]);
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, /pipeline\.yaml: cannot read the pipeline file: it is (a named pipe \(FIFO\)|a character device), not a regular file/);
  }
});

test.after(() => rmSync(work, { recursive: true, force: true }));

test('exec refuses an input nested thousands deep with one line and exit 2', { timeout: 60_000 }, () => {
  const input = join(work, 'deep.json');
  writeFileSync(input, '['.repeat(50_000) + ']'.repeat(50_000));
  const r = mlops(['exec', definition, '--input', input]);
  assert.equal(r.code, 2, r.stderr);
  assert.match(r.stderr.trim(), /^mlops-sfn: .*deep\.json: the execution input nests objects and arrays more than 1000 levels deep \(InvalidExecutionInput\)$/);
});
