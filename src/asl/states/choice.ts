import type { Json, JsonObject } from '../../core/json.js';
import { StatesError, States } from '../errors.js';
import { compileChoiceRule, type CompiledRule } from '../choice/index.js';
import { compileJsonataValue, resultTypeError, type CompiledJsonata } from '../jsonata/index.js';
import { buildContext, type Frame, type StateEntry, type StateOutcome } from '../runtime.js';
import { assignByJsonata, assignByPath, compileAssign, type CompiledAssign } from './assign.js';
import { JsonPathIO } from './jsonpath-io.js';
import { StateBase, type QueryLanguage } from './state-base.js';

interface Branch {
  next: string;
  rule?: CompiledRule;
  condition?: CompiledJsonata;
  assign?: CompiledAssign | undefined;
  output?: CompiledJsonata | undefined;
}

/** Choice: picks the next state from the first rule that matches, else Default. */
export class ChoiceState extends StateBase {
  private readonly branches: Branch[];
  private readonly defaultNext: string | undefined;
  private readonly io: JsonPathIO | undefined;
  private readonly assign: CompiledAssign | undefined;
  private readonly outputExpr: CompiledJsonata | undefined;

  constructor(name: string, raw: JsonObject, ql: QueryLanguage, where: string) {
    super(name, raw, ql);
    const choices = Array.isArray(raw['Choices']) ? (raw['Choices'] as JsonObject[]) : [];
    this.branches = choices.map((c, i) => {
      const b: Branch = { next: String(c['Next']), assign: compileAssign(c['Assign'], ql) };
      if (ql === 'JSONPath') b.rule = compileChoiceRule(c, `${where}/Choices/${i}`);
      else {
        b.condition = compileJsonataValue(c['Condition'] ?? null, 'Condition');
        if (c['Output'] !== undefined) b.output = compileJsonataValue(c['Output'], 'Output');
      }
      return b;
    });
    this.defaultNext = typeof raw['Default'] === 'string' ? raw['Default'] : undefined;
    this.assign = compileAssign(raw['Assign'], ql);
    if (ql === 'JSONPath') this.io = new JsonPathIO(raw, undefined);
    else if (raw['Output'] !== undefined) this.outputExpr = compileJsonataValue(raw['Output'], 'Output');
  }

  run(input: Json, frame: Frame): StateOutcome | Promise<StateOutcome> {
    const entry = this.enter(input, frame);
    if (this.io === undefined) return this.runJsonata(input, frame, entry);
    try {
      const scope = { input, context: buildContext(frame, entry, false), variables: frame.vars };
      const effective = this.io.effectiveInput(input, scope);
      const evalScope = { ...scope, input: effective };
      let taken: Branch | undefined;
      for (const b of this.branches) {
        if (b.rule!.evaluate(evalScope)) {
          taken = b;
          break;
        }
      }
      const next = taken?.next ?? this.defaultNext;
      if (next === undefined) throw noMatch();
      const assignBlock = taken ? taken.assign : this.assign;
      const assigned = assignByPath(assignBlock, evalScope);
      const output = this.io.output(effective, scope);
      if (assigned) frame.vars.assignAll(assigned);
      this.exit(entry, output, frame, assigned);
      return { next, output };
    } catch (e) {
      throw this.failure(e, entry, frame);
    }
  }

  private async runJsonata(input: Json, frame: Frame, entry: StateEntry): Promise<StateOutcome> {
    try {
      const b = { input, context: buildContext(frame, entry, false), variables: frame.vars };
      let taken: Branch | undefined;
      for (const br of this.branches) {
        const v = await br.condition!.evaluate(b);
        if (typeof v !== 'boolean') throw resultTypeError(br.condition!, 'boolean', v);
        if (v) {
          taken = br;
          break;
        }
      }
      const next = taken?.next ?? this.defaultNext;
      if (next === undefined) throw noMatch();
      const assignBlock = taken ? taken.assign : this.assign;
      const outputBlock = taken ? taken.output ?? this.outputExpr : this.outputExpr;
      const assigned = assignBlock ? await assignByJsonata(assignBlock, b) : undefined;
      const output = outputBlock ? await outputBlock.evaluate(b) : input;
      if (assigned) frame.vars.assignAll(assigned);
      this.exit(entry, output, frame, assigned);
      return { next, output };
    } catch (e) {
      throw this.failure(e, entry, frame);
    }
  }
}

function noMatch(): StatesError {
  return new StatesError(States.NoChoiceMatched, 'No Matches!', false);
}
