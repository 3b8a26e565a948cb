/**
 * The state graph as an ELK (Eclipse Layout Kernel) input graph: layered, top to bottom, with
 * Parallel and Map states as compound nodes holding their branches, every coordinate in the
 * result absolute (json.shapeCoords / json.edgeCoords ROOT), so drawing needs no offsets.
 *
 * Own minimal types instead of elkjs's so this module stays free of the browser bundle and is
 * tested under Node; elkjs accepts these objects as they are.
 */
import type { GraphEdge, GraphNode, StateGraph } from './state-graph.js';

export interface ElkLabelIn {
  text: string;
  width: number;
  height: number;
  x?: number;
  y?: number;
}

export interface ElkNodeIn {
  id: string;
  width?: number;
  height?: number;
  x?: number;
  y?: number;
  children?: ElkNodeIn[];
  edges?: ElkEdgeIn[];
  labels?: ElkLabelIn[];
  layoutOptions?: Record<string, string>;
}

export interface ElkEdgeIn {
  id: string;
  sources: string[];
  targets: string[];
  labels?: ElkLabelIn[];
  layoutOptions?: Record<string, string>;
  sections?: { startPoint: { x: number; y: number }; endPoint: { x: number; y: number }; bendPoints?: { x: number; y: number }[] }[];
}

const CHAR_WIDTH = 7.2;
const NODE_HEIGHT = 38;
/**
 * Conditions are drawn by the view next to where their edge leaves the Choice, cut to this length
 * (the full text is the edge's tooltip). They are not given to ELK: as label nodes they made the
 * generated pipeline half again as wide and tall.
 */
export const MAX_LABEL_CHARS = 26;

export function nodeSize(n: GraphNode): { width: number; height: number } {
  if (n.type === 'Start' || n.type === 'End') return { width: 64, height: 28 };
  const text = Math.max(n.name.length, Math.min(n.detail?.length ?? 0, 34) * 0.85);
  return { width: Math.max(120, Math.round(text * CHAR_WIDTH + 36)), height: n.detail ? NODE_HEIGHT + 12 : NODE_HEIGHT };
}

export function shortLabel(text: string): string {
  return text.length > MAX_LABEL_CHARS ? `${text.slice(0, MAX_LABEL_CHARS - 1)}…` : text;
}

export const ROOT_OPTIONS: Record<string, string> = {
  'elk.algorithm': 'layered',
  'elk.direction': 'DOWN',
  'elk.hierarchyHandling': 'INCLUDE_CHILDREN',
  'elk.edgeRouting': 'ORTHOGONAL',
  'elk.layered.spacing.nodeNodeBetweenLayers': '36',
  'elk.layered.spacing.edgeNodeBetweenLayers': '14',
  'elk.layered.spacing.edgeEdgeBetweenLayers': '8',
  'elk.spacing.nodeNode': '24',
  'elk.spacing.edgeEdge': '8',
  'elk.spacing.edgeNode': '12',
  'elk.layered.crossingMinimization.strategy': 'LAYER_SWEEP',
  // Edges against the definition's order (retry loops, a failure handler that retries a stage)
  // are the ones drawn going back up, so the main flow reads top to bottom in the order written.
  'elk.layered.cycleBreaking.strategy': 'MODEL_ORDER',
  'elk.layered.nodePlacement.strategy': 'BRANDES_KOEPF',
  'elk.layered.considerModelOrder.strategy': 'NODES_AND_EDGES',
  'elk.json.shapeCoords': 'ROOT',
  'elk.json.edgeCoords': 'ROOT',
};

const GROUP_OPTIONS: Record<string, string> = { 'elk.padding': '[top=30,left=14,bottom=14,right=14]' };

export function toElkGraph(graph: StateGraph): ElkNodeIn {
  const root: ElkNodeIn = { id: '◆root', layoutOptions: ROOT_OPTIONS, children: [], edges: [] };
  const byId = new Map<string, ElkNodeIn>();
  byId.set('◆root', root);
  const groupsOf = new Map<string, string[]>();
  for (const g of graph.groups) groupsOf.set(g.owner, [...(groupsOf.get(g.owner) ?? []), g.id]);

  for (const n of graph.nodes) {
    const groups = groupsOf.get(n.id);
    const elk: ElkNodeIn = groups && groups.length > 0 ? { id: n.id, layoutOptions: { ...GROUP_OPTIONS, 'elk.direction': 'RIGHT' }, children: [], edges: [] } : { id: n.id, ...nodeSize(n) };
    byId.set(n.id, elk);
  }
  for (const g of graph.groups) byId.set(g.id, { id: g.id, layoutOptions: { ...GROUP_OPTIONS, 'elk.direction': 'DOWN' }, children: [], edges: [] });
  // Place nodes (states in their group; groups in their owner) once every container exists.
  for (const g of graph.groups) byId.get(g.owner)?.children!.push(byId.get(g.id)!);
  for (const n of graph.nodes) (n.parent !== undefined ? byId.get(n.parent) : root)?.children!.push(byId.get(n.id)!);
  for (const e of graph.edges) (e.scope !== undefined ? byId.get(e.scope) : root)?.edges!.push(elkEdge(e));
  return root;
}

/**
 * Catch edges mostly lead to one shared failure handler: they must not pull the main flow apart,
 * so the layering favours the Next / Choice edges (straight and pointing down) over them.
 */
function elkEdge(e: GraphEdge): ElkEdgeIn {
  const out: ElkEdgeIn = { id: e.id, sources: [e.from], targets: [e.to] };
  out.layoutOptions =
    e.kind === 'catch'
      ? { 'elk.layered.priority.direction': '0', 'elk.layered.priority.straightness': '0', 'elk.layered.priority.shortness': '0' }
      : { 'elk.layered.priority.direction': '10', 'elk.layered.priority.straightness': '5', 'elk.layered.priority.shortness': '5' };
  return out;
}
