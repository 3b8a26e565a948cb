import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CLI } from '../support/cli.js';

const root = resolve(fileURLToPath(new URL('.', import.meta.url)), '../../..');
const cli = CLI;

// Every run gets its own local home, so tests never write into the repository.
const home = mkdtempSync(join(tmpdir(), 'mlops-sfn-home-'));

function mlops(args: string[], input?: string) {
  const env = { ...process.env, MLOPS_SFN_HOME: home };
  const r = spawnSync(process.execPath, [cli, ...args], { cwd: root, encoding: 'utf8', input, timeout: 60_000, env });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function tmpFile(name: string, content: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'mlops-sfn-e2e-'));
  const p = join(dir, name);
  writeFileSync(p, content);
  return p;
}

test('exec runs the example state machine and prints its output', () => {
  const r = mlops(['exec', 'examples/hello/definition.json', '--input', 'examples/hello/input.json']);
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(JSON.parse(r.stdout), { loops: 3, messages: ['Hello, Ada!', 'Hello, Grace!', 'Hello, Linus!'] });
});

test('exec reads the input from standard input with --input -', () => {
  const def = tmpFile('d.json', JSON.stringify({ StartAt: 'P', States: { P: { Type: 'Pass', OutputPath: '$.x', End: true } } }));
  const r = mlops(['exec', def, '--input', '-'], '{"x": [1, 2]}');
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(JSON.parse(r.stdout), [1, 2]);
});

test('a failed execution exits 1 and prints the error and cause AWS would report', () => {
  const def = tmpFile('d.json', JSON.stringify({ StartAt: 'F', States: { F: { Type: 'Fail', Error: 'Broken', Cause: 'it broke' } } }));
  const r = mlops(['exec', def]);
  assert.equal(r.code, 1);
  assert.equal(r.stdout, '');
  assert.match(r.stderr, /error: Broken/);
  assert.match(r.stderr, /cause: it broke/);
});

test('malformed JSON is a one-line error with line and column, exit 2, no stack trace', () => {
  const def = tmpFile('bad.json', '{\n  "StartAt": "P",\n  "States": {,}\n}');
  const r = mlops(['exec', def]);
  assert.equal(r.code, 2);
  assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
  assert.match(r.stderr, /bad\.json: the state machine definition is not valid JSON at line 3, column/);
  assert.doesNotMatch(r.stderr, /\n\s+at /);
});

test('a definition AWS would reject is a one-line error naming the state and field, exit 2', () => {
  const def = tmpFile('d.json', JSON.stringify({ StartAt: 'P', States: { P: { Type: 'Pass', Next: 'Nowhere' } } }));
  const r = mlops(['exec', def]);
  assert.equal(r.code, 2);
  assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
  assert.match(r.stderr, /Invalid State Machine Definition/);
  assert.match(r.stderr, /\/States\/P/);
});

test('a missing file and a bad --type are clear errors, exit 2', () => {
  const missing = mlops(['exec', 'no/such/file.json']);
  assert.equal(missing.code, 2);
  assert.match(missing.stderr, /no\/such\/file\.json: cannot read the state machine definition: no such file/);
  const badType = mlops(['exec', 'examples/hello/definition.json', '--type', 'FAST']);
  assert.equal(badType.code, 2);
  assert.match(badType.stderr, /--type must be STANDARD or EXPRESS/);
});

test('--history prints GetExecutionHistory-shaped events', () => {
  const def = tmpFile('d.json', JSON.stringify({ StartAt: 'P', States: { P: { Type: 'Pass', End: true } } }));
  const r = mlops(['exec', def, '--history']);
  assert.equal(r.code, 0, r.stderr);
  const events = r.stderr.trim().split('\n').map((l) => JSON.parse(l) as { type: string; id: number });
  assert.deepEqual(events.map((e) => e.type), ['ExecutionStarted', 'PassStateEntered', 'PassStateExited', 'ExecutionSucceeded']);
  assert.deepEqual(events.map((e) => e.id), [1, 2, 3, 4]);
});

test('--lambda registers a local function module that Tasks call by ARN and through lambda:invoke', () => {
  const handler = tmpFile('h.mjs', 'export const handler = async (event) => ({ doubled: event.n * 2 });');
  const def = tmpFile(
    'd.json',
    JSON.stringify({
      StartAt: 'Direct',
      States: {
        Direct: { Type: 'Task', Resource: 'arn:aws:lambda:us-east-1:111111111111:function:double', ResultPath: '$.direct', Next: 'Invoke' },
        Invoke: {
          Type: 'Task',
          Resource: 'arn:aws:states:::lambda:invoke',
          Parameters: { FunctionName: 'double', 'Payload.$': '$' },
          ResultSelector: { 'payload.$': '$.Payload' },
          ResultPath: '$.invoked',
          End: true,
        },
      },
    }),
  );
  const r = mlops(['exec', def, '--input', '-', '--lambda', `double=${handler}`, '--fast'], '{"n": 21}');
  assert.equal(r.code, 0, r.stderr);
  const out = JSON.parse(r.stdout) as { direct: unknown; invoked: { payload: { doubled: number } } };
  assert.deepEqual(out.direct, { doubled: 42 });
  assert.equal(out.invoked.payload.doubled, 42);
});

test('every command answers --help', () => {
  for (const args of [['--help'], ['exec', '--help']]) {
    const r = mlops(args);
    assert.equal(r.code, 0);
    assert.match(r.stdout, /Usage: mlops-sfn/);
  }
});
