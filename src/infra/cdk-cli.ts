/**
 * Runs the AWS CDK CLI (the `aws-cdk` package this one depends on) against a cloud assembly we
 * synthesized in process, so the CLI never runs our code through a shell: the command is an argv
 * array, and `--app` is the assembly folder.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { UserError } from '../core/errors.js';

/** The CDK CLI's entry script, from the installed aws-cdk package. */
export function cdkCliPath(): string {
  const require = createRequire(import.meta.url);
  const pkgFile = require.resolve('aws-cdk/package.json');
  const pkg = JSON.parse(readFileSync(pkgFile, 'utf8')) as { bin?: string | Record<string, string> };
  const bin = typeof pkg.bin === 'string' ? pkg.bin : pkg.bin?.['cdk'];
  if (!bin) throw new UserError('the aws-cdk package has no cdk executable', 'CDK_CLI_MISSING');
  return join(dirname(pkgFile), bin);
}

export interface CdkDeployArgs {
  assemblyDir: string;
  stackName: string;
  outputsFile: string;
  requireApproval?: 'never' | 'any-change' | 'broadening';
  profile?: string;
}

export function cdkDeployArgs(a: CdkDeployArgs): string[] {
  return [
    'deploy',
    a.stackName,
    '--app',
    a.assemblyDir,
    '--outputs-file',
    a.outputsFile,
    '--progress',
    'events',
    ...(a.requireApproval !== undefined ? ['--require-approval', a.requireApproval] : []),
    ...(a.profile !== undefined ? ['--profile', a.profile] : []),
  ];
}

export function cdkDestroyArgs(a: { assemblyDir: string; stackName: string; force?: boolean; profile?: string }): string[] {
  return ['destroy', a.stackName, '--app', a.assemblyDir, ...(a.force ? ['--force'] : []), ...(a.profile !== undefined ? ['--profile', a.profile] : [])];
}

export interface CdkRun {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * The node arguments for `cdk <args>`. `--no-notices`: the CLI would otherwise check its
 * connectivity and fetch news about CDK versions from cli.cdk.dev-tools.aws.dev (the CDK version is
 * the one this package pins, so the news is not the user's to act on), and where DNS does not
 * answer, the pending lookups keep the CLI alive long after its work is done.
 */
export function cdkArgv(args: readonly string[]): string[] {
  return [cdkCliPath(), ...args, '--no-notices'];
}

/**
 * Runs `cdk <args>`. With `inherit` the CLI talks to the terminal (deploy prompts and progress);
 * otherwise its output is captured.
 */
export function runCdk(args: string[], opts: { inherit?: boolean; env?: NodeJS.ProcessEnv; cwd?: string } = {}): Promise<CdkRun> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, cdkArgv(args), {
      stdio: opts.inherit ? 'inherit' : ['ignore', 'pipe', 'pipe'],
      env: { ...(opts.env ?? process.env), CDK_DISABLE_VERSION_CHECK: 'true' },
      ...(opts.cwd !== undefined ? { cwd: opts.cwd } : {}),
    });
    let stdout = '';
    let stderr = '';
    child.stdout?.on('data', (d: Buffer) => (stdout += d.toString('utf8')));
    child.stderr?.on('data', (d: Buffer) => (stderr += d.toString('utf8')));
    child.on('error', reject);
    child.on('close', (code, signal) => resolvePromise({ code: code ?? (signal ? 128 : 1), stdout, stderr }));
  });
}
