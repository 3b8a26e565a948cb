/**
 * Which module registers which `mlops-sfn` command, so that a run loads only the command it runs:
 * a command's module (and what it imports: the engine, SQLite, the AWS SDK, the CDK) is imported
 * on demand. The order is the order of `mlops-sfn --help`.
 */
import { existsSync, readFileSync } from 'node:fs';
import { Help, type Command } from 'commander';
import { packageFile } from '../core/package-root.js';

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
  { names: ['sns'], load: async () => (await import('./commands/sns.js')).registerSnsCommand },
  { names: ['logs'], load: async () => (await import('./commands/logs.js')).registerLogsCommand },
  { names: ['invoke'], load: async () => (await import('./commands/invoke-local.js')).registerLocalInvokeCommand },
  { names: ['synth'], load: async () => (await import('./commands/synth.js')).registerSynthCommand },
  { names: ['deploy', 'destroy'], load: async () => (await import('./commands/deploy.js')).registerDeployCommands },
  { names: ['schedule'], load: async () => (await import('./commands/schedule.js')).registerScheduleCommand },
  { names: ['start'], load: async () => (await import('./commands/start.js')).registerStartCommand },
  { names: ['console'], load: async () => (await import('./commands/console.js')).registerConsoleCommand },
  { names: ['resume', 'redrive'], load: async () => (await import('./commands/resume.js')).registerResumeCommand },
  { names: ['why'], load: async () => (await import('./commands/why.js')).registerWhyCommand },
  { names: ['doctor'], load: async () => (await import('./commands/doctor.js')).registerDoctorCommand },
  { names: ['gc'], load: async () => (await import('./commands/gc.js')).registerGcCommand },
];

/** The program's own options that take a value (their value is not a command name). */
const VALUE_OPTIONS = new Set(['--home']);

/**
 * The entries a command line needs: the named command's alone (also for `help <name>`); none for
 * `--version`; every one for help, for no command, and for a name no entry claims (so commander
 * lists every command, or suggests the closest to a mistyped one).
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
    if (a === 'help' && i + 1 < args.length) {
      const entry = commands.find((c) => c.names.includes(args[i + 1]!));
      if (entry) return [entry];
    }
    const entry = commands.find((c) => c.names.includes(a));
    return entry ? [entry] : commands;
  }
  return commands;
}

/** One line of the program's help: a command's name, its term (`run [options] <pipeline>`), and its description. */
export interface CommandSummary {
  readonly name: string;
  readonly term: string;
  readonly description: string;
}

/** The command index the build writes (scripts/bundle-cli.mjs), read for the program's own help. */
export const COMMAND_INDEX_FILE = ['dist', 'cli', 'commands.json'] as const;

/** Every command's help line, taken from the registered commands themselves (the build writes these). */
export function commandSummaries(program: Command): CommandSummary[] {
  const help = new Help();
  return program.commands.map((c) => ({ name: c.name(), term: help.subcommandTerm(c), description: c.description() }));
}

function readCommandIndex(): CommandSummary[] | undefined {
  const file = packageFile(...COMMAND_INDEX_FILE);
  if (!existsSync(file)) return undefined;
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as CommandSummary[];
  } catch {
    return undefined;
  }
}

/**
 * Registers the commands a command line needs (see entriesFor). When it needs all of them (the
 * program's help, no command, a mistyped name), their help lines come from the build's command
 * index instead, so `mlops-sfn --help` loads no command module; without an index, every module.
 */
export async function registerCommands(program: Command, getHome: () => string, args: readonly string[]): Promise<void> {
  const entries = entriesFor(args);
  const index = entries === COMMANDS ? readCommandIndex() : undefined;
  if (index) {
    const terms = new Map(index.map((s) => [s.name, s.term]));
    for (const s of index) program.command(s.name).description(s.description);
    const help = new Help();
    program.configureHelp({ subcommandTerm: (c) => terms.get(c.name()) ?? help.subcommandTerm(c) });
    return;
  }
  const registers = await Promise.all(entries.map((c) => c.load()));
  for (const register of registers) register(program, getHome);
}
