import { compilePath, compileReferencePath, isReferencePath, PathSyntaxError, trimBlanks } from '../jsonpath/index.js';

/**
 * Path syntax, as CreateStateMachine checks it. The grammar is the engine's own JSONPath compiler
 * (src/asl/jsonpath, Jayway's grammar as AWS uses it), so a path accepted here is one the engine
 * can run, and the reason given is the compiler's.
 *
 * Heads: `$` (the state input), `$$` (the context object), `$name` (a variable).
 * A Reference Path addresses one node: names and single indexes only. ResultPath is a Reference
 * Path into the state input, so it must start at `$`. Blanks around a path are trimmed first, as
 * Jayway (and so AWS) does: `"$.config.size "` is valid.
 */

export interface PathCheck {
  ok: boolean;
  /** Why the path was refused; only set when ok is false. */
  reason?: string;
}

const OK: PathCheck = { ok: true };

/** AWS's own wording for the commonest mistake (quoted in deployment errors). */
export const NO_DOLLAR = "Path didn't start with '$'";
const NOT_ONE_NODE = 'a reference path may contain only names and single indexes';

export function checkPath(path: string): PathCheck {
  if (!trimBlanks(path).startsWith('$')) return { ok: false, reason: NO_DOLLAR };
  return compiles(() => compilePath(path));
}

export function checkReferencePath(path: string): PathCheck {
  const general = checkPath(path);
  if (!general.ok) return general;
  return isReferencePath(path) ? OK : { ok: false, reason: NOT_ONE_NODE };
}

export function checkResultPath(path: string): PathCheck {
  if (!trimBlanks(path).startsWith('$')) return { ok: false, reason: NO_DOLLAR };
  return compiles(() => compileReferencePath(path));
}

function compiles(compile: () => unknown): PathCheck {
  try {
    compile();
    return OK;
  } catch (err) {
    if (err instanceof PathSyntaxError) return { ok: false, reason: err.problem };
    throw err;
  }
}
