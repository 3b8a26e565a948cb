/**
 * DynamoDB's expression language, parsed: condition expressions (comparisons, BETWEEN, IN, AND/OR/NOT,
 * attribute_exists, attribute_not_exists, attribute_type, begins_with, contains, size) and update
 * expressions (SET with + - if_not_exists list_append, REMOVE, ADD, DELETE). Placeholders are resolved
 * here (`#name` from ExpressionAttributeNames, `:value` from ExpressionAttributeValues), and which of
 * them a request used is recorded, since DynamoDB refuses unused ones. Messages are DynamoDB's.
 */
import type { AttributeValue } from './attribute-values.js';
import { validation } from './errors.js';

export type PathStep = { name: string } | { index: number };
export type Path = PathStep[];

export type Operand = { kind: 'path'; path: Path } | { kind: 'value'; value: AttributeValue; name: string } | { kind: 'size'; path: Path };

export type Condition =
  | { op: 'and' | 'or'; left: Condition; right: Condition }
  | { op: 'not'; expr: Condition }
  | { op: 'cmp'; cmp: '=' | '<>' | '<' | '<=' | '>' | '>='; left: Operand; right: Operand }
  | { op: 'between'; value: Operand; low: Operand; high: Operand }
  | { op: 'in'; value: Operand; list: Operand[] }
  | { op: 'fn'; name: 'attribute_exists' | 'attribute_not_exists' | 'attribute_type' | 'begins_with' | 'contains'; args: Operand[] };

export type SetValue =
  | { kind: 'operand'; operand: Operand }
  | { kind: 'if_not_exists'; path: Path; fallback: SetValue }
  | { kind: 'list_append'; left: SetValue; right: SetValue }
  | { kind: 'plus' | 'minus'; left: SetValue; right: SetValue };

export interface UpdateActions {
  set: { path: Path; value: SetValue }[];
  remove: Path[];
  add: { path: Path; value: AttributeValue }[];
  delete: { path: Path; value: AttributeValue }[];
}

/** The request's placeholders, and which of them expressions used. */
export class Placeholders {
  readonly usedNames = new Set<string>();
  readonly usedValues = new Set<string>();
  constructor(
    readonly names: Record<string, string> | undefined,
    readonly values: Record<string, AttributeValue> | undefined,
  ) {}

  name(token: string, expression: string): string {
    const n = this.names && Object.prototype.hasOwnProperty.call(this.names, token) ? this.names[token] : undefined;
    if (n === undefined) throw validation(`Invalid ${expression}: An expression attribute name used in the document path is not defined; attribute name: ${token}`);
    this.usedNames.add(token);
    return n;
  }

  value(token: string, expression: string): AttributeValue {
    const v = this.values && Object.prototype.hasOwnProperty.call(this.values, token) ? this.values[token] : undefined;
    if (v === undefined) throw validation(`Invalid ${expression}: An expression attribute value used in expression is not defined; attribute value: ${token}`);
    this.usedValues.add(token);
    return v;
  }

  /** DynamoDB refuses placeholders no expression of the request used (and any, without expressions). */
  checkAllUsed(anyExpression: boolean): void {
    if (!anyExpression) {
      if (this.values) throw validation('ExpressionAttributeValues can only be specified when using expressions');
      if (this.names) throw validation('ExpressionAttributeNames can only be specified when using expressions');
      return;
    }
    const unusedValues = Object.keys(this.values ?? {}).filter((k) => !this.usedValues.has(k));
    if (unusedValues.length) throw validation(`Value provided in ExpressionAttributeValues unused in expressions: keys: {${unusedValues.join(', ')}}`);
    const unusedNames = Object.keys(this.names ?? {}).filter((k) => !this.usedNames.has(k));
    if (unusedNames.length) throw validation(`Value provided in ExpressionAttributeNames unused in expressions: keys: {${unusedNames.join(', ')}}`);
  }
}

interface Token {
  kind: 'word' | 'name' | 'value' | 'number' | 'punct' | 'eof';
  text: string;
  at: number;
}

const PUNCT = ['<>', '<=', '>=', '=', '<', '>', '(', ')', ',', '.', '[', ']', '+', '-'];

function tokenize(src: string, expression: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i]!;
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    const rest = src.slice(i);
    const m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(rest) ?? /^#[A-Za-z0-9_]+/.exec(rest) ?? /^:[A-Za-z0-9_]+/.exec(rest) ?? /^\d+/.exec(rest);
    if (m) {
      const text = m[0];
      out.push({ kind: text[0] === '#' ? 'name' : text[0] === ':' ? 'value' : /^\d/.test(text) ? 'number' : 'word', text, at: i });
      i += text.length;
      continue;
    }
    const p = PUNCT.find((q) => rest.startsWith(q));
    if (!p) throw syntaxError(expression, c, src, i);
    out.push({ kind: 'punct', text: p, at: i });
    i += p.length;
  }
  out.push({ kind: 'eof', text: '<EOF>', at: src.length });
  return out;
}

function syntaxError(expression: string, token: string, src: string, at: number) {
  const near = src.slice(Math.max(0, at - 10), Math.min(src.length, at + token.length + 10)).trim();
  return validation(`Invalid ${expression}: Syntax error; token: "${token}", near: "${near}"`);
}

class Parser {
  private readonly tokens: Token[];
  private pos = 0;
  constructor(
    private readonly src: string,
    private readonly expression: string,
    private readonly ph: Placeholders,
  ) {
    if (src.trim() === '') throw validation(`Invalid ${expression}: The expression can not be empty;`);
    // DynamoDB's 4 KB limit on an expression also bounds the parser's recursion on nested parentheses.
    if (Buffer.byteLength(src, 'utf8') > 4096) throw validation(`Invalid ${expression}: Expression size has exceeded the maximum allowed size; expression size: ${Buffer.byteLength(src, 'utf8')}`);
    this.tokens = tokenize(src, expression);
  }

  private peek(): Token {
    return this.tokens[this.pos]!;
  }
  private next(): Token {
    return this.tokens[this.pos++]!;
  }
  private isWord(w: string): boolean {
    const t = this.peek();
    return t.kind === 'word' && t.text.toUpperCase() === w;
  }
  private isPunct(p: string): boolean {
    const t = this.peek();
    return t.kind === 'punct' && t.text === p;
  }
  fail(t: Token = this.peek()): never {
    throw syntaxError(this.expression, t.text, this.src, t.at);
  }
  private expect(p: string): void {
    if (!this.isPunct(p)) this.fail();
    this.pos++;
  }
  end(): void {
    if (this.peek().kind !== 'eof') this.fail();
  }

  // ---- conditions ------------------------------------------------------------------------------

  condition(): Condition {
    let left = this.andExpr();
    while (this.isWord('OR')) {
      this.pos++;
      left = { op: 'or', left, right: this.andExpr() };
    }
    return left;
  }

  private andExpr(): Condition {
    let left = this.notExpr();
    while (this.isWord('AND')) {
      this.pos++;
      left = { op: 'and', left, right: this.notExpr() };
    }
    return left;
  }

  private notExpr(): Condition {
    if (this.isWord('NOT')) {
      this.pos++;
      return { op: 'not', expr: this.notExpr() };
    }
    return this.primary();
  }

  private primary(): Condition {
    if (this.isPunct('(')) {
      this.pos++;
      const c = this.condition();
      this.expect(')');
      return c;
    }
    const t = this.peek();
    const fn = t.kind === 'word' ? t.text : '';
    if (['attribute_exists', 'attribute_not_exists', 'attribute_type', 'begins_with', 'contains'].includes(fn) && this.tokens[this.pos + 1]?.text === '(') {
      this.pos += 2;
      const args = this.args();
      const arity = fn === 'attribute_exists' || fn === 'attribute_not_exists' ? 1 : 2;
      if (args.length !== arity) {
        throw validation(`Invalid ${this.expression}: Incorrect number of operands for operator or function; operator or function: ${fn}, number of operands: ${args.length}`);
      }
      if (args[0]!.kind !== 'path') throw validation(`Invalid ${this.expression}: Operator or function requires a document path; operator or function: ${fn}`);
      return { op: 'fn', name: fn as 'attribute_exists', args };
    }
    const left = this.operand();
    if (this.isWord('BETWEEN')) {
      this.pos++;
      const low = this.operand();
      if (!this.isWord('AND')) this.fail();
      this.pos++;
      return { op: 'between', value: left, low, high: this.operand() };
    }
    if (this.isWord('IN')) {
      this.pos++;
      this.expect('(');
      const list = this.args();
      return { op: 'in', value: left, list };
    }
    const c = this.peek();
    if (c.kind === 'punct' && ['=', '<>', '<', '<=', '>', '>='].includes(c.text)) {
      this.pos++;
      return { op: 'cmp', cmp: c.text as '=', left, right: this.operand() };
    }
    return this.fail();
  }

  /** Arguments after an opening parenthesis, through the closing one. */
  private args(): Operand[] {
    const args = [this.operand()];
    while (this.isPunct(',')) {
      this.pos++;
      args.push(this.operand());
    }
    this.expect(')');
    return args;
  }

  operand(): Operand {
    const t = this.peek();
    if (t.kind === 'value') {
      this.pos++;
      return { kind: 'value', value: this.ph.value(t.text, this.expression), name: t.text };
    }
    if (t.kind === 'word' && t.text === 'size' && this.tokens[this.pos + 1]?.text === '(') {
      this.pos += 2;
      const path = this.path();
      this.expect(')');
      return { kind: 'size', path };
    }
    if (t.kind === 'word' && this.tokens[this.pos + 1]?.text === '(') {
      throw validation(`Invalid ${this.expression}: The function is not allowed to be used this way in an expression; function: ${t.text}`);
    }
    return { kind: 'path', path: this.path() };
  }

  path(): Path {
    const steps: Path = [this.pathName()];
    for (;;) {
      if (this.isPunct('.')) {
        this.pos++;
        steps.push(this.pathName());
      } else if (this.isPunct('[')) {
        this.pos++;
        const n = this.next();
        if (n.kind !== 'number') this.fail(n);
        this.expect(']');
        steps.push({ index: Number(n.text) });
      } else return steps;
    }
  }

  private pathName(): PathStep {
    const t = this.next();
    if (t.kind === 'name') return { name: this.ph.name(t.text, this.expression) };
    if (t.kind === 'word') return { name: t.text };
    return this.fail(t);
  }

  projection(): Path[] {
    const paths = [this.path()];
    while (this.isPunct(',')) {
      this.pos++;
      paths.push(this.path());
    }
    return paths;
  }

  // ---- updates ---------------------------------------------------------------------------------

  update(): UpdateActions {
    const actions: UpdateActions = { set: [], remove: [], add: [], delete: [] };
    const seen = new Set<string>();
    while (this.peek().kind !== 'eof') {
      const t = this.next();
      const clause = t.kind === 'word' ? t.text.toUpperCase() : '';
      if (!['SET', 'REMOVE', 'ADD', 'DELETE'].includes(clause)) this.fail(t);
      if (seen.has(clause)) throw validation(`Invalid UpdateExpression: The "${clause}" section can only be used once in an update expression;`);
      seen.add(clause);
      do {
        if (clause === 'SET') {
          const path = this.path();
          this.expect('=');
          actions.set.push({ path, value: this.setValue() });
        } else if (clause === 'REMOVE') {
          actions.remove.push(this.path());
        } else {
          const path = this.path();
          const v = this.next();
          if (v.kind !== 'value') this.fail(v);
          const value = this.ph.value(v.text, this.expression);
          (clause === 'ADD' ? actions.add : actions.delete).push({ path, value });
        }
      } while (this.isPunct(',') && (this.pos++, true));
    }
    return actions;
  }

  private setValue(): SetValue {
    const left = this.setTerm();
    if (this.isPunct('+') || this.isPunct('-')) {
      const op = this.next().text === '+' ? 'plus' : 'minus';
      return { kind: op, left, right: this.setTerm() };
    }
    return left;
  }

  private setTerm(): SetValue {
    const t = this.peek();
    if (t.kind === 'word' && (t.text === 'if_not_exists' || t.text === 'list_append') && this.tokens[this.pos + 1]?.text === '(') {
      this.pos += 2;
      if (t.text === 'if_not_exists') {
        const path = this.path();
        this.expect(',');
        const fallback = this.setTerm();
        this.expect(')');
        return { kind: 'if_not_exists', path, fallback };
      }
      const left = this.setTerm();
      this.expect(',');
      const right = this.setTerm();
      this.expect(')');
      return { kind: 'list_append', left, right };
    }
    return { kind: 'operand', operand: this.operand() };
  }
}

export function parseCondition(src: string, ph: Placeholders, expression = 'ConditionExpression'): Condition {
  const p = new Parser(src, expression, ph);
  const c = p.condition();
  p.end();
  return c;
}

export function parseUpdate(src: string, ph: Placeholders): UpdateActions {
  const p = new Parser(src, 'UpdateExpression', ph);
  const u = p.update();
  checkOverlaps([...u.set.map((s) => s.path), ...u.remove, ...u.add.map((a) => a.path), ...u.delete.map((d) => d.path)]);
  return u;
}

/** A projection: the paths to return (GetItem's ProjectionExpression). */
export function parseProjection(src: string, ph: Placeholders): Path[] {
  const p = new Parser(src, 'ProjectionExpression', ph);
  const paths = p.projection();
  p.end();
  return paths;
}

export function pathText(path: Path): string {
  return `[${path.map((s) => ('name' in s ? s.name : `[${s.index}]`)).join(', ')}]`;
}

function checkOverlaps(paths: Path[]): void {
  for (let i = 0; i < paths.length; i++) {
    for (let j = i + 1; j < paths.length; j++) {
      const a = paths[i]!;
      const b = paths[j]!;
      const n = Math.min(a.length, b.length);
      let same = true;
      for (let k = 0; k < n && same; k++) same = JSON.stringify(a[k]) === JSON.stringify(b[k]);
      if (same) {
        throw validation(`Invalid UpdateExpression: Two document paths overlap with each other; must remove or rewrite one of these paths; path one: ${pathText(a)}, path two: ${pathText(b)}`);
      }
    }
  }
}
