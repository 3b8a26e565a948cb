/**
 * Rewrites a JavaScript regular expression (as jsonata's parser builds it: no `u` flag, so
 * Annex B syntax) into RE2 syntax with the same meaning, or says it cannot.
 *
 * The two dialects agree on most of what JSONata users write (literals, classes, `\d \w \b`,
 * greedy and lazy quantifiers, groups, alternation, anchors). Where the meaning differs the
 * rewrite spells JavaScript's meaning out: `.` excludes \r, U+2028 and U+2029 as well as \n, and
 * `\s` is Unicode white space in JavaScript but ASCII in RE2. Where RE2 has no equivalent
 * (lookaround, backreferences, `[^]`, `\S` inside a class, an escape Annex B reads loosely), the
 * answer is `undefined` and the caller runs the native RegExp instead, under a time limit.
 */

/** JavaScript's WhiteSpace and LineTerminator code points (ECMA-262 `\s`), as RE2 class items. */
const JS_SPACE_ITEMS = '\\t\\n\\x0B\\f\\r \\x{A0}\\x{1680}\\x{2000}-\\x{200A}\\x{2028}\\x{2029}\\x{202F}\\x{205F}\\x{3000}\\x{FEFF}';
/** JavaScript's `.` without the `s` flag: anything but a line terminator. */
const JS_DOT = '[^\\n\\r\\x{2028}\\x{2029}]';

const isHex = (c: string | undefined): boolean => c !== undefined && /^[0-9A-Fa-f]$/.test(c);
const isDigit = (c: string | undefined): boolean => c !== undefined && c >= '0' && c <= '9';
/** Without the `u` flag JavaScript matches surrogate halves, RE2 whole code points: not the same. */
export const isSurrogate = (code: number): boolean => code >= 0xd800 && code <= 0xdfff;
/**
 * The non-ASCII characters whose case-insensitive matches differ between JavaScript without `u`
 * (which compares `toUpperCase()` and never lets a non-ASCII character match an ASCII one) and
 * RE2 (Unicode simple case folding): e.g. the Kelvin sign matches `k` in RE2 only, `ß` matches
 * `ẞ` in RE2 only. Derived from both engines over the whole BMP; regex-engine.test.ts re-derives it.
 */
const FOLDS_DIFFERENTLY = /[\u00c5\u00df\u00e5\u017f\u0398\u03a9\u03b8\u03c9\u03f4\u1e9e\u1f80-\u1faf\u1fb3\u1fbc\u1fc3\u1fcc\u1ff3\u1ffc\u2126\u212a\u212b]/;
export const foldsDifferently = (code: number): boolean => FOLDS_DIFFERENTLY.test(String.fromCharCode(code));

const isAsciiLetter = (c: string | undefined): boolean => c !== undefined && /^[A-Za-z]$/.test(c);

/** Escapes RE2 reads as JavaScript does, inside and outside classes. */
const SAME_ESCAPES = new Set(['d', 'D', 'w', 'W', 't', 'n', 'r', 'f', 'v']);

class Untranslatable extends Error {}

/**
 * Reads the escape at `src[i]` (the character after the backslash) and returns its RE2 spelling
 * and the index after it. `inClass` changes `\b` (backspace) and forbids `\S` etc.
 */
function translateEscape(src: string, i: number, inClass: boolean): [string, number] {
  const c = src[i];
  if (c === undefined) throw new Untranslatable(); // a trailing backslash: let RegExp decide
  if (SAME_ESCAPES.has(c)) return [`\\${c}`, i + 1];
  if (c === 's') return [inClass ? JS_SPACE_ITEMS : `[${JS_SPACE_ITEMS}]`, i + 1];
  if (c === 'S') {
    if (inClass) throw new Untranslatable(); // RE2 cannot put a negated set inside a class
    return [`[^${JS_SPACE_ITEMS}]`, i + 1];
  }
  if (c === 'b' && inClass) return ['\\x08', i + 1]; // backspace, inside a class
  if ((c === 'b' || c === 'B') && !inClass) return [`\\${c}`, i + 1];
  if (c === '0' && !isDigit(src[i + 1])) return ['\\x00', i + 1];
  if (isDigit(c)) throw new Untranslatable(); // a backreference (or a legacy octal escape)
  if (c === 'x' && isHex(src[i + 1]) && isHex(src[i + 2])) return [`\\x${src.slice(i + 1, i + 3)}`, i + 3];
  if (c === 'u' && [1, 2, 3, 4].every((k) => isHex(src[i + k]))) return [`\\x{${src.slice(i + 1, i + 5)}}`, i + 5];
  if (c === 'c' && isAsciiLetter(src[i + 1])) {
    const code = src.charCodeAt(i + 1) % 32;
    return [`\\x${code.toString(16).padStart(2, '0')}`, i + 2];
  }
  // Any other letter or digit escape means something loose in Annex B (`\p` is "p", `\k` may be
  // a named backreference); the native engine settles it.
  if (/^[A-Za-z0-9_]$/.test(c)) throw new Untranslatable();
  // Escaped punctuation is the literal character in both dialects; RE2 accepts `\` before any
  // punctuation. Other characters are written as code points.
  if (isSurrogate(c.charCodeAt(0))) throw new Untranslatable();
  return [/^[!-/:-@[-`{-~]$/.test(c) ? `\\${c}` : `\\x{${c.charCodeAt(0).toString(16)}}`, i + 1];
}

/** Copies a class `[...]` starting at `src[i] === '['`; returns its RE2 spelling and the index after `]`. */
function translateClass(src: string, i: number): [string, number] {
  let out = '[';
  i++;
  if (src[i] === '^') {
    out += '^';
    i++;
  }
  // `[]` (nothing) and `[^]` (anything) are JavaScript-only; RE2 would read `]` as a member.
  if (src[i] === ']') throw new Untranslatable();
  while (i < src.length) {
    const c = src[i]!;
    if (c === ']') return [out + ']', i + 1];
    if (c === '\\') {
      const [text, next] = translateEscape(src, i + 1, true);
      out += text;
      i = next;
      continue;
    }
    if (isSurrogate(c.charCodeAt(0))) throw new Untranslatable();
    // `[` is a plain member in JavaScript, but RE2 would read `[:alpha:]` as a POSIX class.
    out += c === '[' ? '\\[' : c;
    i++;
  }
  throw new Untranslatable(); // unterminated: RegExp already refused it, but never guess
}

/**
 * The RE2 pattern meaning what `source` means to JavaScript (flags aside), or undefined when RE2
 * cannot express it exactly.
 */
export function jsRegexToRe2(source: string): string | undefined {
  try {
    let out = '';
    let i = 0;
    while (i < source.length) {
      const c = source[i]!;
      if (c === '\\') {
        const [text, next] = translateEscape(source, i + 1, false);
        out += text;
        i = next;
      } else if (c === '[') {
        const [text, next] = translateClass(source, i);
        out += text;
        i = next;
      } else if (c === '.') {
        out += JS_DOT;
        i++;
      } else if (c === '(' && source[i + 1] === '?') {
        const rest = source.slice(i + 2);
        if (rest.startsWith(':')) {
          out += '(?:';
          i += 3;
        } else if (rest.startsWith('<') && !rest.startsWith('<=') && !rest.startsWith('<!')) {
          out += '(?P<'; // RE2 spells named groups the Python way
          i += 3;
        } else {
          throw new Untranslatable(); // lookahead or lookbehind
        }
      } else if (c === '{') {
        const quantifier = /^\{\d+(,\d*)?\}/.exec(source.slice(i, i + 40));
        // Annex B: a brace that starts no quantifier is a literal.
        out += quantifier === null ? '\\{' : quantifier[0];
        i += quantifier === null ? 1 : quantifier[0].length;
      } else if (c === '}' || c === ']') {
        out += `\\${c}`;
        i++;
      } else {
        const cp = source.charCodeAt(i);
        if (isSurrogate(source.charCodeAt(i))) throw new Untranslatable();
        out += cp > 0x7f ? `\\x{${cp.toString(16)}}` : c;
        i++;
      }
    }
    return out;
  } catch (e) {
    if (e instanceof Untranslatable) return undefined;
    throw e;
  }
}
