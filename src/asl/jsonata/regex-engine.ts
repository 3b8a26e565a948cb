import vm from 'node:vm';
import type { RE2JS } from 're2js';
import { loadRe2 } from './lazy-modules.js';
import { foldsDifferently, isSurrogate, jsRegexToRe2 } from './js-regex-to-re2.js';
import { JSONATA_LIMITS } from './limits.js';

/**
 * The regular expressions of JSONata expressions (`$match`, `$contains`, `$replace`, `$split`
 * and a regex called as a function), handed to jsonata as its `RegexEngine` option.
 *
 * Patterns come from definitions, inputs from payloads, and a backtracking RegExp such as
 * `/(a+)+$/` takes exponential time in the input: it would block the event loop, which the
 * evaluation timeout (checked between AST nodes) never gets to interrupt. So:
 * - a pattern RE2 can express exactly (see js-regex-to-re2.ts) runs on re2js, linear in the input;
 * - any other (lookaround, backreferences, ...) or an input RE2 would read differently (surrogate
 *   halves; \r and U+2028/9 as line ends under `m`) runs on the native RegExp inside `vm` with a
 *   timeout: V8 interrupts a running regex there. The budget is the expression's own timeout,
 *   shared by every search one regex value makes, and running out fails the field as a runaway
 *   expression does (D1012, States.QueryEvaluationError).
 *
 * jsonata's contract: `new RegexEngine(regexp)`, then `lastIndex` and `exec(str)` like a global
 * RegExp (the parser always adds `g`).
 */

interface Compiled {
  /** Undefined when only the native engine means the same. */
  readonly re2: RE2JS | undefined;
  readonly multiline: boolean;
  readonly ignoreCase: boolean;
}

const compiledByRegExp = new WeakMap<RegExp, Compiled>();

function compile(native: RegExp): Compiled {
  const cached = compiledByRegExp.get(native);
  if (cached !== undefined) return cached;
  let re2: RE2JS | undefined;
  let translated = jsRegexToRe2(native.source);
  // Under `i`, a non-ASCII character in the pattern may fold differently: RegExp decides.
  if (native.ignoreCase && /[^\0-\x7f]|\\u|\\x[89a-fA-F]/.test(native.source)) translated = undefined;
  if (translated !== undefined) {
    let flags = 0;
    const RE2 = loadRe2();
    if (native.ignoreCase) flags |= RE2.CASE_INSENSITIVE;
    if (native.multiline) flags |= RE2.MULTILINE;
    try {
      re2 = RE2.compile(translated, flags);
    } catch {
      re2 = undefined; // beyond RE2 (e.g. a repeat count over 1000): the native engine decides
    }
  }
  const compiled = { re2, multiline: native.multiline, ignoreCase: native.ignoreCase };
  compiledByRegExp.set(native, compiled);
  return compiled;
}

/** Characters on which RE2 and JavaScript disagree: surrogate halves, extra line ends under `m`, folds under `i`. */
function re2ReadsDifferently(str: string, c: Compiled): boolean {
  for (let i = 0; i < str.length; i++) {
    const code = str.charCodeAt(i);
    if (code < 0x80) continue;
    if (isSurrogate(code)) return true;
    if (c.multiline && (code === 0x2028 || code === 0x2029)) return true;
    if (c.ignoreCase && foldsDifferently(code)) return true;
  }
  return c.multiline && str.includes('\r');
}

/** The error jsonata itself raises when an evaluation outlives its timeout. */
function timeoutError(): object {
  return { code: 'D1012', value: JSONATA_LIMITS.timeoutMs, stack: new Error().stack };
}

const sandbox = vm.createContext(Object.create(null) as object);
const NATIVE_EXEC = new vm.Script('re.lastIndex = from; re.exec(str)');

export class GuardedRegExp {
  lastIndex = 0;
  private readonly compiled: Compiled;
  /** The input last checked by re2ReadsDifferently (one regex value searches one string many times). */
  private checkedInput: string | undefined;
  private checkedInputUsesRe2 = false;
  private nativeMsLeft: number = JSONATA_LIMITS.timeoutMs;

  constructor(private readonly native: RegExp) {
    this.compiled = compile(native);
  }

  exec(str: string): RegExpExecArray | null {
    const match = this.usesRe2(str) ? this.execRe2(str) : this.execNative(str);
    this.lastIndex = match === null ? 0 : match.index + match[0].length;
    return match;
  }

  private usesRe2(str: string): boolean {
    if (this.compiled.re2 === undefined) return false;
    if (str !== this.checkedInput) {
      this.checkedInput = str;
      this.checkedInputUsesRe2 = !re2ReadsDifferently(str, this.compiled);
    }
    return this.checkedInputUsesRe2;
  }

  private execRe2(str: string): RegExpExecArray | null {
    const from = this.lastIndex;
    if (from > str.length) return null;
    const m = this.compiled.re2!.matcher(str);
    if (!m.find(from)) return null;
    const groups: (string | undefined)[] = [];
    for (let g = 0; g <= m.groupCount(); g++) groups.push(m.group(g) ?? undefined);
    const result = groups as unknown as RegExpExecArray;
    result.index = m.start();
    result.input = str;
    return result;
  }

  private execNative(str: string): RegExpExecArray | null {
    if (this.nativeMsLeft <= 0) throw timeoutError();
    const started = performance.now();
    try {
      Object.assign(sandbox, { re: this.native, from: this.lastIndex, str });
      return NATIVE_EXEC.runInContext(sandbox, { timeout: Math.ceil(this.nativeMsLeft) }) as RegExpExecArray | null;
    } catch (err) {
      if ((err as { code?: unknown }).code === 'ERR_SCRIPT_EXECUTION_TIMEOUT') throw timeoutError();
      throw err;
    } finally {
      Object.assign(sandbox, { re: undefined, str: undefined });
      this.nativeMsLeft -= performance.now() - started;
    }
  }
}
