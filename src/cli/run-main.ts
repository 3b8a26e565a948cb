import type { Command } from 'commander';
import { AwsError, LocalError, UserError } from '../core/errors.js';

/**
 * What a failed command exits with: the CLI's side of the error contract. A UserError carries the
 * command's own choice; an error of the services, emulators or Lambdas (AWS's name or ours from the
 * error catalogue) is bad input (2) when the caller can fix it, a failure (1) when the service
 * failed (AWS's 5xx); anything else is a bug (70, EX_SOFTWARE), printed with its stack.
 */
export function exitCodeFor(e: unknown): { code: number; line: string } {
  if (e instanceof UserError) return { code: e.exitCode, line: e.message };
  if (e instanceof LocalError) return { code: 2, line: e.message };
  if (e instanceof AwsError) return { code: e.statusCode >= 500 ? 1 : 2, line: e.statusCode >= 500 ? `${e.errorName}: ${e.message}` : e.message };
  return { code: 70, line: `internal error (please report): ${e instanceof Error ? e.stack : String(e)}` };
}

/**
 * Runs a commander program with the project's error contract (`exitCodeFor`): one line on standard
 * error, never a stack trace, except for a bug, whose stack is what makes it reportable.
 */
export function runMain(program: Command): void {
  // A reader that stops early (`... | head`) closes the pipe: that ends the output, not in an error.
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(0);
    throw e;
  });
  // Commander exits 1 for usage errors of a subcommand (a missing argument or required option)
  // unless each command has the override: the contract says 2 for bad input, everywhere.
  const usageExit = (err: { exitCode: number }): never => process.exit(err.exitCode === 0 ? 0 : 2);
  const override = (c: Command): void => {
    c.exitOverride(usageExit);
    for (const sub of c.commands) override(sub);
  };
  override(program);
  program.parseAsync(process.argv).catch((e: unknown) => {
    const { code, line } = exitCodeFor(e);
    process.stderr.write(`mlops-sfn: ${line}\n`);
    process.exit(code);
  });
}
