/**
 * Lays a state graph out with elkjs in a Web Worker (the page stays responsive while a large Map-
 * heavy definition is laid out). The worker script ships with the console (/assets/elk-worker.js).
 */
import ELK from 'elkjs/lib/elk-api.js';
import type { ElkEdgeIn, ElkNodeIn } from '../model/elk-graph.js';
import { toElkGraph } from '../model/elk-graph.js';
import type { StateGraph } from '../model/state-graph.js';

let elk: InstanceType<typeof ELK> | undefined;

export interface Laid {
  root: ElkNodeIn;
  /** Every node and group by id, with absolute x/y/width/height. */
  boxes: Map<string, ElkNodeIn>;
  edges: ElkEdgeIn[];
}

export async function layoutGraph(graph: StateGraph): Promise<Laid> {
  elk ??= new ELK({ workerUrl: '/assets/elk-worker.js' });
  const root = (await elk.layout(toElkGraph(graph) as never)) as unknown as ElkNodeIn;
  const boxes = new Map<string, ElkNodeIn>();
  const edges: ElkEdgeIn[] = [];
  const walk = (n: ElkNodeIn) => {
    boxes.set(n.id, n);
    for (const e of n.edges ?? []) edges.push(e);
    for (const c of n.children ?? []) walk(c);
  };
  walk(root);
  return { root, boxes, edges };
}
