/**
 * A state machine definition as a graph to draw, the way the Step Functions console draws it:
 * a node per state, Parallel and Map states as groups holding their branches / item processor,
 * edges for Next, each Choice rule (labelled by its condition), Default, and Catch (drawn
 * differently); Retry is a property of the state (a badge), not an edge, as in AWS's console.
 *
 * Pure data, no DOM: the browser lays it out (elk-layout.ts) and the Node tests check it.
 * Definitions come from users and may be odd: anything unexpected is skipped, never thrown on.
 */

export type StateType = 'Task' | 'Choice' | 'Wait' | 'Pass' | 'Succeed' | 'Fail' | 'Parallel' | 'Map' | 'Start' | 'End';

export type EdgeKind = 'next' | 'choice' | 'default' | 'catch';

export interface GraphNode {
  /** Unique in the graph: the scope path and the state name (names may repeat across scopes). */
  id: string;
  /** The state's name as history events carry it ('' for the Start/End markers). */
  name: string;
  type: StateType;
  /** The group this node sits in (a branch or item processor id), or undefined at the top. */
  parent?: string;
  /** e.g. the Task's resource, the Wait's duration. */
  detail?: string;
  retries: boolean;
  catches: boolean;
}

/** A Parallel branch or a Map's item processor: the box the inner states are drawn in. */
export interface GraphGroup {
  id: string;
  /** The Parallel / Map node that owns it. */
  owner: string;
  label: string;
}

export interface GraphEdge {
  id: string;
  from: string;
  to: string;
  kind: EdgeKind;
  label?: string;
  /** The scope (group id, or undefined at the top) both ends sit in. */
  scope?: string;
}

export interface StateGraph {
  nodes: GraphNode[];
  groups: GraphGroup[];
  edges: GraphEdge[];
}

type Obj = Record<string, unknown>;

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

const KNOWN: ReadonlySet<string> = new Set(['Task', 'Choice', 'Wait', 'Pass', 'Succeed', 'Fail', 'Parallel', 'Map']);

export function buildStateGraph(definition: unknown): StateGraph {
  const graph: StateGraph = { nodes: [], groups: [], edges: [] };
  if (!isObj(definition)) return graph;
  addScope(graph, definition, '', undefined, true);
  return graph;
}

function nodeId(scope: string, name: string): string {
  return scope === '' ? name : `${scope}/${name}`;
}

/** Adds a scope's states (the machine, a branch, an item processor) and the edges between them. */
function addScope(graph: StateGraph, machine: Obj, scope: string, parent: string | undefined, top: boolean): void {
  const states = isObj(machine['States']) ? machine['States'] : {};
  const startAt = str(machine['StartAt']);
  const start = nodeId(scope, '◆start');
  const end = nodeId(scope, '◆end');
  // Ids from the graph's own count: nested scopes add their edges while this one is being read.
  const edge = (from: string, to: string, kind: EdgeKind, label?: string) => {
    graph.edges.push({ id: `e${graph.edges.length}`, from, to, kind, ...(label !== undefined ? { label } : {}), ...(parent !== undefined ? { scope: parent } : {}) });
  };
  if (top) {
    graph.nodes.push({ id: start, name: '', type: 'Start', retries: false, catches: false });
    graph.nodes.push({ id: end, name: '', type: 'End', retries: false, catches: false });
  }
  const target = (name: unknown): string | undefined =>
    typeof name === 'string' && Object.prototype.hasOwnProperty.call(states, name) && isObj(states[name]) ? nodeId(scope, name) : undefined;

  for (const [name, raw] of Object.entries(states)) {
    if (!isObj(raw)) continue;
    const type = str(raw['Type']) ?? 'Pass';
    const id = nodeId(scope, name);
    const node: GraphNode = {
      id,
      name,
      type: (KNOWN.has(type) ? type : 'Task') as StateType,
      ...(parent !== undefined ? { parent } : {}),
      retries: Array.isArray(raw['Retry']) && raw['Retry'].length > 0,
      catches: Array.isArray(raw['Catch']) && raw['Catch'].length > 0,
    };
    const detail = describe(type, raw);
    if (detail) node.detail = detail;
    graph.nodes.push(node);

    if (type === 'Parallel' && Array.isArray(raw['Branches'])) {
      raw['Branches'].forEach((b, i) => {
        if (!isObj(b)) return;
        const gid = `${id}#branch${i + 1}`;
        graph.groups.push({ id: gid, owner: id, label: `Branch ${i + 1}` });
        addScope(graph, b, gid, gid, false);
      });
    }
    if (type === 'Map') {
      const processor = isObj(raw['ItemProcessor']) ? raw['ItemProcessor'] : isObj(raw['Iterator']) ? raw['Iterator'] : undefined;
      if (processor) {
        const gid = `${id}#items`;
        graph.groups.push({ id: gid, owner: id, label: 'Iteration' });
        addScope(graph, processor, gid, gid, false);
      }
    }

    const next = target(raw['Next']);
    if (next) edge(id, next, 'next');
    if (type === 'Choice' && Array.isArray(raw['Choices'])) {
      for (const rule of raw['Choices']) {
        if (!isObj(rule)) continue;
        const to = target(rule['Next']);
        if (to) edge(id, to, 'choice', conditionLabel(rule));
      }
      const dflt = target(raw['Default']);
      if (dflt) edge(id, dflt, 'default', 'Default');
    }
    if (Array.isArray(raw['Catch'])) {
      for (const c of raw['Catch']) {
        if (!isObj(c)) continue;
        const to = target(c['Next']);
        const errors = Array.isArray(c['ErrorEquals']) ? c['ErrorEquals'].filter((e): e is string => typeof e === 'string') : [];
        if (to) edge(id, to, 'catch', `Catch #${errors.join(', ')}`);
      }
    }
    if (top && (raw['End'] === true || type === 'Succeed' || type === 'Fail')) edge(id, end, 'next');
  }
  if (top) {
    const first = target(startAt);
    if (first) edge(start, first, 'next');
  }
}

function describe(type: string, s: Obj): string | undefined {
  if (type === 'Task') {
    const resource = str(s['Resource']) ?? '';
    // arn:aws:states:::sagemaker:createTrainingJob.sync → sagemaker:createTrainingJob.sync
    const m = /^arn:aws[\w-]*:states:::(.+)$/.exec(resource);
    if (m) return m[1];
    const fn = /:function:([^:]+)/.exec(resource);
    return fn ? `lambda:${fn[1]}` : resource;
  }
  if (type === 'Wait') {
    for (const k of ['Seconds', 'SecondsPath', 'Timestamp', 'TimestampPath']) if (s[k] !== undefined) return `${k} ${String(s[k])}`;
  }
  if (type === 'Map') {
    const mc = s['MaxConcurrency'];
    return mc === undefined || mc === 0 ? 'Map' : `Map, at most ${String(mc)} at once`;
  }
  return undefined;
}

const CHOICE_OPERATORS: Record<string, string> = {
  StringEquals: '==', StringEqualsPath: '==', NumericEquals: '==', NumericEqualsPath: '==', BooleanEquals: '==', BooleanEqualsPath: '==',
  TimestampEquals: '==', TimestampEqualsPath: '==', StringLessThan: '<', NumericLessThan: '<', NumericLessThanPath: '<', StringLessThanPath: '<',
  TimestampLessThan: '<', TimestampLessThanPath: '<', StringGreaterThan: '>', NumericGreaterThan: '>', NumericGreaterThanPath: '>',
  StringGreaterThanPath: '>', TimestampGreaterThan: '>', TimestampGreaterThanPath: '>', StringLessThanEquals: '<=', NumericLessThanEquals: '<=',
  NumericLessThanEqualsPath: '<=', StringLessThanEqualsPath: '<=', TimestampLessThanEquals: '<=', TimestampLessThanEqualsPath: '<=',
  StringGreaterThanEquals: '>=', NumericGreaterThanEquals: '>=', NumericGreaterThanEqualsPath: '>=', StringGreaterThanEqualsPath: '>=',
  TimestampGreaterThanEquals: '>=', TimestampGreaterThanEqualsPath: '>=', StringMatches: 'matches',
};

/** A Choice rule as a short text: JSONata's Condition as written, a JSONPath rule as `$.x == 5`. */
export function conditionLabel(rule: Obj): string {
  const cond = str(rule['Condition']);
  if (cond !== undefined) return cond.replace(/^\{%\s*/, '').replace(/\s*%\}$/, '');
  return ruleText(rule);
}

function ruleText(rule: Obj): string {
  if (Array.isArray(rule['And'])) return rule['And'].filter(isObj).map(ruleText).join(' and ');
  if (Array.isArray(rule['Or'])) return rule['Or'].filter(isObj).map(ruleText).join(' or ');
  if (isObj(rule['Not'])) return `not (${ruleText(rule['Not'])})`;
  const variable = str(rule['Variable']) ?? '';
  for (const [k, v] of Object.entries(rule)) {
    if (k === 'IsNull' || k === 'IsPresent' || k === 'IsNumeric' || k === 'IsString' || k === 'IsBoolean' || k === 'IsTimestamp') {
      return `${variable} ${k}${v === false ? ' false' : ''}`;
    }
    const op = CHOICE_OPERATORS[k];
    if (op) return `${variable} ${op} ${k.endsWith('Path') ? String(v) : JSON.stringify(v)}`;
  }
  return variable || 'rule';
}
