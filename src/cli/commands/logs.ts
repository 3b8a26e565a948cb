/**
 * `mlops-sfn logs <job|endpoint> [--follow]`: prints a local job's log (its stdout and stderr, as its
 * CloudWatch stream holds them) from `<home>/logs/<job>.log`, or an endpoint's model server log
 * (`<endpoint>-<variant>.log`). With --follow it keeps printing lines as they are appended — waiting
 * for the log to appear if the job has not started yet — until the job or endpoint has ended (its
 * record in the home says so, or the process doing the work is gone), or until interrupted.
 *
 * The printing function takes its I/O as parameters so tests call it directly.
 */
import { open, stat } from 'node:fs/promises';
import { StringDecoder } from 'node:string_decoder';
import type { Command } from 'commander';
import { UserError } from '../../core/errors.js';
import { jobLogFile, logSubjectInHome, logsFolder, logWorkEnded } from '../../engine/log-subjects.js';

export interface LogsOptions {
  readonly follow?: boolean;
  /** Prints a chunk of log text (whole lines, each ending in "\n"). */
  readonly write: (text: string) => void;
  /** Ends --follow (Ctrl-C). */
  readonly signal?: AbortSignal;
  /** Tells --follow that the job has ended, so the command can stop once the log is drained. */
  readonly isJobDone?: (job: string) => Promise<boolean>;
  /** How often --follow looks for new lines (default 250 ms). */
  readonly pollMs?: number;
}

export function jobLogPath(home: string, job: string): string {
  return jobLogFile(home, job);
}

async function sizeOf(path: string): Promise<number | undefined> {
  try {
    return (await stat(path)).size;
  } catch {
    return undefined;
  }
}

const sleep = (ms: number, signal?: AbortSignal): Promise<void> =>
  new Promise((resolve) => {
    const t = setTimeout(done, ms);
    function done(): void {
      clearTimeout(t);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });

/** Prints the job's log; with `follow`, keeps printing new lines. */
export async function printJobLog(home: string, job: string, opts: LogsOptions): Promise<void> {
  return printLogFile(jobLogPath(home, job), job, home, opts);
}

/** Prints one log file; with `follow`, keeps printing new lines until `isJobDone` says the work ended. */
export async function printLogFile(path: string, job: string, home: string, opts: LogsOptions): Promise<void> {
  const pollMs = opts.pollMs ?? 250;
  if ((await sizeOf(path)) === undefined) {
    if (!opts.follow) throw new UserError(`No log for "${job}" in ${logsFolder(home)} (has it started? is --home right?)`, 'NO_SUCH_LOG', 1);
    while ((await sizeOf(path)) === undefined) {
      if (opts.signal?.aborted) return;
      if (opts.isJobDone && (await opts.isJobDone(job))) return;
      await sleep(pollMs, opts.signal);
    }
  }
  const decoder = new StringDecoder('utf8');
  let offset = 0;
  let partial = '';
  const buf = Buffer.alloc(64 * 1024);
  const drain = async (): Promise<void> => {
    const fh = await open(path, 'r');
    try {
      for (;;) {
        const { bytesRead } = await fh.read(buf, 0, buf.length, offset);
        if (bytesRead === 0) break;
        offset += bytesRead;
        const text = partial + decoder.write(buf.subarray(0, bytesRead));
        const cut = text.lastIndexOf('\n') + 1;
        if (cut > 0) opts.write(text.slice(0, cut));
        partial = text.slice(cut);
      }
    } finally {
      await fh.close();
    }
  };
  await drain();
  if (opts.follow) {
    for (;;) {
      if (opts.signal?.aborted) break;
      // Read "done" before draining: lines written before the job ended are then all printed.
      const done = opts.isJobDone ? await opts.isJobDone(job) : false;
      if (((await sizeOf(path)) ?? 0) > offset) await drain();
      if (done) break;
      await sleep(pollMs, opts.signal);
    }
  }
  const rest = partial + decoder.end();
  if (rest !== '') opts.write(rest + '\n');
}

export function registerLogsCommand(program: Command, getHome: () => string): void {
  program
    .command('logs')
    .description("print a local job's log (stdout and stderr of its container), or an endpoint's model server log")
    .argument('<name>', 'the processing, training or transform job, or the endpoint (or <endpoint>-<variant>)')
    .option('-f, --follow', 'keep printing new lines until the job or endpoint has ended (or Ctrl-C)')
    .addHelpText('after', '\nExit codes: 0 printed, 1 no log of that name (yet), 2 a name that cannot be a job or endpoint.')
    .action(async (name: string, flags: { follow?: boolean }) => {
      const home = getHome();
      const subject = logSubjectInHome(home, name);
      const ac = new AbortController();
      const onSigint = (): void => ac.abort();
      process.once('SIGINT', onSigint);
      try {
        await printLogFile(subject?.logFile ?? jobLogPath(home, name), name, home, {
          follow: flags.follow === true,
          write: (text) => process.stdout.write(text),
          signal: ac.signal,
          // Looked up again each time: a job that had not started when the command began has a record later.
          isJobDone: async () => logWorkEnded(home, name),
        });
      } finally {
        process.removeListener('SIGINT', onSigint);
      }
    });
}
