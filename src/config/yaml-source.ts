/**
 * YAML text → plain JSON-like data plus the source position of every key and value.
 *
 * The `yaml` package parses (YAML 1.2 core schema, so `yes`/`on` stay strings, as they would in
 * JSON); this module then walks the document tree itself instead of calling `toJS()`, so that
 * hostile input is refused with a located one-line problem and never reaches an object:
 * aliases (the "billion laughs" bomb), merge keys, `__proto__` keys, non-scalar keys, tags,
 * non-finite numbers, and nesting deeper than any pipeline needs.
 */
import { isAlias, isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, type Node, type ParsedNode, type Scalar } from 'yaml';
import { formatFieldPath, type PathSegment } from './field-path.js';
import type { ConfigProblem } from './problems.js';

export interface SourcePosition {
  line: number;
  column: number;
}

/** Largest file accepted: far above any pipeline (AWS caps the execution input at 256 KiB). */
export const MAX_YAML_BYTES = 1024 * 1024;
/** Deepest nesting accepted; SageMaker requests nest about 6 levels below a stage. */
export const MAX_YAML_DEPTH = 64;

/** Where each field path of a parsed file came from. */
export class SourceMap {
  private readonly values = new Map<string, SourcePosition>();
  private readonly keys = new Map<string, SourcePosition>();

  setValue(path: readonly PathSegment[], pos: SourcePosition): void {
    this.values.set(JSON.stringify(path), pos);
  }

  setKey(path: readonly PathSegment[], pos: SourcePosition): void {
    this.keys.set(JSON.stringify(path), pos);
  }

  /**
   * The position of a field: its key (for "unknown field" problems) or its value (for wrong
   * values), falling back to the other, then to the nearest ancestor that exists in the file.
   */
  locate(path: readonly PathSegment[], prefer: 'key' | 'value' = 'value'): SourcePosition {
    for (let n = path.length; n >= 0; n--) {
      const k = JSON.stringify(path.slice(0, n));
      const first = prefer === 'key' ? this.keys.get(k) : this.values.get(k);
      const found = first ?? (prefer === 'key' ? this.values.get(k) : this.keys.get(k));
      if (found) return found;
    }
    return { line: 1, column: 1 };
  }
}

export interface ParsedYaml {
  /** The document as plain data; undefined when the file could not be parsed at all. */
  value: unknown;
  sourceMap: SourceMap;
  problems: ConfigProblem[];
}

const PARSE_OPTIONS = {
  schema: 'core',
  uniqueKeys: true,
  maxAliasCount: 0,
  merge: false,
  strict: true,
  prettyErrors: false,
  version: '1.2',
} as const;

/** The problems of one file, each located (line, column, field path). */
class LocatedProblems {
  readonly list: ConfigProblem[] = [];

  constructor(private readonly file: string) {}

  add(pos: SourcePosition, path: readonly PathSegment[], message: string): void {
    this.list.push({ file: this.file, line: pos.line, column: pos.column, path: formatFieldPath(path), message, severity: 'error' });
  }
}

type Locate = (offset: number | undefined) => SourcePosition;

const TOO_DEEP = `the YAML nesting is too deep to read (a pipeline needs fewer than ${MAX_YAML_DEPTH} levels)`;

/** Parses YAML (JSON is YAML too) without ever throwing: every problem is returned located. */
export function parseYamlSource(text: string, file: string): ParsedYaml {
  const sourceMap = new SourceMap();
  const problems = new LocatedProblems(file);
  const refused = (): ParsedYaml => ({ value: undefined, sourceMap, problems: problems.list });

  if (!acceptableText(text, problems)) return refused();
  const lines = new LineCounter();
  let doc;
  try {
    doc = parseDocument(text, { ...PARSE_OPTIONS, lineCounter: lines });
  } catch (e) {
    // The parser reports its own failures as document errors; this is the last line of defence
    // (e.g. a stack overflow somewhere it does not guard).
    problems.add({ line: 1, column: 1 }, [], `the file cannot be parsed as YAML: ${oneLine(e)} (check its structure and nesting)`);
    return refused();
  }
  const at: Locate = (offset) => {
    const p = lines.linePos(offset ?? 0);
    return { line: p.line, column: p.col };
  };
  reportParserErrors([...doc.errors, ...doc.warnings], at, problems);
  if (problems.list.length > 0) return refused();

  const contents = doc.contents as ParsedNode | null;
  if (contents === null) return { value: null, sourceMap, problems: problems.list };
  let value: unknown;
  try {
    value = new TreeReader(sourceMap, problems, at).read(contents, [], 0);
  } catch (e) {
    problems.add({ line: 1, column: 1 }, [], `the file cannot be read: ${oneLine(e)} (check its structure and nesting)`);
    return refused();
  }
  return { value, sourceMap, problems: problems.list };
}

/** Refuses, before parsing, a file too large or nested too deep for the parser to fail gracefully. */
function acceptableText(text: string, problems: LocatedProblems): boolean {
  if (Buffer.byteLength(text, 'utf8') > MAX_YAML_BYTES) {
    problems.add({ line: 1, column: 1 }, [], `the file is larger than ${MAX_YAML_BYTES / 1024} KiB (a pipeline file is a few KiB; check that this is the right file)`);
    return false;
  }
  const deep = flowNestingBeyond(text, MAX_YAML_DEPTH * 4);
  if (deep !== undefined) {
    // Refused before parsing: the parser would only fail after exhausting its stack at every level.
    const before = text.slice(0, deep);
    const line = before.split('\n').length;
    problems.add({ line, column: deep - before.lastIndexOf('\n') }, [], TOO_DEEP);
    return false;
  }
  return true;
}

/** The parser's errors and warnings, one line each (at most 20). */
function reportParserErrors(errors: readonly { code: string; message: string; pos: [number, number] }[], at: Locate, problems: LocatedProblems): void {
  let exhausted = false;
  for (const err of errors) {
    // Deep nesting makes the parser report the same exhaustion at every level; one line is enough.
    if (err.code === 'RESOURCE_EXHAUSTION' || /call stack/i.test(err.message)) {
      if (exhausted) continue;
      exhausted = true;
      problems.add(at(err.pos[0]), [], TOO_DEEP);
      continue;
    }
    problems.add(at(err.pos[0]), [], yamlErrorMessage(err.code, err.message));
    if (problems.list.length >= 20) break;
  }
}

/**
 * The document tree as plain data, recording where every key and value came from. Whatever the
 * data must not hold is refused where it occurs: aliases (anchors being reused), custom tags,
 * non-finite numbers, merge keys, `__proto__`, non-scalar keys, nesting beyond MAX_YAML_DEPTH.
 * A refused node reads as undefined (left out of its parent).
 */
class TreeReader {
  constructor(
    private readonly sourceMap: SourceMap,
    private readonly problems: LocatedProblems,
    private readonly at: Locate,
  ) {}

  read(node: Node | null, path: PathSegment[], depth: number): unknown {
    if (node === null) return null;
    const pos = this.at(node.range?.[0]);
    this.sourceMap.setValue(path, pos);
    if (depth > MAX_YAML_DEPTH) return this.refuse(pos, path, `nesting deeper than ${MAX_YAML_DEPTH} levels is not accepted (a pipeline needs far fewer)`);
    if (isAlias(node)) return this.refuse(pos, path, `YAML aliases (*${node.source}) are not accepted (write the value out in full)`);
    if (isScalar(node)) return this.scalar(node, pos, path);
    if (isSeq(node)) return node.items.map((item, i) => this.read(item as Node | null, [...path, i], depth + 1));
    if (isMap(node)) return this.mapping(node.items, pos, path, depth);
    return this.refuse(pos, path, `this YAML node is not accepted (write a mapping, list or plain value)`);
  }

  private refuse(pos: SourcePosition, path: readonly PathSegment[], message: string): undefined {
    this.problems.add(pos, path, message);
    return undefined;
  }

  private scalar(node: Scalar, pos: SourcePosition, path: PathSegment[]): unknown {
    if (node.tag !== undefined && node.tag.startsWith('!') && !node.tag.startsWith('!!')) {
      return this.refuse(pos, path, `the YAML tag ${node.tag} is not accepted (write a plain value; this file is data, not a template)`);
    }
    const v = node.value;
    if (typeof v === 'number' && !Number.isFinite(v)) return this.refuse(pos, path, `${node.source ?? String(v)} is not a number JSON can carry (write a finite number)`);
    if (v === null || typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return v;
    return this.refuse(pos, path, `a value of type ${typeof v} is not accepted (write a string, number, boolean or null)`);
  }

  private mapping(items: readonly unknown[], pos: SourcePosition, path: PathSegment[], depth: number): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const pair of items) {
      if (!isPair(pair)) continue;
      const keyNode = pair.key as Node | null;
      const key = this.key(keyNode, pos, path);
      if (key === undefined) continue;
      const childPath = [...path, key];
      const valueNode = pair.value as Node | null;
      if (valueNode === null) this.sourceMap.setValue(childPath, this.at(keyNode?.range?.[0]));
      const v = this.read(valueNode, childPath, depth + 1);
      if (v !== undefined) out[key] = v;
    }
    return out;
  }

  /** A mapping key, if it is one the data may hold (its position recorded). */
  private key(keyNode: Node | null, mapPos: SourcePosition, path: PathSegment[]): string | undefined {
    const keyPos = keyNode ? this.at(keyNode.range?.[0]) : mapPos;
    if (keyNode === null || !isScalar(keyNode) || keyNode.value === null) return this.refuse(keyPos, path, `a mapping key must be a plain name (write "name: value")`);
    if (isAlias(keyNode)) return this.refuse(keyPos, path, `YAML aliases are not accepted as keys (write the key out)`);
    const key = String(keyNode.value);
    const childPath = [...path, key];
    this.sourceMap.setKey(childPath, keyPos);
    if (key === '<<') return this.refuse(keyPos, childPath, `YAML merge keys (<<) are not accepted (write the fields out in full)`);
    if (key === '__proto__') return this.refuse(keyPos, childPath, `"__proto__" is not accepted as a key (remove it)`);
    return key;
  }
}

/**
 * The offset where `[`/`{` flow collections nest deeper than `limit`, if they do: a linear scan
 * that skips quoted strings and comments (an approximation of YAML's grammar that only has to be
 * right for input far deeper than any pipeline).
 */
function flowNestingBeyond(text: string, limit: number): number | undefined {
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '"') {
      for (i++; i < text.length && text[i] !== '"'; i++) if (text[i] === '\\') i++;
    } else if (c === "'") {
      for (i++; i < text.length; i++) {
        if (text[i] === "'") {
          if (text[i + 1] === "'") i++;
          else break;
        }
      }
    } else if (c === '#' && (i === 0 || /\s/.test(text[i - 1]!))) {
      while (i < text.length && text[i] !== '\n') i++;
    } else if (c === '[' || c === '{') {
      if (++depth > limit) return i;
    } else if ((c === ']' || c === '}') && depth > 0) {
      depth--;
    }
  }
  return undefined;
}

function oneLine(e: unknown): string {
  const s = e instanceof Error ? e.message : String(e);
  return s.split('\n')[0]!.trim();
}

/** The parser's message on one line, with what to do for the mistakes people actually make. */
function yamlErrorMessage(code: string, message: string): string {
  const first = message.split('\n')[0]!.trim().replace(/\.$/, '');
  switch (code) {
    case 'DUPLICATE_KEY':
      return `this key appears twice in the same mapping (keep one of them)`;
    case 'TAB_AS_INDENT':
      return `tabs are not allowed for indentation in YAML (indent with spaces)`;
    case 'MULTIPLE_DOCS':
      return `the file holds more than one YAML document (keep one pipeline per file; remove the extra "---")`;
    case 'BAD_ALIAS':
    case 'ALIAS_PROPS':
      return `${first} (aliases are not accepted; write the value out in full)`;
    case 'TAG_RESOLVE_FAILED':
      return `${first} (write a plain value)`;
    default:
      return `invalid YAML: ${first} (check the indentation and quoting around here)`;
  }
}
