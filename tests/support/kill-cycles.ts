/**
 * Kill/resume cycles (the durability test and its bench): executions of kill-definition.ts run in a
 * child process that is killed with SIGKILL at random moments and resumed by a new one, again and
 * again, while this process plays the worker that answers task tokens. Afterwards every execution is
 * checked against one uninterrupted run: same status and output, a history with contiguous ids, one
 * start and one end and the same events (so no task succeeded twice), every job completed exactly
 * once and every token handed out once.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { LOCAL_LOCATION } from '../../src/core/arn.js';
import { s3StoreForHome } from '../../src/emulators/s3/index.js';
import { IntegrationRegistry } from '../../src/integrations/registry.js';
import { Store } from '../../src/store/index.js';
import { DURABLE_BUCKET, DURABLE_SCRIPT } from './kill-definition.js';
import { LocalStepFunctions } from '../../src/engine/step-functions/service.js';

const FIXTURE = fileURLToPath(new URL('../fixtures/kill-target.js', import.meta.url));

export interface KillCycleOptions {
  /** Kills to make in all (executions are added until this many kills happened). */
  cycles: number;
  /** A child is killed this long after it started, at random in [min, max] ms. */
  minDelayMs?: number;
  maxDelayMs?: number;
  seed?: number;
  log?: (line: string) => void;
}

export interface KillCycleReport {
  cycles: number;
  executions: number;
  /** Executions that did not end as the uninterrupted one did (status, output or history). */
  lost: number;
  /** Jobs that completed more than once, and task tokens handed out more than once. */
  runTwice: number;
  /** Jobs started again because the kill caught them running (their record lists the restart). */
  jobRestarts: number;
  problems: string[];
  seed: number;
}

interface ChildEnd {
  killed: boolean;
  stdout: string;
  stderr: string;
}

export async function runKillCycles(opts: KillCycleOptions): Promise<KillCycleReport> {
  const seed = opts.seed ?? Date.now() % 100_000;
  const random = mulberry32(seed);
  const log = opts.log ?? (() => {});
  const minDelay = opts.minDelayMs ?? 150;
  const maxDelay = opts.maxDelayMs ?? 2500;
  const home = mkdtempSync(join(tmpdir(), 'mlops-kill-'));
  const s3 = s3StoreForHome(home, { fsync: false });
  await s3.createBucket({ Bucket: DURABLE_BUCKET });
  await s3.putObject({ Bucket: DURABLE_BUCKET, Key: 'code/job.py', Body: Buffer.from(DURABLE_SCRIPT) });

  const store = Store.open(home);
  const worker = new LocalStepFunctions({ store, location: LOCAL_LOCATION, tasks: new IntegrationRegistry() });
  const answered = new Set<string>();
  const answer = setInterval(() => answerTokens(home, worker, answered), 30);
  const problems: string[] = [];
  let cycles = 0;
  const names: string[] = [];
  try {
    const baseline = await child(home, 'start', 'baseline', undefined);
    if (baseline.stdout.trim() !== 'SUCCEEDED') throw new Error(`the uninterrupted execution did not succeed: ${baseline.stdout}${baseline.stderr}`);
    for (let k = 0; cycles < opts.cycles; k++) {
      const name = `e${k}`;
      names.push(name);
      let mode: 'start' | 'resume' = 'start';
      for (;;) {
        const delay = minDelay + random() * (maxDelay - minDelay);
        const end = await child(home, mode, name, delay);
        if (!end.killed) {
          if (end.stdout.trim() === '') {
            const lines = end.stderr.trim().split('\n');
            const error = lines.find((l) => /Error|error:/.test(l)) ?? lines.at(-1);
            problems.push(`${name}: the ${mode} process exited without a result: ${error}`);
          }
          break;
        }
        cycles++;
        const row = store.executions.get(arnOf(name));
        if (!row) mode = 'start';
        else if (row.status === 'RUNNING') mode = 'resume';
        else break;
      }
      log(`${name}: ${store.executions.get(arnOf(name))?.status ?? 'never started'} after ${cycles} kills in all`);
    }
  } finally {
    clearInterval(answer);
  }

  const expected = summarise(store, 'baseline');
  let lost = 0;
  for (const name of names) {
    const got = summarise(store, name);
    const why = compare(expected, got);
    if (why) {
      lost++;
      problems.push(`${name}: ${why}`);
    }
  }
  const runs = jobRuns(home);
  let runTwice = 0;
  let jobRestarts = 0;
  for (const [job, r] of runs) {
    if (r.completed > 1) {
      runTwice++;
      problems.push(`job ${job} completed ${r.completed} times`);
    }
    if (r.completed === 0) problems.push(`job ${job} never completed`);
    jobRestarts += Math.max(0, r.started - 1);
  }
  const handedOut = new Map<string, number>();
  for (const line of readLines(join(home, 'park.log'))) handedOut.set(line, (handedOut.get(line) ?? 0) + 1);
  for (const [line, n] of handedOut) {
    if (n > 1) {
      runTwice++;
      problems.push(`token task ${line.split(' ')[1]} was handed its token ${n} times`);
    }
  }
  const perExecution = new Map<string, number>();
  for (const line of handedOut.keys()) perExecution.set(line.split(' ')[1]!, (perExecution.get(line.split(' ')[1]!) ?? 0) + 1);
  for (const [execution, n] of perExecution) if (n > 1) problems.push(`${execution} handed out ${n} different tokens for its one task`);

  await worker.close();
  store.close();
  if (problems.length === 0) rmSync(home, { recursive: true, force: true });
  else problems.push(`(the home is kept for inspection: ${home})`);
  return { cycles, executions: names.length, lost, runTwice, jobRestarts, problems, seed };
}

function arnOf(name: string): string {
  return `arn:aws:states:${LOCAL_LOCATION.region}:${LOCAL_LOCATION.accountId}:execution:durable:${name}`;
}

/** Runs the fixture; with `killAfterMs`, SIGKILLs it then unless it ended first. */
function child(home: string, mode: 'start' | 'resume', name: string, killAfterMs: number | undefined): Promise<ChildEnd> {
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, [FIXTURE, home, mode, name], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let killed = false;
    p.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    p.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer =
      killAfterMs === undefined
        ? undefined
        : setTimeout(() => {
            killed = true;
            p.kill('SIGKILL');
          }, killAfterMs);
    // A child that hangs is a failure, not a stalled suite.
    const limit = setTimeout(() => p.kill('SIGKILL'), 120_000);
    p.on('error', reject);
    p.on('exit', () => {
      clearTimeout(timer);
      clearTimeout(limit);
      resolve({ killed: killed && !/^(SUCCEEDED|FAILED|TIMED_OUT|ABORTED)\n/.test(stdout), stdout, stderr });
    });
  });
}

/** The worker side of the token task: answers every token the `park` Lambda handed out, once. */
function answerTokens(home: string, sfn: LocalStepFunctions, answered: Set<string>): void {
  for (const line of readLines(join(home, 'park.log'))) {
    const token = line.split(' ')[0]!;
    if (answered.has(token)) continue;
    try {
      sfn.sendTaskSuccess({ taskToken: token, output: '{"approved":true}' });
      answered.add(token);
    } catch (e) {
      // TaskTimedOut: the task already has its answer (delivered before a kill). Anything else: retry.
      if ((e as { name?: string }).name === 'TaskTimedOut') answered.add(token);
    }
  }
}

function readLines(file: string): string[] {
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8').split('\n').filter((l) => l.length > 0);
}

function jobRuns(home: string): Map<string, { started: number; completed: number }> {
  const runs = new Map<string, { started: number; completed: number }>();
  for (const line of readLines(join(home, 'job-runs.log'))) {
    const [what, job, status] = line.split(' ') as [string, string, string | undefined];
    if (job.startsWith('baseline')) continue;
    const r = runs.get(job) ?? { started: 0, completed: 0 };
    if (what === 'start') r.started++;
    else if (status === 'Completed') r.completed++;
    runs.set(job, r);
  }
  return runs;
}

interface Summary {
  status: string;
  output: unknown;
  events: string[];
  historyProblem?: string;
}

function summarise(store: Store, name: string): Summary {
  const arn = arnOf(name);
  const row = store.executions.get(arn);
  if (!row) return { status: 'MISSING', output: undefined, events: [] };
  const events = store.executions.events(arn, { limit: 100_000 });
  let historyProblem: string | undefined;
  const terminal = /^Execution(Succeeded|Failed|TimedOut|Aborted)$/;
  events.forEach((e, i) => {
    if (historyProblem) return;
    const type = e['type'] as string;
    const prev = e['previousEventId'] as number;
    if (e.id !== i + 1) historyProblem = `event ids are not contiguous at #${i + 1} (${e.id})`;
    else if (prev >= e.id || prev < 0) historyProblem = `event #${e.id} chains to #${prev}`;
    else if ((type === 'ExecutionStarted') !== (i === 0)) historyProblem = `ExecutionStarted at #${e.id}`;
    else if (terminal.test(type) !== (i === events.length - 1)) historyProblem = `${type} at #${e.id} of ${events.length}`;
  });
  const labels = events.map((e) => {
    const details = (e['stateEnteredEventDetails'] ?? e['stateExitedEventDetails']) as { name?: string } | undefined;
    return `${e['type'] as string}${details?.name ? `:${details.name}` : ''}`;
  });
  return { status: row.status, output: row.output === undefined ? undefined : JSON.parse(row.output), events: labels.sort(), ...(historyProblem ? { historyProblem } : {}) };
}

function compare(expected: Summary, got: Summary): string | undefined {
  if (got.status !== expected.status) return `status ${got.status}, not ${expected.status}`;
  if (got.historyProblem) return `invalid history: ${got.historyProblem}`;
  if (JSON.stringify(got.output) !== JSON.stringify(expected.output)) return `output ${JSON.stringify(got.output)}, not ${JSON.stringify(expected.output)}`;
  if (got.events.join() !== expected.events.join()) {
    const extra = got.events.filter((e, i) => e !== expected.events[i]).slice(0, 3);
    return `history events differ from an uninterrupted run's (${got.events.length} vs ${expected.events.length}; e.g. ${extra.join(', ')})`;
  }
  return undefined;
}

/** A small seeded PRNG, so a failing sequence of kill moments can be replayed with its seed. */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
