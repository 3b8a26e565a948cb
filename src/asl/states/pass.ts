import type { Json, JsonObject } from '../../core/json.js';
import { compileJsonataValue, type CompiledJsonata } from '../jsonata/index.js';
import { buildContext, type Frame, type StateOutcome } from '../runtime.js';
import { assignByJsonata, assignByPath, compileAssign, type CompiledAssign } from './assign.js';
import { JsonPathIO } from './jsonpath-io.js';
import { StateBase, type QueryLanguage } from './state-base.js';

/** Pass: passes its input to its output, optionally transformed; never does work. */
export class PassState extends StateBase {
  private readonly io: JsonPathIO | undefined;
  private readonly result: Json | undefined;
  private readonly outputExpr: CompiledJsonata | undefined;
  private readonly assign: CompiledAssign | undefined;

  constructor(name: string, raw: JsonObject, ql: QueryLanguage) {
    super(name, raw, ql);
    this.assign = compileAssign(raw['Assign'], ql);
    if (ql === 'JSONPath') {
      this.io = new JsonPathIO(raw, 'Parameters');
      this.result = raw['Result'];
    } else {
      this.outputExpr = raw['Output'] === undefined ? undefined : compileJsonataValue(raw['Output'], 'Output');
    }
  }

  run(input: Json, frame: Frame): StateOutcome | Promise<StateOutcome> {
    const entry = this.enter(input, frame);
    if (this.io === undefined) return this.runJsonata(input, frame, entry);
    try {
      const ctx = buildContext(frame, entry, false);
      const scope = { input, context: ctx, variables: frame.vars };
      const effective = this.io.effectiveInput(input, scope);
      // Result is a literal: it is never evaluated, even where its keys end in ".$".
      const result = this.result !== undefined ? this.result : this.io.applyParameters(effective, scope);
      const assigned = assignByPath(this.assign, { ...scope, input: result });
      const output = this.io.output(this.io.combine(input, result), scope);
      if (assigned) frame.vars.assignAll(assigned);
      this.exit(entry, output, frame, assigned);
      return { next: this.next, output };
    } catch (e) {
      throw this.failure(e, entry, frame);
    }
  }

  private async runJsonata(input: Json, frame: Frame, entry: ReturnType<StateBase['enter']>): Promise<StateOutcome> {
    try {
      const context = buildContext(frame, entry, false);
      const b = { input, context, variables: frame.vars };
      const assigned = this.assign ? await assignByJsonata(this.assign, b) : undefined;
      const output = this.outputExpr ? await this.outputExpr.evaluate(b) : input;
      if (assigned) frame.vars.assignAll(assigned);
      this.exit(entry, output, frame, assigned);
      return { next: this.next, output };
    } catch (e) {
      throw this.failure(e, entry, frame);
    }
  }
}
