import type { Json } from '../../core/json.js';
import { runtimeError, States, type StatesError } from '../errors.js';
import { compilePath, PathSyntaxError, trimBlanks, type CompiledPath } from '../jsonpath/index.js';
import type { PathScope } from '../scope.js';
import { compileIntrinsicCall, type Evaluator } from './intrinsic-compiler.js';
import { isIntrinsicCall } from './intrinsic-parser.js';
import { invalidDynamicValue } from './template-syntax-error.js';

export interface CompiledExpression {
  evaluate(scope: PathScope): Json;
}

/**
 * One `.$` value: a path (`$.x`, `$$.Execution.Id`, `$var.x`) or an intrinsic call. Also used on
 * its own by fields that take either (Fail ErrorPath/CausePath). `field` is the name AWS's
 * messages quote: the template key with its `.$`, or the field name.
 */
export function compileDynamicValue(source: string, field: string): CompiledExpression {
  return { evaluate: compileDynamicEvaluator(source, field) };
}

export function compileDynamicEvaluator(source: string, field: string): Evaluator {
  if (trimBlanks(source).startsWith('$')) return compilePathValue(source, field);
  if (isIntrinsicCall(source)) return compileIntrinsicCall(source, field, (path) => compilePathValue(path, field));
  throw invalidDynamicValue(field, `${JSON.stringify(source)} is neither a path starting with '$' nor an intrinsic call such as States.Format(...)`);
}

/**
 * A path whose result is required: a definite path that selects nothing is AWS's States.Runtime
 * "could not be found" failure. An indefinite path always yields an array, [] when nothing matches.
 */
function compilePathValue(source: string, field: string): Evaluator {
  let path: CompiledPath;
  try {
    path = compilePath(source);
  } catch (e) {
    if (e instanceof PathSyntaxError) throw invalidDynamicValue(field, e.message);
    throw e;
  }
  const root = path.root;
  if (!path.definite) {
    if (root.kind !== 'variable') return root.kind === 'input' ? (s) => path.select(s.input)! : (s) => path.select(s.context)!;
    const name = root.name;
    return (s) => {
      const v = s.variables.lookup(name);
      return v === undefined ? [] : path.select(v)!;
    };
  }
  switch (root.kind) {
    case 'input':
      return (s) => {
        const v = path.select(s.input);
        if (v === undefined) throw notFound(path, field, s.input);
        return v;
      };
    case 'context':
      return (s) => {
        const v = path.select(s.context);
        if (v === undefined) throw notFound(path, field, s.context);
        return v;
      };
    case 'variable': {
      const name = root.name;
      return (s) => {
        const value = s.variables.lookup(name);
        if (value === undefined) {
          throw runtimeError(
            States.Runtime,
            `The JSONPath '${path.source}' specified for the field '${field}' refers to the variable '${name}', which has not been assigned`,
          );
        }
        const v = path.select(value);
        if (v === undefined) throw notFound(path, field, value);
        return v;
      };
    }
  }
}

/** AWS quotes the document the path was applied to: the input for `$`, the context object for `$$`. */
function notFound(path: CompiledPath, field: string, document: Json): StatesError {
  return runtimeError(
    States.Runtime,
    `The JSONPath '${path.source}' specified for the field '${field}' could not be found in the input '${JSON.stringify(document)}'`,
  );
}
