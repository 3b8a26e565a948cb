/**
 * The state machine drawn as the Step Functions console draws it: states as boxes (coloured by
 * their run status on an execution), Choice rules labelled by condition, Catch edges dashed red,
 * a retry badge on states with Retry, Parallel and Map as boxes holding their branches. All text is
 * rendered as text nodes (never as markup), so hostile state names cannot inject anything.
 */
import { useEffect, useMemo, useState } from 'preact/hooks';
import { shortLabel, type ElkNodeIn } from '../../model/elk-graph.js';
import { buildStateGraph, type GraphNode } from '../../model/state-graph.js';
import type { RunStatus } from '../../model/state-runs.js';
import { layoutGraph, type Laid } from '../elk-layout.js';

export interface GraphViewProps {
  definition: string;
  statuses?: Map<string, RunStatus>;
  selected?: string;
  onSelect?: (stateName: string) => void;
}

const STATUS_TEXT: Record<RunStatus, string> = {
  InProgress: 'In progress',
  Succeeded: 'Succeeded',
  Failed: 'Failed',
  CaughtError: 'Caught error',
  Cancelled: 'Cancelled',
};

export function GraphView({ definition, statuses, selected, onSelect }: GraphViewProps) {
  const graph = useMemo(() => {
    try {
      return buildStateGraph(JSON.parse(definition));
    } catch {
      return undefined;
    }
  }, [definition]);
  const [laid, setLaid] = useState<Laid | { error: string } | undefined>();
  const [scale, setScale] = useState(1);
  useEffect(() => {
    if (!graph) return;
    let alive = true;
    setLaid(undefined);
    const t0 = performance.now();
    layoutGraph(graph).then(
      (l) => {
        if (!alive) return;
        setLaid(l);
        const w = l.root.width ?? 1;
        // Fit wide graphs to the panel (down to 60%), then scroll so the Start is in view.
        const scroller = document.querySelector('.graph-scroll');
        const avail = (scroller?.clientWidth ?? 900) - 16;
        const fit = w > avail ? Math.max(0.6, avail / w) : 1;
        setScale(fit);
        const start = [...l.boxes.values()].find((b) => b.id === '◆start');
        requestAnimationFrame(() => {
          if (scroller && start) scroller.scrollLeft = Math.max(0, (start.x ?? 0) * fit - avail / 2);
        });
        (window as unknown as { __graphLayoutMs?: number }).__graphLayoutMs = performance.now() - t0;
      },
      (e: unknown) => alive && setLaid({ error: (e as Error).message ?? String(e) }),
    );
    return () => {
      alive = false;
    };
  }, [graph]);

  if (!graph) return <div class="error-box">The definition is not valid JSON.</div>;
  const nodes = new Map(graph.nodes.map((n) => [n.id, n]));
  const groupLabels = new Map(graph.groups.map((g) => [g.id, g.label]));

  return (
    <div class="graph-wrap">
      <div class="graph-tools">
        <button type="button" title="Zoom out" onClick={() => setScale((s) => Math.max(0.2, s / 1.25))}>−</button>
        <button type="button" title="Actual size" onClick={() => setScale(1)}>100%</button>
        <button type="button" title="Zoom in" onClick={() => setScale((s) => Math.min(3, s * 1.25))}>+</button>
      </div>
      <div class="graph-scroll">
        {!laid ? (
          <p class="empty">Laying out {graph.nodes.length - 2} states…</p>
        ) : 'error' in laid ? (
          <div class="error-box">The graph could not be laid out: {laid.error}</div>
        ) : (
          <svg
            class="graph"
            role="img"
            aria-label={`State machine graph with ${graph.nodes.length - 2} states`}
            width={(laid.root.width ?? 0) * scale + 16}
            height={(laid.root.height ?? 0) * scale + 16}
          >
            <defs>
              <marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse">
                <path d="M 0 0 L 10 5 L 0 10 z" fill="#5f6b7a" />
              </marker>
              <marker id="arrow-catch" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse">
                <path d="M 0 0 L 10 5 L 0 10 z" fill="#d91515" />
              </marker>
            </defs>
            <g transform={`translate(8 8) scale(${scale})`}>
              {[...laid.boxes.values()]
                .filter((b) => b.children && b.children.length > 0 && b.id !== '◆root')
                .map((b) => {
                  const owner = nodes.get(b.id);
                  const st = owner ? statuses?.get(owner.name) : undefined;
                  return (
                    <g key={b.id} class={`group${owner ? ' owner node' : ''}${st ? ` st-${st}` : ''}${owner && selected === owner.name ? ' selected' : ''}`} data-state={owner?.name}
                      onClick={owner && onSelect ? () => onSelect(owner.name) : undefined}>
                      <rect x={b.x} y={b.y} width={b.width} height={b.height} rx={owner ? 10 : 6} />
                      <text x={(b.x ?? 0) + 10} y={(b.y ?? 0) + 19}>
                        {owner ? `${owner.name} · ${owner.type}` : groupLabels.get(b.id) ?? ''}
                      </text>
                      {owner && st && <title>{`${owner.name}: ${STATUS_TEXT[st]}`}</title>}
                    </g>
                  );
                })}
              {laid.edges.map((e) => {
                const edge = graph.edges.find((x) => x.id === e.id);
                const sec = e.sections?.[0];
                if (!sec || !edge) return null;
                const pts = [sec.startPoint, ...(sec.bendPoints ?? []), sec.endPoint];
                const d = pts.map((p, i) => `${i === 0 ? 'M' : 'L'} ${p.x} ${p.y}`).join(' ');
                const text = edge.label === undefined ? undefined : shortLabel(edge.label);
                // The label sits on the edge's first run after it leaves its state.
                const anchor = pts[1] ?? sec.endPoint;
                const lx = anchor.x + 4;
                const ly = Math.min(anchor.y, sec.startPoint.y + 26) - 4;
                return (
                  <g key={e.id} class={`edge ${edge.kind}`}>
                    <path d={d} marker-end={edge.kind === 'catch' ? 'url(#arrow-catch)' : 'url(#arrow)'} />
                    {text !== undefined && (
                      <g>
                        <rect class="label-bg" x={lx - 2} y={ly - 11} width={text.length * 5.9 + 6} height={15} rx={3} />
                        <text x={lx + 1} y={ly}>
                          {text}
                        </text>
                        <title>{edge.label ?? ''}</title>
                      </g>
                    )}
                  </g>
                );
              })}
              {graph.nodes.map((n) => {
                const b = laid.boxes.get(n.id);
                if (!b || (b.children && b.children.length > 0)) return null;
                return <StateBox key={n.id} node={n} box={b} status={statuses?.get(n.name)} selected={selected === n.name && n.name !== ''} onSelect={onSelect} />;
              })}
            </g>
          </svg>
        )}
      </div>
      <div class="legend">
        <span><i style="background:#e6f2ff;border-color:#0972d3" />In progress</span>
        <span><i style="background:#e9f7ea;border-color:#037f0c" />Succeeded</span>
        <span><i style="background:#fdeaea;border-color:#d91515" />Failed</span>
        <span><i style="background:#fff2e0;border-color:#c45500" />Caught error</span>
        <span><i style="background:#eef0f2;border-color:#5f6b7a" />Cancelled</span>
        <span><i style="background:#fff;border-color:#7d8998" />Not run</span>
        <span style="color:#d91515">- - → Catch</span>
        <span style="color:#c45500">↻ Retry</span>
      </div>
    </div>
  );
}

function StateBox({ node, box, status, selected, onSelect }: { node: GraphNode; box: ElkNodeIn; status: RunStatus | undefined; selected: boolean; onSelect: ((name: string) => void) | undefined }) {
  const x = box.x ?? 0;
  const y = box.y ?? 0;
  const w = box.width ?? 0;
  const h = box.height ?? 0;
  if (node.type === 'Start' || node.type === 'End') {
    return (
      <g class={`node ${node.type}`}>
        <rect x={x} y={y} width={w} height={h} rx={h / 2} />
        <text x={x + w / 2} y={y + h / 2 + 4} text-anchor="middle" font-size="12">
          {node.type}
        </text>
      </g>
    );
  }
  const select = onSelect ? () => onSelect(node.name) : undefined;
  return (
    <g
      class={`node ${node.type}${status ? ` st-${status}` : ''}${selected ? ' selected' : ''}`}
      data-state={node.name}
      data-status={status ?? 'NotRun'}
      role="button"
      tabIndex={0}
      aria-label={`${node.name} (${node.type}${status ? `, ${STATUS_TEXT[status]}` : ''})`}
      onClick={select}
      onKeyDown={(ev) => (ev.key === 'Enter' || ev.key === ' ') && select?.()}
    >
      <rect x={x} y={y} width={w} height={h} rx={node.type === 'Choice' ? 16 : 6} />
      <text class="type" x={x + 10} y={y + 13}>
        {node.type}
      </text>
      <text class="name" x={x + 10} y={y + 28}>
        {node.name}
      </text>
      {node.detail && (
        <text class="detail" x={x + 10} y={y + 42}>
          {node.detail.length > 40 ? `${node.detail.slice(0, 39)}…` : node.detail}
        </text>
      )}
      {node.retries && (
        <text class="retry-badge" x={x + w - 8} y={y + 13} text-anchor="end">
          ↻ Retry
        </text>
      )}
      <title>{`${node.name}${node.detail ? `\n${node.detail}` : ''}${status ? `\n${STATUS_TEXT[status]}` : ''}`}</title>
    </g>
  );
}
