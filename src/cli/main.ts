#!/usr/bin/env node
import { readFileSync } from 'node:fs';
import { Command } from 'commander';
import { packageFile } from '../core/package-root.js';
import { registerCommands } from './command-table.js';
import { runMain } from './run-main.js';

const pkg = JSON.parse(readFileSync(packageFile('package.json'), 'utf8')) as { version: string };
// The AWS SDK's notice that its Node 20 support ends in 2027 is not news for this command's user.
process.env['AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED'] ??= 'true';

const program = new Command('mlops-sfn')
  .description('Declare an MLOps pipeline, deploy it to AWS Step Functions + SageMaker, and run the same state machine locally')
  .version(pkg.version)
  .option('--home <dir>', 'where local state lives (env MLOPS_SFN_HOME)', process.env['MLOPS_SFN_HOME'] ?? './.mlops')
  .showHelpAfterError('(add --help for usage)');

/** The local home for this invocation: --home, else MLOPS_SFN_HOME, else ./.mlops. */
const getHome = (): string => (program.opts() as { home: string }).home;

// Only the command being run is loaded (with the engine, SQLite, the AWS SDK or the CDK it needs);
// help loads every command's registration (see command-table.ts).
await registerCommands(program, getHome, process.argv.slice(2));
runMain(program);
