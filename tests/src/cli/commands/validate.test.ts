import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { Command } from 'commander';
import { UserError } from '../../../../src/core/errors.js';
import { packageFile } from '../../../../src/core/package-root.js';
import { registerValidateCommand, validateCommand } from '../../../../src/cli/commands/validate.js';

async function validate(target: string): Promise<{ code: number; lines: string[] }> {
  const lines: string[] = [];
  const code = await validateCommand(target, { out: (l) => lines.push(l) });
  return { code, lines };
}

test('the census example is valid: exit 0 and a one-line summary', async () => {
  const dir = packageFile('examples', 'census');
  const { code, lines } = await validate(dir);
  assert.equal(code, 0);
  assert.deepEqual(lines, [`${join(dir, 'pipeline.yaml')}: valid; stages: preprocessing, training, evaluation, CreateModel, batchTransform; approval auto (2 rules), registry, endpoint`]);
});

test('a pipeline with problems lists each as file:line:column: path: message, then exits 2', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'mlops-validate-'));
  const file = join(dir, 'input.yaml');
  writeFileSync(file, 'app_id: a\nmodel_id: demo\njob_prefix: mlops\ntraning:\n  run: true\nendpoint: {}\n');
  const { code, lines } = await validate(dir);
  assert.equal(code, 2);
  assert.deepEqual(lines, [`${file}:4:1: traning: unknown stage or setting (did you mean training?)`, `${file}: 1 problem`]);
});

test('a path that is not there is a UserError naming what was looked for', async () => {
  await assert.rejects(validate('/nonexistent/pipeline'), (e: unknown) => e instanceof UserError && /no such file or folder/.test(e.message));
  await assert.rejects(validate(mkdtempSync(join(tmpdir(), 'mlops-empty-'))), (e: unknown) => e instanceof UserError && /no pipeline file in this folder \(expected one of pipeline\.yaml/.test(e.message));
});

test('registerValidateCommand adds `validate <path>` with its exit codes in the help', () => {
  const program = new Command('mlops-sfn');
  registerValidateCommand(program);
  const cmd = program.commands.find((c) => c.name() === 'validate');
  assert.ok(cmd);
  let help = '';
  cmd.configureOutput({ writeOut: (s) => (help += s) });
  cmd.outputHelp();
  assert.match(help, /Exit codes: 0 valid \(warnings may be printed\), 2 problems found/);
});
