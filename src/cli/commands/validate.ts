/**
 * `mlops-sfn validate <file|dir>`: checks a pipeline file and prints every problem, one per line,
 * as `file:line:column: field.path: what is wrong (what to do)`. Exit 0 when it can run (warnings
 * allowed), 2 when it has problems.
 */
import type { Command } from 'commander';
import { loadPipeline } from '../../config/index.js';
import { STAGES } from '../../config/index.js';
import { formatProblem, hasErrors } from '../../config/index.js';

export interface ValidateIo {
  out(line: string): void;
}

export async function validateCommand(target: string, io: ValidateIo, home?: string): Promise<number> {
  // Approval rules are checked against the metrics of the newest evaluation report in the home, when there is one.
  const evaluationMetrics = home === undefined ? undefined : (await import('../../engine/evaluation-report.js')).evaluationMetricsInHome(home);
  const loaded = await loadPipeline(target, evaluationMetrics ? { evaluationMetrics } : {});
  for (const p of loaded.problems) io.out(formatProblem(p));
  const errors = loaded.problems.filter((p) => p.severity === 'error').length;
  const warnings = loaded.problems.length - errors;
  if (hasErrors(loaded.problems) || !loaded.config) {
    io.out(`${loaded.file}: ${errors} problem${errors === 1 ? '' : 's'}${warnings > 0 ? `, ${warnings} warning${warnings === 1 ? '' : 's'}` : ''}`);
    return 2;
  }
  const c = loaded.config;
  const running = STAGES.filter((s) => c[s]?.run === true);
  const extras = [
    running.includes('training') || running.includes('evaluation') ? `approval ${c.approval.mode}${c.approval.rules.length > 0 ? ` (${c.approval.rules.length} rule${c.approval.rules.length === 1 ? '' : 's'})` : ''}` : undefined,
    c.registry.run ? 'registry' : undefined,
    c.endpoint.run ? 'endpoint' : undefined,
  ].filter((x): x is string => x !== undefined);
  io.out(
    `${loaded.file}: valid; stages: ${running.length > 0 ? running.join(', ') : 'none'}${extras.length > 0 ? `; ${extras.join(', ')}` : ''}` +
      (warnings > 0 ? ` (${warnings} warning${warnings === 1 ? '' : 's'})` : ''),
  );
  return 0;
}

export function registerValidateCommand(program: Command, getHome: () => string): void {
  program
    .command('validate')
    .description('Check a pipeline YAML file (or a folder with pipeline.yaml) and list every problem with its line and field')
    .argument('<path>', 'the pipeline file, or a folder holding pipeline.yaml (or the seed\'s input.yaml)')
    .addHelpText(
      'after',
      '\nApproval rules are also checked against the metrics the evaluation step wrote in its newest report in the home\n' +
        '(--home), when that report is newer than the pipeline\'s scripts.\n' +
        '\nExit codes: 0 valid (warnings may be printed), 2 problems found or the file cannot be read.',
    )
    .action(async (target: string) => {
      process.exitCode = await validateCommand(target, { out: (line) => process.stdout.write(line + '\n') }, getHome());
    });
}
