import { randomUUID } from 'node:crypto';
import type { Json, JsonObject } from '../../core/json.js';
import { mapRunArn } from '../../core/arn.js';
import { childAbort } from '../../core/child-abort.js';
import { StatesError, runtimeError, States } from '../errors.js';
import { compileJsonataValue, resultTypeError, type CompiledJsonata } from '../jsonata/index.js';
import { compilePath, selectInScope, type CompiledPath } from '../jsonpath/index.js';
import { compilePayloadTemplate, type CompiledTemplate } from '../payload/index.js';
import { buildContext, type Frame, type StateEntry } from '../runtime.js';
import { CountingHistory, type EventThread, type ThreadGroup } from '../history.js';
import type { PathScope } from '../scope.js';
import { VariableScope } from '../variables.js';
import { GuardedState, type AttemptResult } from './guarded-state.js';
import { compileNumberField, readNumberField, type NumberChecks, type NumberField } from './number-field.js';
import { asStatesError, type QueryLanguage } from './state-base.js';
import type { SubMachine, SubMachineCompiler } from './sub-machine.js';

/** AWS runs at most 40 inline Map iterations at once, whatever MaxConcurrency says. */
export const INLINE_MAP_MAX_CONCURRENCY = 40;
/** Distributed Map's default and maximum number of concurrent child executions. */
export const DISTRIBUTED_MAP_MAX_CONCURRENCY = 10_000;

/** A numeric field and the kind of number its path's value must be. */
type NumberSource = { field: NumberField; kind: 'integer' | 'float' } | undefined;

/** Map: runs its item processor once per item of an array, inline or as a distributed Map Run. */
export class MapState extends GuardedState {
  private readonly processor: SubMachine;
  private readonly distributed: boolean;
  private readonly label: string | undefined;
  private readonly itemsPath: CompiledPath | undefined;
  private readonly itemsExpr: CompiledJsonata | undefined;
  private readonly itemSelector: CompiledTemplate | undefined;
  private readonly itemSelectorJsonata: CompiledJsonata | undefined;
  private readonly maxConcurrency: NumberSource;
  private readonly toleratedCount: NumberSource;
  private readonly toleratedPercentage: NumberSource;
  private readonly batcher: JsonObject | undefined;
  private readonly batchInput: { template?: CompiledTemplate; jsonata?: CompiledJsonata } | undefined;
  private readonly batchMaxItems: NumberSource;
  private readonly batchMaxBytes: NumberSource;
  private readonly itemReader: Json | undefined;

  constructor(name: string, raw: JsonObject, ql: QueryLanguage, where: string, compile: SubMachineCompiler) {
    super(name, raw, ql, undefined);
    const proc = (raw['ItemProcessor'] ?? raw['Iterator']) as JsonObject;
    const config = (proc?.['ProcessorConfig'] ?? {}) as JsonObject;
    this.distributed = config['Mode'] === 'DISTRIBUTED';
    this.processor = compile(proc, `${where}/${raw['ItemProcessor'] ? 'ItemProcessor' : 'Iterator'}`, ql);
    this.label = typeof raw['Label'] === 'string' ? raw['Label'] : undefined;
    this.batcher = raw['ItemBatcher'] as JsonObject | undefined;
    this.batchMaxItems = this.batcher && numberSource(this.batcher, 'MaxItemsPerBatch', ql, 'integer');
    this.batchMaxBytes = this.batcher && numberSource(this.batcher, 'MaxInputBytesPerBatch', ql, 'integer');
    const bi = this.batcher?.['BatchInput'];
    if (bi !== undefined) {
      this.batchInput = ql === 'JSONPath' ? { template: compilePayloadTemplate(bi, 'BatchInput') } : { jsonata: compileJsonataValue(bi, 'BatchInput') };
    }
    this.itemReader = raw['ItemReader'];
    const selector = raw['ItemSelector'] ?? raw['Parameters'];
    if (ql === 'JSONPath') {
      this.itemsPath = typeof raw['ItemsPath'] === 'string' ? compilePath(raw['ItemsPath']) : undefined;
      if (selector !== undefined) this.itemSelector = compilePayloadTemplate(selector, raw['ItemSelector'] !== undefined ? 'ItemSelector' : 'Parameters');
    } else {
      if (raw['Items'] !== undefined) this.itemsExpr = compileJsonataValue(raw['Items'], 'Items');
      if (selector !== undefined) this.itemSelectorJsonata = compileJsonataValue(selector, 'ItemSelector');
    }
    this.maxConcurrency = numberSource(raw, 'MaxConcurrency', ql, 'integer');
    this.toleratedCount = numberSource(raw, 'ToleratedFailureCount', ql, 'integer');
    this.toleratedPercentage = numberSource(raw, 'ToleratedFailurePercentage', ql, 'float');
  }

  protected override get failedEventType(): string {
    return 'MapStateFailed';
  }

  protected async attempt(input: Json, frame: Frame, entry: StateEntry): Promise<AttemptResult> {
    const context = buildContext(frame, entry, true);
    const scope = { input, context, variables: frame.vars };
    if (this.itemReader !== undefined) {
      throw new StatesError(
        States.ItemReaderFailed,
        'ItemReader is not supported by the local engine yet; pass the items inline with ItemsPath or Items.',
      );
    }
    const effective = this.io ? this.io.effectiveInput(input, scope) : input;
    const items = await this.items(effective, scope);
    const maxConcurrency = await this.resolveNumber(this.maxConcurrency, scope);

    const h = frame.rt.history;
    if (h.enabled) h.emit(frame.thread, 'MapStateStarted', { length: items.length });
    else h.emit(frame.thread, 'MapStateStarted');

    // AWS reads the tolerated-failure thresholds once the Map has started (they belong to the Map Run).
    const toleratedCount = await this.resolveNumber(this.toleratedCount, scope);
    const toleratedPercentage = await this.resolveNumber(this.toleratedPercentage, scope);
    if (toleratedPercentage !== undefined && (toleratedPercentage < 0 || toleratedPercentage > 100)) {
      throw runtimeError(States.Runtime, 'ToleratedFailurePercentage must be between 0 and 100.');
    }
    if (toleratedCount !== undefined && toleratedCount < 0) {
      throw runtimeError(States.Runtime, 'ToleratedFailureCount cannot be negative.');
    }

    const inputs = await this.itemInputs(items, effective, scope, frame);
    const result = this.distributed
      ? await this.runDistributed(inputs, frame, maxConcurrency, toleratedCount, toleratedPercentage)
      : await this.runInline(inputs, items, frame, maxConcurrency, `m${entry.enteredEventId}`);
    return this.shapeResult(input, result, scope);
  }

  /** The array to iterate: ItemsPath (JSONPath) or Items (JSONata), by default the input itself. */
  private async items(effective: Json, scope: PathScope): Promise<Json[]> {
    if (this.itemsExpr) {
      const v = await this.itemsExpr.evaluate({ ...scope, input: scope.input });
      if (!Array.isArray(v)) throw resultTypeError(this.itemsExpr, 'array', v);
      return v;
    }
    const v = this.itemsPath ? selectInScope(this.itemsPath, { ...scope, input: effective }) : effective;
    if (v === undefined) {
      throw runtimeError(
        States.Runtime,
        `The JSONPath '${this.itemsPath!.source}' specified for the field 'ItemsPath' could not be found in the input '${JSON.stringify(effective)}'`,
      );
    }
    if (!Array.isArray(v)) {
      if (this.queryLanguage === 'JSONata') {
        throw runtimeError(States.QueryEvaluationError, `Map state input must be an array but was: ${JSON.stringify(v)}`);
      }
      throw runtimeError(
        States.Runtime,
        `The JSONPath '${this.itemsPath?.source ?? '$'}' specified for the field 'ItemsPath' must point to an array but was '${JSON.stringify(v)}'`,
      );
    }
    return v;
  }

  /** Each iteration's input: the item, or ItemSelector evaluated with `$$.Map.Item`; then ItemBatcher. */
  private async itemInputs(
    items: Json[],
    effective: Json,
    scope: PathScope,
    frame: Frame,
  ): Promise<Json[]> {
    let inputs: Json[] = items;
    if (this.itemSelector || this.itemSelectorJsonata) {
      inputs = new Array<Json>(items.length);
      for (let i = 0; i < items.length; i++) {
        const context: JsonObject = { ...scope.context, Map: { Item: { Index: i, Value: items[i]! } } };
        inputs[i] = this.itemSelector
          ? this.itemSelector.evaluate({ input: effective, context, variables: frame.vars })
          : await this.itemSelectorJsonata!.evaluate({ input: scope.input, context, variables: frame.vars });
      }
    }
    if (this.batcher === undefined) return inputs;
    return this.batch(inputs, scope);
  }

  private async batch(inputs: Json[], scope: PathScope): Promise<Json[]> {
    const maxItems = await this.resolveNumber(this.batchMaxItems, scope);
    const maxBytes = await this.resolveNumber(this.batchMaxBytes, scope);
    const bi = this.batchInput;
    const batchInput = bi === undefined ? undefined : bi.template ? bi.template.evaluate(scope) : await bi.jsonata!.evaluate(scope);
    const limitItems = maxItems ?? Number.MAX_SAFE_INTEGER;
    const limitBytes = maxBytes ?? 256 * 1024;
    const batches: Json[] = [];
    let current: Json[] = [];
    let bytes = 0;
    for (const item of inputs) {
      const size = Buffer.byteLength(JSON.stringify(item), 'utf8');
      if (current.length > 0 && (current.length >= limitItems || bytes + size > limitBytes)) {
        batches.push(batchOf(current, batchInput));
        current = [];
        bytes = 0;
      }
      current.push(item);
      bytes += size;
    }
    if (current.length > 0) batches.push(batchOf(current, batchInput));
    return batches;
  }

  private async runInline(inputs: Json[], items: Json[], frame: Frame, maxConcurrency: number | undefined, threadPrefix: string): Promise<Json[]> {
    const h = frame.rt.history;
    const limit = Math.min(maxConcurrency && maxConcurrency > 0 ? maxConcurrency : INLINE_MAP_MAX_CONCURRENCY, INLINE_MAP_MAX_CONCURRENCY);
    const results = new Array<Json>(inputs.length);
    // `stopped` mirrors controller.signal.aborted: a plain read in the per-iteration loop.
    let stopped = false;
    const child = childAbort(frame.rt.signal, { onParentAbort: () => (stopped = true) });
    const controller = child.controller;
    const rt = { ...frame.rt, signal: controller.signal };
    const details = (i: number) => (h.enabled ? { index: i, name: this.name } : undefined);
    const group: ThreadGroup = {};
    // An iteration that starts when another ends chains its MapIterationStarted to that one's last event.
    let cursor = frame.thread.last;
    let lastIterationEnd = frame.thread.last;
    let failure: { error: unknown; last: number; thread: EventThread } | undefined;

    const start = (i: number, previous: number): EventThread => {
      const thread: EventThread = { last: 0, key: `${threadPrefix}.${i}`, group };
      thread.last = h.emitAfter(previous, 'MapIterationStarted', details(i), thread);
      return thread;
    };

    const runOne = async (i: number, thread: EventThread): Promise<void> => {
      try {
        results[i] = await this.processor.run(inputs[i]!, { rt, thread, vars: frame.vars.child(), mapItem: { Index: i, Value: items[i] ?? inputs[i]! } });
        cursor = thread.last;
        lastIterationEnd = h.emitAfter(thread.last, 'MapIterationSucceeded', details(i), thread);
      } catch (e) {
        cursor = thread.last;
        if (failure === undefined && !stopped) {
          // The first failure: the other iterations are aborted, their events chained to this one's.
          failure = { error: e, last: thread.last, thread };
          h.emitAfter(thread.last, 'MapIterationFailed', details(i), thread);
          group.failed = thread;
          stopped = true;
          controller.abort(e);
        } else {
          const at = failure?.last ?? thread.last;
          if (thread.running !== undefined) h.emitAfter(at, `${thread.running}StateAborted`, undefined, thread);
          h.emitAfter(at, 'MapIterationAborted', details(i), thread);
        }
      }
    };

    // AWS starts the first wave of iterations (up to the concurrency) before any of them runs.
    const wave = Math.min(limit, inputs.length);
    const firstThreads = Array.from({ length: wave }, (_, i) => start(i, frame.thread.last));
    let nextIndex = wave;
    const worker = async (k: number): Promise<void> => {
      let i = k;
      let thread = firstThreads[k]!;
      for (;;) {
        await runOne(i, thread);
        if (stopped || nextIndex >= inputs.length) return;
        i = nextIndex++;
        thread = start(i, cursor);
      }
    };
    try {
      await Promise.all(firstThreads.map((_, k) => worker(k)));
    } finally {
      child.detach();
    }
    if (failure !== undefined) {
      // The failing iteration's own state in progress is closed last, just before MapStateFailed.
      if (failure.thread.running !== undefined) h.emitAfter(failure.last, `${failure.thread.running}StateAborted`, undefined, failure.thread);
      frame.thread.last = failure.last;
      throw asStatesError(failure.error);
    }
    h.emitAfter(lastIterationEnd, 'MapStateSucceeded', undefined, frame.thread);
    frame.thread.last = lastIterationEnd;
    return results;
  }

  /**
   * Distributed mode: each item is a child execution with its own history (not in the parent's)
   * and no access to the parent's variables; failures up to the tolerated threshold are allowed.
   */
  private async runDistributed(
    inputs: Json[],
    frame: Frame,
    maxConcurrency: number | undefined,
    toleratedCount: number | undefined,
    toleratedPercentage: number | undefined,
  ): Promise<Json[]> {
    const h = frame.rt.history;
    const machineName = String(frame.rt.stateMachineContext['Name'] ?? 'machine');
    const arn = mapRunArn(frame.rt.location, machineName, this.label ?? this.name, randomUUID());
    const runStarted = h.emit(frame.thread, 'MapRunStarted', h.enabled ? { mapRunArn: arn } : undefined);
    const limit = maxConcurrency && maxConcurrency > 0 ? Math.min(maxConcurrency, DISTRIBUTED_MAP_MAX_CONCURRENCY) : DISTRIBUTED_MAP_MAX_CONCURRENCY;
    const results = new Array<Json>(inputs.length);
    const childHistory = { ...frame.rt, history: new CountingHistory() };
    let failures = 0;
    let firstFailure: unknown;
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < inputs.length) {
        const i = next++;
        try {
          results[i] = await this.processor.run(inputs[i]!, {
            rt: childHistory,
            thread: { last: 0 },
            vars: new VariableScope(),
            mapItem: { Index: i, Value: inputs[i]! },
          });
        } catch (e) {
          failures++;
          firstFailure ??= e;
          const err = asStatesError(e);
          results[i] = { Error: err.error ?? '', Cause: err.cause ?? '' };
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(limit, Math.max(inputs.length, 1)) }, worker));
    const allowedByCount = toleratedCount ?? 0;
    const allowedByPct = toleratedPercentage !== undefined ? (toleratedPercentage / 100) * inputs.length : 0;
    if (failures > 0 && failures > allowedByCount && failures > allowedByPct) {
      h.emit(frame.thread, 'MapRunFailed');
      throw new StatesError(
        States.ExceedToleratedFailureThreshold,
        'The specified tolerated failure threshold was exceeded',
      );
    }
    const runEnd = h.emit(frame.thread, 'MapRunSucceeded');
    h.emitAfter(runEnd, 'MapStateSucceeded', undefined, frame.thread);
    // Every recording since AWS's November 2024 engine (JSONata, variables) chains MapStateExited
    // to MapRunStarted; recordings made before then chained it to MapRunSucceeded.
    frame.thread.last = runStarted;
    return results;
  }

  private async resolveNumber(s: NumberSource, scope: PathScope): Promise<number | undefined> {
    if (s === undefined) return undefined;
    return readNumberField(s.field, scope, s.kind === 'integer' ? INTEGER_FIELD : FLOAT_FIELD);
  }
}

/** AWS reads the value's text as a number, so "1" is accepted where 1 is; "NoNumber" and {} are not. */
function numericValue(v: Json | undefined, kind: 'integer' | 'float'): number | undefined {
  const text = typeof v === 'number' ? String(v) : typeof v === 'string' ? v.trim() : undefined;
  if (text === undefined) return undefined;
  const re = kind === 'integer' ? /^[+-]?\d+$/ : /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
  return re.test(text) ? Number(text) : undefined;
}

function numberSource(raw: JsonObject, field: string, ql: QueryLanguage, kind: 'integer' | 'float'): NumberSource {
  const f = compileNumberField(raw, field, ql);
  return f && { field: f, kind };
}

/** A Map's numeric field read at run time: JSONata must give a number, a path a number's text of the field's kind. */
function numberChecks(kind: 'integer' | 'float'): NumberChecks {
  return {
    fromPath(v: Json | undefined, path, field): number {
      const n = numericValue(v, kind);
      if (n !== undefined) return n;
      const shown = typeof v === 'string' ? v : JSON.stringify(v ?? null);
      throw runtimeError(States.Runtime, `The ${field} field refers to value "${shown}" which is not a valid ${kind}: ${path.source}`);
    },
    fromJsonata(v: Json, field: string): number {
      if (typeof v !== 'number') {
        throw runtimeError(States.QueryEvaluationError, `The ${field} field must evaluate to a number but was: ${JSON.stringify(v)}`, field);
      }
      return v;
    },
  };
}
const INTEGER_FIELD = numberChecks('integer');
const FLOAT_FIELD = numberChecks('float');

function batchOf(items: Json[], batchInput: Json | undefined): Json {
  const b: JsonObject = {};
  if (batchInput !== undefined) b['BatchInput'] = batchInput;
  b['Items'] = items;
  return b;
}
