/**
 * The command line loads only the command it runs: which entries a command line needs, that the
 * table names every command the modules register (none is left to the slow path), and that help
 * still lists every command with its description, and each command's own options.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { Command } from 'commander';
import { COMMANDS, commandSummaries, entriesFor } from '../../../src/cli/command-table.js';
import { CLI } from '../../support/cli.js';

const root = resolve(fileURLToPath(new URL('.', import.meta.url)), '../../../..');
const cli = CLI;

function names(entries: readonly { names: readonly string[] }[]): string[] {
  return entries.flatMap((e) => e.names);
}

async function fullProgram(): Promise<Command> {
  const program = new Command('mlops-sfn');
  for (const entry of COMMANDS) (await entry.load())(program, () => '.mlops');
  return program;
}

test('a command line loads the entry of its command, none for --version, all for help or an unknown name', () => {
  assert.deepEqual(names(entriesFor(['exec', 'def.json'])), ['exec']);
  assert.deepEqual(names(entriesFor(['--home', 'exec', 'run', 'p'])), ['run'], 'the value of --home is not a command');
  assert.deepEqual(names(entriesFor(['--home=h', 'reject', 'x'])), ['approve', 'reject']);
  assert.deepEqual(names(entriesFor(['destroy', '--help'])), ['deploy', 'destroy']);
  assert.deepEqual(entriesFor(['--version']), []);
  assert.deepEqual(entriesFor(['-V']), []);
  assert.deepEqual(names(entriesFor(['help', 'exec'])), ['exec'], 'help of one command loads that command');
  for (const args of [[], ['--help'], ['help'], ['help', 'nosuch'], ['exce'], ['--home', 'h']]) assert.equal(entriesFor(args), COMMANDS, args.join(' '));
});

test('the table names exactly the commands its modules register, each once', async () => {
  const registered = (await fullProgram()).commands.map((c) => c.name());
  assert.deepEqual(names(COMMANDS), registered);
  assert.equal(new Set(registered).size, registered.length);
});

test('--help lists every command with its description; a command\'s --help shows its options', { timeout: 60_000 }, async () => {
  const help = spawnSync(process.execPath, [cli, '--help'], { encoding: 'utf8', timeout: 30_000 });
  assert.equal(help.status, 0, help.stderr);
  // The program's help is drawn from the build's command index (no command module loaded): it
  // must say what the registered commands themselves would.
  for (const c of commandSummaries(await fullProgram())) {
    const line = help.stdout.split('\n').find((l) => l.trimStart().startsWith(`${c.name} `));
    assert.ok(line, `${c.name} is listed`);
    assert.equal(line.trim().split(/\s{2,}/)[0], c.term, `${c.name}'s usage term`);
    assert.ok(help.stdout.replace(/\s+/g, ' ').includes(c.description.slice(0, 40)), `${c.name}'s description is shown`);
  }
  const helpExec = spawnSync(process.execPath, [cli, 'help', 'exec'], { encoding: 'utf8', timeout: 30_000 });
  assert.equal(helpExec.status, 0, helpExec.stderr);
  assert.match(helpExec.stdout, /Usage: mlops-sfn exec \[options\] <definition>/);
  const exec = spawnSync(process.execPath, [cli, 'exec', '--help'], { encoding: 'utf8', timeout: 30_000 });
  assert.equal(exec.status, 0, exec.stderr);
  assert.match(exec.stdout, /Usage: mlops-sfn exec \[options\] <definition>/);
  for (const option of ['--input <file>', '--name <name>', '--type <type>', '--history', '--fast', '--lambda <name=module>']) assert.ok(exec.stdout.includes(option), option);
  const typo = spawnSync(process.execPath, [cli, 'exce'], { encoding: 'utf8', timeout: 30_000 });
  assert.equal(typo.status, 2);
  assert.match(typo.stderr, /unknown command 'exce'\n\(Did you mean exec\?\)/);
});

test('exec of a machine without a Task leaves the home untouched', { timeout: 60_000 }, () => {
  const home = join(root, 'dist', `startup-home-${process.pid}`);
  const r = spawnSync(process.execPath, [cli, '--home', home, 'exec', '-'], {
    encoding: 'utf8',
    timeout: 30_000,
    input: JSON.stringify({ StartAt: 'P', States: { P: { Type: 'Pass', Result: { ok: true }, End: true } } }),
  });
  assert.equal(r.status, 0, r.stderr);
  assert.deepEqual(JSON.parse(r.stdout), { ok: true });
  assert.equal(spawnSync('test', ['-e', home]).status, 1, 'no home was created');
});
