import type { Command } from 'commander';
import { UserError } from '../core/errors.js';

/**
 * Runs a commander program with the project's error contract: a UserError prints one line and exits
 * with its code; anything else is a bug and prints its stack so it can be reported.
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
    if (e instanceof UserError) {
      process.stderr.write(`mlops-sfn: ${e.message}\n`);
      process.exit(e.exitCode);
    }
    process.stderr.write(`mlops-sfn: internal error (please report): ${e instanceof Error ? e.stack : String(e)}\n`);
    process.exit(70);
  });
}
