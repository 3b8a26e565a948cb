/**
 * The regular expressions of a training job's MetricDefinitions, run where they cannot hang the
 * process.
 *
 * Users write them in Python's `re` syntax (the SageMaker docs' examples, e.g.
 * `Train_error=(.*?);`), and each one is applied to every line a job logs. A backtracking engine
 * (JavaScript's RegExp, Python's own) takes exponential time on a pattern like `(a+)+$` against a
 * long line, and a job's log is written by user code: so every pattern runs on re2js (RE2 in pure
 * JavaScript, linear in the line's length), translated from Python's syntax so it means what
 * Python would make of it:
 * - `\d`, `\w`, `\s` (and `\D`, `\W`, `\S` outside a class) are Unicode classes, as for Python's
 *   str patterns (RE2's are ASCII); `(?a)` keeps them ASCII. `\b`, `\B`, and `\W`/`\S` inside a
 *   class stay RE2's ASCII ones (they differ from Python only on non-ASCII letters);
 * - `\Z` (end of text), `\uXXXX`, `\UXXXXXXXX`, octal escapes, `{,n}`, a `{` that is no repeat,
 *   and `[` inside a class (RE2 would read `[[:alpha:]]` as a POSIX class) are spelled in RE2's
 *   syntax; escaped punctuation is a literal;
 * - what needs backtracking (backreferences, lookahead/lookbehind, atomic groups, possessive
 *   quantifiers, conditionals) and what RE2 cannot bound (a repeat count over 1000) is refused
 *   with a MetricRegexError, which CreateTrainingJob turns into a ValidationException: a pattern
 *   is refused before the job starts, never skipped or run unsafely.
 */
import { createRequire } from 'node:module';
import type * as re2jsModule from 're2js';

const require = createRequire(import.meta.url);
let re2js: typeof re2jsModule | undefined;
/** re2js is loaded by the first training job that has MetricDefinitions, not at start-up. */
function loadRe2(): typeof re2jsModule.RE2JS {
  return (re2js ??= require('re2js') as typeof re2jsModule).RE2JS;
}

/** A pattern that is not Python `re` syntax, or that cannot run in linear time. */
export class MetricRegexError extends Error {
  constructor(readonly problem: string) {
    super(problem);
    this.name = 'MetricRegexError';
  }
}

export interface MetricRegex {
  /** The value text of the first match in `line`: its first capture group, else the whole match; undefined when nothing matches. */
  firstValue(line: string): string | undefined;
}

const UNICODE_CLASS_BODY: Readonly<Record<string, string>> = {
  d: '\\p{Nd}',
  w: '\\p{L}\\p{N}_',
  // Python's str.isspace(): ASCII whitespace with \v, the separators 0x1c-0x1f, NEL and Unicode's Z*.
  s: '\\s\\x0b\\x1c-\\x1f\\x85\\p{Z}',
};

/** Compiles a MetricDefinitions Regex; throws MetricRegexError when it cannot run here. */
export function compileMetricRegex(pattern: string): MetricRegex {
  const source = new PythonToRe2(pattern).translate();
  const RE2 = loadRe2();
  let re: re2jsModule.RE2JS;
  try {
    re = RE2.compile(source);
  } catch (err) {
    const text = err instanceof Error ? err.message.replace(/^error parsing regexp: /, '') : String(err);
    throw new MetricRegexError(/repeat count/.test(text) ? `a repeat count over 1000 (${text}) cannot run in bounded time` : `it is not a valid regular expression: ${text}`);
  }
  const groups = re.groupCount();
  return {
    firstValue(line: string): string | undefined {
      const m = re.matcher(line);
      if (!m.find()) return undefined;
      return (groups > 0 ? m.group(1) : m.group(0)) ?? '';
    },
  };
}

const NEEDS_BACKTRACKING = 'cannot run in linear time, so it would let a log line hang the job';

class PythonToRe2 {
  private i = 0;
  private out = '';
  private ascii = false;

  constructor(private readonly p: string) {}

  translate(): string {
    const flags = /^\(\?([aiLmsux]+)\)/.exec(this.p);
    if (flags?.[1]?.includes('a')) this.ascii = true;
    while (this.i < this.p.length) {
      const c = this.p[this.i]!;
      if (c === '\\') this.escape(false);
      else if (c === '[') this.charClass();
      else if (c === '(') this.group();
      else if (c === '{') this.brace();
      else if (c === '}') {
        this.out += '\\}';
        this.i++;
      } else if (c === '*' || c === '+' || c === '?') {
        this.out += c;
        this.i++;
        this.quantifierSuffix();
      } else {
        const cp = this.p.codePointAt(this.i)!;
        this.out += String.fromCodePoint(cp);
        this.i += cp > 0xffff ? 2 : 1;
      }
    }
    return this.out;
  }

  /** After a quantifier: `?` makes it lazy (RE2 has that), `+` possessive (RE2 has not). */
  private quantifierSuffix(): void {
    const next = this.p[this.i];
    if (next === '?') {
      this.out += '?';
      this.i++;
    } else if (next === '+') {
      throw new MetricRegexError(`the possessive quantifier at position ${this.i - 1} ${NEEDS_BACKTRACKING}`);
    }
  }

  /** Python's `{m,n}` forms (`{,n}` included); any other `{` is a literal. */
  private brace(): void {
    const m = /^\{(\d*)(?:(,)(\d*))?\}/.exec(this.p.slice(this.i));
    if (m === null || (m[1] === '' && m[2] === undefined)) {
      this.out += '\\{';
      this.i++;
      return;
    }
    const lo = m[1] === '' ? '0' : m[1]!;
    const hi = m[2] === undefined ? lo : m[3]!;
    this.out += m[2] === undefined ? `{${lo}}` : `{${lo},${hi}}`;
    this.i += m[0].length;
    this.quantifierSuffix();
  }

  private group(): void {
    const rest = this.p.slice(this.i);
    const at = this.i;
    if (!rest.startsWith('(?')) {
      this.out += '(';
      this.i++;
      return;
    }
    if (/^\(\?(=|!|<=|<!)/.test(rest)) throw new MetricRegexError(`the lookaround at position ${at} ${NEEDS_BACKTRACKING}`);
    if (rest.startsWith('(?P=')) throw new MetricRegexError(`the backreference at position ${at} ${NEEDS_BACKTRACKING}`);
    if (rest.startsWith('(?>')) throw new MetricRegexError(`the atomic group at position ${at} ${NEEDS_BACKTRACKING}`);
    if (rest.startsWith('(?(')) throw new MetricRegexError(`the conditional group at position ${at} ${NEEDS_BACKTRACKING}`);
    if (rest.startsWith('(?#')) {
      const end = this.p.indexOf(')', this.i);
      if (end < 0) throw new MetricRegexError(`missing ), unterminated comment at position ${at}`);
      this.i = end + 1;
      return;
    }
    const named = /^\(\?P?<([A-Za-z_][A-Za-z0-9_]*)>/.exec(rest);
    if (named !== null) {
      this.out += `(?P<${named[1]}>`;
      this.i += named[0].length;
      return;
    }
    const flags = /^\(\?([aiLmsux]*)(?:-([imsx]+))?(:|\))/.exec(rest);
    if (flags === null) {
      if (rest.startsWith('(?:')) {
        this.out += '(?:';
        this.i += 3;
        return;
      }
      throw new MetricRegexError(`unknown extension ${rest.slice(0, 3)} at position ${at}`);
    }
    const on = flags[1] ?? '';
    const off = flags[2] ?? '';
    if (on.includes('x') || off.includes('x')) throw new MetricRegexError(`verbose mode (?x) at position ${at} is not supported here; write the pattern without it`);
    if (on.includes('L')) throw new MetricRegexError(`the locale flag (?L) at position ${at} is not supported here`);
    if (on.includes('a') && at !== 0) throw new MetricRegexError(`the ASCII flag (?a) is supported here only at the start of the pattern`);
    const keep = (s: string): string => s.replace(/[aLux]/g, '');
    const kept = keep(on) + (off === '' ? '' : `-${keep(off)}`);
    const close = flags[3]!;
    if (kept === '' || kept === '-') this.out += close === ':' ? '(?:' : '';
    else this.out += `(?${kept}${close}`;
    this.i += flags[0].length;
  }

  private charClass(): void {
    this.out += '[';
    this.i++;
    if (this.p[this.i] === '^') {
      this.out += '^';
      this.i++;
    }
    let first = true;
    while (this.i < this.p.length) {
      const c = this.p[this.i]!;
      if (c === ']' && !first) {
        this.out += ']';
        this.i++;
        return;
      }
      first = false;
      if (c === '\\') this.escape(true);
      else if (c === '[' || c === ']') {
        this.out += `\\${c}`;
        this.i++;
      } else {
        const cp = this.p.codePointAt(this.i)!;
        this.out += String.fromCodePoint(cp);
        this.i += cp > 0xffff ? 2 : 1;
      }
    }
    throw new MetricRegexError('unterminated character set');
  }

  private escape(inClass: boolean): void {
    const at = this.i;
    const c = this.p[this.i + 1];
    if (c === undefined) throw new MetricRegexError('bad escape (end of pattern)');
    this.i += 2;
    const lower = c.toLowerCase();
    if ((lower === 'd' || lower === 'w' || lower === 's') && !this.ascii) {
      const body = UNICODE_CLASS_BODY[lower]!;
      if (c === lower) this.out += inClass ? body : `[${body}]`;
      else if (!inClass) this.out += `[^${body}]`;
      else this.out += c === 'D' ? '\\P{Nd}' : `\\${c}`;
      return;
    }
    if ('dDwWsS'.includes(c) || 'afnrtv'.includes(c)) {
      this.out += `\\${c}`;
      return;
    }
    if (c === 'b') {
      this.out += inClass ? '\\x{8}' : '\\b';
      return;
    }
    if (!inClass && (c === 'B' || c === 'A')) {
      this.out += `\\${c}`;
      return;
    }
    if (!inClass && c === 'Z') {
      this.out += '\\z';
      return;
    }
    if (c === 'x' || c === 'u' || c === 'U') {
      const digits = c === 'x' ? 2 : c === 'u' ? 4 : 8;
      const hex = this.p.slice(this.i, this.i + digits);
      if (!new RegExp(`^[0-9A-Fa-f]{${digits}}$`).test(hex)) throw new MetricRegexError(`incomplete escape \\${c}${hex} at position ${at}`);
      const cp = parseInt(hex, 16);
      if (cp > 0x10ffff) throw new MetricRegexError(`bad escape \\${c}${hex} at position ${at}`);
      this.i += digits;
      this.out += `\\x{${cp.toString(16)}}`;
      return;
    }
    if (/[0-9]/.test(c)) {
      this.i--;
      this.octalOrBackreference(at, inClass);
      return;
    }
    if (/[A-Za-z]/.test(c)) throw new MetricRegexError(`bad escape \\${c} at position ${at}`);
    const cp = this.p.codePointAt(this.i - 1)!;
    if (cp > 0xffff) this.i++;
    this.out += `\\x{${cp.toString(16)}}`;
  }

  /** Python: `\0`, `\0oo` and three octal digits are a character; `\1`..`\99` a backreference. */
  private octalOrBackreference(at: number, inClass: boolean): void {
    const digits = /^[0-9]+/.exec(this.p.slice(this.i))![0];
    const octal = /^(0[0-7]{0,2}|[0-3][0-7]{2})/.exec(digits);
    if (octal !== null) {
      this.i += octal[0].length;
      this.out += `\\x{${parseInt(octal[0], 8).toString(16)}}`;
      return;
    }
    if (inClass) throw new MetricRegexError(`bad escape \\${digits[0]} at position ${at}`);
    throw new MetricRegexError(`the backreference \\${digits.slice(0, 2)} at position ${at} ${NEEDS_BACKTRACKING}`);
  }
}
