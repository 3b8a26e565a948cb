import type { Json, JsonObject } from '../../core/json.js';
import { compileJsonataValue, type CompiledJsonata } from '../jsonata/index.js';
import { buildContext, type Frame, type StateEntry } from '../runtime.js';
import type { EventThread, ThreadGroup } from '../history.js';
import { GuardedState, type AttemptResult } from './guarded-state.js';
import type { QueryLanguage } from './state-base.js';
import type { SubMachine, SubMachineCompiler } from './sub-machine.js';
import { asStatesError } from './state-base.js';
import { childAbort } from '../../core/child-abort.js';

/** Parallel: runs every branch on the same input; the output is the array of branch outputs. */
export class ParallelState extends GuardedState {
  private readonly branches: SubMachine[];
  private readonly args: CompiledJsonata | undefined;

  constructor(name: string, raw: JsonObject, ql: QueryLanguage, where: string, compile: SubMachineCompiler) {
    super(name, raw, ql, 'Parameters');
    const branches = Array.isArray(raw['Branches']) ? (raw['Branches'] as JsonObject[]) : [];
    this.branches = branches.map((b, i) => compile(b, `${where}/Branches/${i}`, ql));
    if (ql === 'JSONata' && raw['Arguments'] !== undefined) this.args = compileJsonataValue(raw['Arguments'], 'Arguments');
  }

  protected override get failedEventType(): string {
    return 'ParallelStateFailed';
  }

  protected async attempt(input: Json, frame: Frame, entry: StateEntry): Promise<AttemptResult> {
    const context = buildContext(frame, entry, true);
    const scope = { input, context, variables: frame.vars };
    const branchInput = this.io
      ? this.io.applyParameters(this.io.effectiveInput(input, scope), scope)
      : this.args
        ? await this.args.evaluate(scope)
        : input;
    const h = frame.rt.history;
    h.emit(frame.thread, 'ParallelStateStarted');
    const started = frame.thread.last;
    const child = childAbort(frame.rt.signal);
    const controller = child.controller;
    const group: ThreadGroup = {};
    const threads: EventThread[] = this.branches.map((_, i) => ({ last: started, key: `p${entry.enteredEventId}.${i}`, group }));
    let failed: { error: unknown; thread: EventThread; last: number } | undefined;
    const rt = { ...frame.rt, signal: controller.signal };
    let outcomes: PromiseSettledResult<Json>[];
    try {
      outcomes = await Promise.allSettled(
        this.branches.map(async (b, i) => {
          const thread = threads[i]!;
          try {
            return await b.run(branchInput, { rt, thread, vars: frame.vars.child() });
          } catch (e) {
            // The first failure stops the other branches; AWS chains the state's failure to it.
            if (failed === undefined && !controller.signal.aborted) {
              failed = { error: e, thread, last: thread.last };
              group.failed = thread;
              controller.abort(e);
            }
            throw e;
          }
        }),
      );
    } finally {
      child.detach();
    }
    if (failed !== undefined) {
      // States still in progress in any branch are closed with <Type>StateAborted, chained to the
      // failure; the failing branch's own one last (as AWS records it).
      const f = failed;
      for (const t of threads) if (t !== f.thread && t.running !== undefined) h.emitAfter(f.last, `${t.running}StateAborted`, undefined, t);
      if (f.thread.running !== undefined) h.emitAfter(f.last, `${f.thread.running}StateAborted`, undefined, f.thread);
      frame.thread.last = f.last;
      throw asStatesError(f.error);
    }
    const rejected = outcomes.find((o): o is PromiseRejectedResult => o.status === 'rejected');
    if (rejected !== undefined) throw asStatesError(controller.signal.reason ?? rejected.reason);
    const result = outcomes.map((o) => (o as PromiseFulfilledResult<Json>).value);
    const lastBranchEvent = Math.max(...threads.map((t) => t.last));
    h.emitAfter(lastBranchEvent, 'ParallelStateSucceeded', undefined, frame.thread);
    frame.thread.last = lastBranchEvent;
    return this.shapeResult(input, result, scope);
  }
}
