import type { Json, JsonObject } from '../../core/json.js';
import { StatesError, runtimeError, States } from '../errors.js';
import { compileJsonataValue, type CompiledJsonata } from '../jsonata/index.js';
import { compileDynamicValue, type CompiledExpression } from '../payload/index.js';
import { buildContext, type Frame, type StateOutcome } from '../runtime.js';
import { StateBase, type QueryLanguage } from './state-base.js';
import type { PathScope } from '../scope.js';

type Source = { literal: string | undefined } | { path: CompiledExpression; field: string } | { jsonata: CompiledJsonata; field: string };

/** Fail: ends the execution (or fails the branch/iteration) with an error name and cause. */
export class FailState extends StateBase {
  private readonly error: Source;
  private readonly cause: Source;

  constructor(name: string, raw: JsonObject, ql: QueryLanguage) {
    super(name, raw, ql);
    this.error = source(raw, 'Error', ql);
    this.cause = source(raw, 'Cause', ql);
  }

  run(input: Json, frame: Frame): StateOutcome | Promise<StateOutcome> {
    const entry = this.enter(input, frame);
    const needsAsync = 'jsonata' in this.error || 'jsonata' in this.cause;
    const scope = { input, context: buildContext(frame, entry, false), variables: frame.vars };
    if (!needsAsync) {
      let err: StatesError;
      try {
        err = new StatesError(resolveSync(this.error, scope), resolveSync(this.cause, scope));
      } catch (e) {
        throw this.failure(e, entry, frame);
      }
      throw err;
    }
    return (async () => {
      let err: StatesError;
      try {
        const error = await resolveAsync(this.error, scope);
        const cause = await resolveAsync(this.cause, scope);
        err = new StatesError(error, cause);
      } catch (e) {
        throw this.failure(e, entry, frame);
      }
      throw err;
    })();
  }
}

function source(raw: JsonObject, field: 'Error' | 'Cause', ql: QueryLanguage): Source {
  const v = raw[field];
  const pathField = `${field}Path`;
  if (ql === 'JSONPath' && typeof raw[pathField] === 'string') {
    return { path: compileDynamicValue(raw[pathField] as string, pathField), field: pathField };
  }
  if (ql === 'JSONata' && v !== undefined) {
    return { jsonata: compileJsonataValue(v, field), field };
  }
  return { literal: typeof v === 'string' ? v : undefined };
}

function resolveSync(s: Source, scope: PathScope): string | undefined {
  if ('literal' in s) return s.literal;
  if ('path' in s) return asText(s.path.evaluate(scope), s.field);
  throw new Error('unreachable: JSONata source resolved synchronously');
}

async function resolveAsync(s: Source, scope: PathScope): Promise<string | undefined> {
  if ('jsonata' in s) {
    const v = await s.jsonata.evaluate({ input: scope.input, context: scope.context, variables: scope.variables });
    if (typeof v !== 'string') {
      throw runtimeError(
        States.QueryEvaluationError,
        `The ${s.field} field must evaluate to a string but was '${JSON.stringify(v)}'`,
      );
    }
    return v;
  }
  return resolveSync(s, scope);
}

function asText(v: Json, field: string): string {
  if (typeof v === 'string') return v;
  throw runtimeError(States.Runtime, `The value of the field '${field}' must be a string but was '${JSON.stringify(v)}'`);
}
