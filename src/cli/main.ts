#!/usr/bin/env node
import { readFileSync } from 'node:fs';
import { Command } from 'commander';
import { packageFile } from '../core/package-root.js';
import { registerExecCommand } from './commands/exec.js';
import { registerRunCommand } from './commands/run.js';
import { registerValidateCommand } from './commands/validate.js';
import { registerApprovalCommands } from './commands/approve.js';
import { registerApprovalsCommand } from './commands/approvals.js';
import { registerServeCommand } from './commands/serve.js';
import { registerExecutionsCommand } from './commands/executions.js';
import { registerS3Command } from './commands/s3.js';
import { registerLogsCommand } from './commands/logs.js';
import { registerLocalInvokeCommand } from './commands/invoke-local.js';
import { registerSynthCommand } from './commands/synth.js';
import { registerDeployCommands } from './commands/deploy.js';
import { registerScheduleCommand } from './commands/schedule.js';
import { registerStartCommand } from './commands/start.js';
import { registerConsoleCommand } from './commands/console.js';
import { registerResumeCommand } from './commands/resume.js';
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

registerRunCommand(program, getHome);
registerValidateCommand(program);
registerApprovalCommands(program, getHome);
registerApprovalsCommand(program, getHome);
registerServeCommand(program, getHome);
registerExecutionsCommand(program, getHome);
registerExecCommand(program, getHome);
registerS3Command(program, getHome);
registerLogsCommand(program, getHome);
registerLocalInvokeCommand(program, getHome);
registerSynthCommand(program);
registerDeployCommands(program);
registerScheduleCommand(program);
registerStartCommand(program, getHome);
registerConsoleCommand(program, getHome);
registerResumeCommand(program, getHome);

runMain(program);
