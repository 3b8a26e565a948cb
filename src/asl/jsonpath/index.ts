/**
 * JSONPath with AWS Step Functions' semantics. AWS evaluates paths with Jayway JsonPath (an early
 * 2.x: bracket names are not unescaped, a name list is merged into one object and may only end a
 * path); this is our own implementation of that behaviour. Paths compile once into segment lists;
 * evaluation reads own JSON members only, and filter expressions are data interpreted here.
 */
import type { Json } from '../../core/json.js';
import type { PathScope } from '../scope.js';
import type { CompiledPath } from './compile-path.js';
import { parsePath } from './parse-path.js';
import { isReferenceSteps } from './reference-path.js';
import { PathSyntaxError } from './syntax-error.js';

export type { PathRoot } from './ast.js';
export { compilePath, type CompiledPath } from './compile-path.js';
export { compileReferencePath, REFERENCE_PATH_CONFLICT, type ReferencePath } from './reference-path.js';
export { PathSyntaxError } from './syntax-error.js';
export { trimBlanks } from './parse-path.js';

/**
 * Applies a compiled path to the value its root names in `scope`. An unassigned variable counts
 * as missing data: undefined for a definite path, [] for an indefinite one.
 */
export function selectInScope(path: CompiledPath, scope: PathScope): Json | undefined {
  const root = path.root;
  switch (root.kind) {
    case 'input':
      return path.select(scope.input);
    case 'context':
      return path.select(scope.context);
    case 'variable': {
      const v = scope.variables.lookup(root.name);
      if (v === undefined) return path.definite ? undefined : [];
      return path.select(v);
    }
  }
}

/** Whether a string is a syntactically valid path (any root, any segments). */
export function isValidPath(source: string): boolean {
  try {
    parsePath(source);
    return true;
  } catch (e) {
    if (e instanceof PathSyntaxError) return false;
    throw e;
  }
}

/**
 * Whether a string is a valid reference path: names and single indexes only, so it names at most
 * one node ('$', '$.a.b', "$['a']", '$.a[0]', '$$.Execution.Input', '$var.x'). ResultPath needs the
 * input root as well: compileReferencePath checks that.
 */
export function isReferencePath(source: string): boolean {
  try {
    return isReferenceSteps(parsePath(source).steps);
  } catch (e) {
    if (e instanceof PathSyntaxError) return false;
    throw e;
  }
}
