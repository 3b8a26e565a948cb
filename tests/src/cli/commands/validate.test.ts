import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { Command } from 'commander';
import { UserError } from '../../../../src/core/errors.js';
import { packageFile } from '../../../../src/core/package-root.js';
import { registerValidateCommand, validateCommand } from '../../../../src/cli/commands/validate.js';
import { formatProblem, loadPipeline } from '../../../../src/config/index.js';

async function validate(target: string): Promise<{ code: number; lines: string[] }> {
  const lines: string[] = [];
  const code = await validateCommand(target, { out: (l) => lines.push(l) });
  return { code, lines };
}

test('the census example is valid: exit 0 and a one-line summary', async () => {
  const dir = packageFile('examples', 'census');
  const { code, lines } = await validate(dir);
  assert.equal(code, 0);
  assert.deepEqual(lines, [`${join(dir, 'pipeline.yaml')}: valid; stages: preprocessing, training, evaluation, CreateModel, batchTransform; approval auto (3 rules), registry, endpoint`]);
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
  registerValidateCommand(program, () => '/nonexistent/home');
  const cmd = program.commands.find((c) => c.name() === 'validate');
  assert.ok(cmd);
  let help = '';
  cmd.configureOutput({ writeOut: (s) => (help += s) });
  cmd.outputHelp();
  assert.match(help, /Exit codes: 0 valid \(warnings may be printed\), 2 problems found/);
});

test('approval rules naming a metric the evaluation report lacks are refused with the names it has; nothing is checked when it cannot be known', async () => {
  const dir = packageFile('examples', 'census');
  const yaml = join(dir, 'pipeline.yaml');
  const known = { names: ['accuracy', 'precision', 'recall', 'f1', 'roc_auc'], source: 's3://b/census/evaluation/r1/evaluation.json (evaluation job evaluation-r1)' };
  let asked = 0;
  const ok = await loadPipeline(dir, { evaluationMetrics: async () => (asked++, known) });
  assert.deepEqual(ok.problems, []);
  assert.equal(asked, 1);
  const only = await loadPipeline(dir, { evaluationMetrics: async () => ({ ...known, names: ['accuracy', 'roc_auc'] }) });
  assert.deepEqual(
    only.problems.map((p) => formatProblem(p)),
    ['recall', 'precision'].map((m, i) => {
      const line = readFileSync(yaml, 'utf8').split('\n').findIndex((l) => l.includes(`- ${m} >=`)) + 1;
      return `${yaml}:${line}:7: approval.rules[${i + 1}]: the evaluation step does not write a metric named "${m}", so this rule would reject every model (its report ${known.source} has: accuracy, roc_auc; name one of those)`;
    }),
  );
  assert.equal(only.config, undefined, 'an error: the pipeline does not load');
  assert.deepEqual((await loadPipeline(dir, { evaluationMetrics: async () => undefined })).problems, [], 'unknown: nothing to check');
});
