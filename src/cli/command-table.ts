/**
 * Which module registers which `mlops-sfn` command, so that a run loads only the command it runs:
 * a command's module (and what it imports: the engine, SQLite, the AWS SDK, the CDK) is imported
 * on demand. The order is the order of `mlops-sfn --help`.
 */
import type { Command } from 'commander';

export type RegisterCommand = (program: Command, getHome: () => string) => void;

export interface CommandEntry {
  /** The command names the module registers (`approve.ts` registers approve and reject). */
  readonly names: readonly string[];
  readonly load: () => Promise<RegisterCommand>;
}

export const COMMANDS: readonly CommandEntry[] = [
  { names: ['run'], load: async () => (await import('./commands/run.js')).registerRunCommand },
  { names: ['validate'], load: async () => (await import('./commands/validate.js')).registerValidateCommand },
  { names: ['approve', 'reject'], load: async () => (await import('./commands/approve.js')).registerApprovalCommands },
  { names: ['approvals'], load: async () => (await import('./commands/approvals.js')).registerApprovalsCommand },
  { names: ['serve'], load: async () => (await import('./commands/serve.js')).registerServeCommand },
  { names: ['executions'], load: async () => (await import('./commands/executions.js')).registerExecutionsCommand },
  { names: ['exec'], load: async () => (await import('./commands/exec.js')).registerExecCommand },
  { names: ['s3'], load: async () => (await import('./commands/s3.js')).registerS3Command },
  { names: ['logs'], load: async () => (await import('./commands/logs.js')).registerLogsCommand },
  { names: ['invoke'], load: async () => (await import('./commands/invoke-local.js')).registerLocalInvokeCommand },
  { names: ['synth'], load: async () => (await import('./commands/synth.js')).registerSynthCommand },
  { names: ['deploy', 'destroy'], load: async () => (await import('./commands/deploy.js')).registerDeployCommands },
  { names: ['schedule'], load: async () => (await import('./commands/schedule.js')).registerScheduleCommand },
  { names: ['start'], load: async () => (await import('./commands/start.js')).registerStartCommand },
  { names: ['console'], load: async () => (await import('./commands/console.js')).registerConsoleCommand },
  { names: ['resume', 'redrive'], load: async () => (await import('./commands/resume.js')).registerResumeCommand },
];

/** The program's own options that take a value (their value is not a command name). */
const VALUE_OPTIONS = new Set(['--home']);

/**
 * The entries a command line needs: the named command's alone; none for `--version`; every one
 * for help, for no command, and for a name no entry claims (so commander lists every command, or
 * suggests the closest to a mistyped one).
 */
export function entriesFor(args: readonly string[], commands: readonly CommandEntry[] = COMMANDS): readonly CommandEntry[] {
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '--') break;
    if (VALUE_OPTIONS.has(a)) {
      i++;
      continue;
    }
    if (a === '-V' || a === '--version') return [];
    if (a.startsWith('-')) continue;
    const entry = commands.find((c) => c.names.includes(a));
    return entry ? [entry] : commands;
  }
  return commands;
}

/** Registers the commands a command line needs (see entriesFor). */
export async function registerCommands(program: Command, getHome: () => string, args: readonly string[]): Promise<void> {
  const registers = await Promise.all(entriesFor(args).map((c) => c.load()));
  for (const register of registers) register(program, getHome);
}
