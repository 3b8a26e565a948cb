import type { Json } from '../../core/json.js';
import { intrinsicFailure, stringArg } from './intrinsic-args.js';
import type { IntrinsicNode } from './intrinsic-parser.js';
import type { IntrinsicImpl, IntrinsicSpec } from './intrinsic-spec.js';
import { javaText } from '../../core/java-text.js';
import { MAX_JSON_DEPTH, throwTooDeep } from './json-values.js';

const FORMAT = 'States.Format';

function placeholderMismatch(placeholders: number, values: number): Error {
  return intrinsicFailure(
    FORMAT,
    `the template has ${placeholders} placeholder${placeholders === 1 ? '' : 's'} '{}' but ${values} value${values === 1 ? ' was' : 's were'} given.`,
  );
}

/** Fills pieces[0] {} pieces[1] {} ... with args[1..]. */
function fill(pieces: readonly string[], args: readonly Json[]): string {
  if (pieces.length !== args.length) throw placeholderMismatch(pieces.length - 1, args.length - 1);
  let s = pieces[0]!;
  for (let i = 1; i < pieces.length; i++) s += javaText(args[i]!, MAX_JSON_DEPTH, throwTooDeep) + pieces[i]!;
  return s;
}

const format: IntrinsicSpec = {
  name: FORMAT,
  minArgs: 1,
  maxArgs: Infinity,
  apply(args) {
    // A template read from a path has no escapes: every '{}' in it is a placeholder.
    return fill(stringArg(FORMAT, args, 0).split('{}'), args);
  },
  specialise(nodes: readonly IntrinsicNode[]): IntrinsicImpl | undefined {
    const first = nodes[0];
    if (first?.kind !== 'literal' || first.formatPieces === undefined) return undefined;
    const pieces = first.formatPieces;
    return (args) => fill(pieces, args);
  },
};

const stringSplit: IntrinsicSpec = {
  name: 'States.StringSplit',
  minArgs: 2,
  maxArgs: 2,
  apply(args) {
    const s = stringArg(this.name, args, 0);
    const delimiters = stringArg(this.name, args, 1);
    return splitOnAny(s, delimiters);
  },
};

/**
 * Measured on AWS: every character of the delimiter string is a separator on its own, and
 * empty pieces are dropped ("a,,b" split on "," gives ["a", "b"]).
 */
export function splitOnAny(s: string, delimiters: string): Json[] {
  const out: Json[] = [];
  if (delimiters.length === 1) {
    let from = 0;
    for (;;) {
      const at = s.indexOf(delimiters, from);
      const end = at === -1 ? s.length : at;
      if (end > from) out.push(s.slice(from, end));
      if (at === -1) return out;
      from = at + 1;
    }
  }
  // Code points, so a delimiter outside the BMP (an emoji) is one separator.
  const set = new Set(delimiters);
  let piece = '';
  for (const ch of s) {
    if (set.has(ch)) {
      if (piece.length > 0) out.push(piece);
      piece = '';
    } else {
      piece += ch;
    }
  }
  if (piece.length > 0) out.push(piece);
  return out;
}

export const STRING_INTRINSICS: readonly IntrinsicSpec[] = [format, stringSplit];
