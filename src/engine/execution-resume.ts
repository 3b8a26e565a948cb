/**
 * `mlops-sfn resume <execution>`: goes on with one RUNNING execution whose process ended (killed,
 * crashed, closed), in the foreground with the same live progress as `run`. The execution replays its
 * stored history and continues where it stopped (see LocalStepFunctions.resumeExecution); jobs lost
 * with the old process start again under their names. `mlops-sfn redrive <execution>` takes the same
 * path for a FAILED, ABORTED or TIMED_OUT one (LocalStepFunctions.redriveExecution).
 */
import { RealClock, VirtualClock, type Clock } from '../core/clock.js';
import { UserError } from '../core/errors.js';
import type { ExecutionResult } from '../asl/execution.js';
import type { EventMeta, HistoryEvent } from '../asl/history.js';
import { Store } from '../store/index.js';
import { attachManualApprovals } from './local-deployment.js';
import { attachPipelineFunctions } from './pipeline-functions.js';
import { openLocalServices } from './local-services.js';
import { LOCAL_PROGRESS, progressPrinter } from './progress.js';
import { LocalStepFunctions, type StartOptions } from './step-functions/index.js';

export interface ResumeOptions {
  home: string;
  /** The execution's ARN or name. */
  execution: string;
  /** Virtual time for Waits (jobs still take their real time), as `run` does by default. */
  fast?: boolean;
  log: (line: string) => void;
  onEvent?: (e: HistoryEvent, meta: EventMeta) => void;
  /** Redrive (a FAILED, ABORTED or TIMED_OUT execution) instead of resuming a RUNNING one. */
  redrive?: boolean;
}

export async function resumeLocalExecution(opts: ResumeOptions): Promise<{ execution: ExecutionResult; elapsedMs: number }> {
  const t0 = Date.now();
  const { arn, lastEventAt } = findExecution(opts.home, opts.execution);
  // Virtual time never runs backwards: it goes on from the last recorded event.
  const clock: Clock = opts.fast ? new VirtualClock(Math.max(Date.now(), lastEventAt)) : new RealClock();
  const services = openLocalServices(opts.home, { clock });
  try {
    const sfn = new LocalStepFunctions(services, { clock, log: opts.log });
    const approvals = attachManualApprovals(services, clock, opts.log);
    attachPipelineFunctions(services, clock);
    try {
      const printer = progressPrinter(opts.log, t0, LOCAL_PROGRESS);
      let replayed = 0;
      const start = opts.redrive ? (a: string, o: StartOptions) => sfn.redriveExecution({ executionArn: a }, o) : (a: string, o: StartOptions) => sfn.resumeExecution(a, o);
      start(arn, {
        onEvent: (e, meta) => {
          if (meta.replayed) replayed++;
          else {
            if (replayed > 0) opts.log(`replayed ${replayed} recorded event${replayed === 1 ? '' : 's'}; going on from there`);
            replayed = 0;
            printer(e);
          }
          opts.onEvent?.(e, meta);
        },
      });
      opts.log(`${opts.redrive ? 'redriving' : 'resuming'} execution ${arn}`);
      const execution = await sfn.result(arn);
      return { execution, elapsedMs: Date.now() - t0 };
    } finally {
      approvals.stop();
      await sfn.close();
    }
  } finally {
    await services.close();
  }
}

/** An execution by ARN or name, with the time of its last stored event; a UserError when unknown or ambiguous. */
function findExecution(home: string, ref: string): { arn: string; lastEventAt: number } {
  const store = Store.open(home);
  try {
    let row = ref.startsWith('arn:') ? store.executions.get(ref) : undefined;
    if (!row && !ref.startsWith('arn:')) {
      const rows = store.executions.byName(ref);
      if (rows.length > 1) throw new UserError(`more than one execution is named ${ref} (${rows.map((r) => r.stateMachineArn.split(':').pop()).join(', ')}): give its ARN`);
      row = rows[0];
    }
    if (!row) throw new UserError(`no execution ${ref} in ${home} (list them with: mlops-sfn executions list)`);
    const last = store.executions.events(row.arn, { limit: 1, reverse: true })[0];
    return { arn: row.arn, lastEventAt: typeof last?.['timestamp'] === 'number' ? last['timestamp'] : row.startDate };
  } finally {
    store.close();
  }
}
