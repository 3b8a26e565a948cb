import type { SandboxMode } from '../sandbox/index.js';

/** Settings of the local hosting; every field has a default that suits `mlops-sfn run` and tests. */
export interface HostingOptions {
  /**
   * The Python standing in for the built-in images' (default: $MLOPS_SFN_PYTHON, else each image's
   * runtime's, /usr/bin/python3 for the built-in ones). Images mapped in <home>/runtimes.json always
   * use their own interpreter.
   */
  python?: string;
  /**
   * 'bwrap': the model server runs in the sandbox (../sandbox), and fails to start where bubblewrap
   * cannot build it, saying what to install. 'none': unsandboxed, with a warning each time, and
   * SAGEMAKER_BASE_DIR pointing at the private folder. Default: MLOPS_SFN_SANDBOX, read at each
   * start ('off' means 'none'), else 'bwrap'. Never a silent fallback.
   */
  sandbox?: SandboxMode;
  /** Where the warning of an unsandboxed server goes besides its log (default: standard error). */
  warn?: (line: string) => void;
  /** The bubblewrap binary (default: `bwrap` on PATH, else /usr/bin/bwrap). */
  bwrapPath?: string;
  /** How long a server may take to load its model and answer /ping (default 120 s). */
  startTimeoutMs?: number;
  /** Caps on unpacking model.tar.gz and sourcedir.tar.gz (defaults 16 GiB, 200,000 members). */
  maxArchiveBytes?: number;
  maxArchiveMembers?: number;
  /** How long stop() waits after SIGTERM before SIGKILL (default 2 s; SageMaker waits 30 s). */
  stopGraceMs?: number;
  /**
   * An endpoint's model server that exits unexpectedly is started again, as SageMaker replaces an
   * unhealthy instance: at most this many attempts in a row (default 5) ...
   */
  restartAttempts?: number;
  /** ... waiting this long before the second attempt and twice as long before each next (default 500 ms, at most 10 s). */
  restartDelayMs?: number;
  /** This machine's environment, for pip's settings when the code has a requirements.txt (default process.env). */
  hostEnv?: Readonly<Record<string, string | undefined>>;
}

export interface ResolvedHostingOptions {
  /** An interpreter overriding the built-in runtimes' (undefined: each runtime's own). */
  python: string | undefined;
  /** Undefined: read MLOPS_SFN_SANDBOX at each start. */
  sandbox: SandboxMode | undefined;
  warn: (line: string) => void;
  bwrapPath: string | undefined;
  startTimeoutMs: number;
  maxArchiveBytes: number;
  maxArchiveMembers: number;
  stopGraceMs: number;
  restartAttempts: number;
  restartDelayMs: number;
  hostEnv: Readonly<Record<string, string | undefined>> | undefined;
}

export function resolveHostingOptions(o: HostingOptions = {}): ResolvedHostingOptions {
  return {
    python: o.python ?? process.env['MLOPS_SFN_PYTHON'],
    sandbox: o.sandbox,
    warn: o.warn ?? ((line) => process.stderr.write(line + '\n')),
    bwrapPath: o.bwrapPath,
    startTimeoutMs: o.startTimeoutMs ?? 120_000,
    maxArchiveBytes: o.maxArchiveBytes ?? 16 * 1024 ** 3,
    maxArchiveMembers: o.maxArchiveMembers ?? 200_000,
    stopGraceMs: o.stopGraceMs ?? 2_000,
    restartAttempts: o.restartAttempts ?? 5,
    restartDelayMs: o.restartDelayMs ?? 500,
    hostEnv: o.hostEnv,
  };
}
