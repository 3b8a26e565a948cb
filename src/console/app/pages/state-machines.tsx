/** State machines: the list, and one machine's graph with its definition and recent executions. */
import { useState } from 'preact/hooks';
import { formatTime, sfn, toMs, type StateMachineItem } from '../aws.js';
import { GraphView } from '../components/graph-view.js';
import { href, useLoad } from '../hooks.js';
import { ExecutionsPage } from './executions.js';

export function StateMachinesPage() {
  const list = useLoad(async () => (await sfn<{ stateMachines: StateMachineItem[] }>('ListStateMachines', { maxResults: 1000 })).stateMachines, [], 5000);
  return (
    <>
      <h1>State machines</h1>
      <div class="panel flush">
        {list.error && <div class="error-box">{list.error}</div>}
        <table>
          <thead>
            <tr>
              <th>Name</th>
              <th>Type</th>
              <th>Created</th>
              <th>ARN</th>
            </tr>
          </thead>
          <tbody>
            {(list.data ?? []).map((m) => (
              <tr key={m.stateMachineArn}>
                <td>
                  <a href={href('state-machines', m.stateMachineArn)}>{m.name}</a>
                </td>
                <td>{m.type}</td>
                <td class="mono">{formatTime(toMs(m.creationDate))}</td>
                <td class="mono muted">{m.stateMachineArn}</td>
              </tr>
            ))}
          </tbody>
        </table>
        {list.data?.length === 0 && <p class="empty">No state machines yet: `mlops-sfn serve &lt;pipeline&gt;` deploys one, and any SDK can create one.</p>}
      </div>
    </>
  );
}

interface DescribedMachine {
  name: string;
  stateMachineArn: string;
  definition: string;
  type: string;
  creationDate: number;
  roleArn: string;
}

export function StateMachinePage({ arn }: { arn: string }) {
  const sm = useLoad(() => sfn<DescribedMachine>('DescribeStateMachine', { stateMachineArn: arn }), [arn]);
  const [tab, setTab] = useState<'graph' | 'definition' | 'executions'>('graph');
  if (sm.error) return <div class="error-box">{sm.error}</div>;
  if (!sm.data) return <p class="loading">Loading…</p>;
  const d = sm.data;
  return (
    <>
      <div class="crumbs">
        <a href={href('state-machines')}>State machines</a> › {d.name}
      </div>
      <h1>{d.name}</h1>
      <div class="panel summary">
        <div><span>Type</span>{d.type}</div>
        <div><span>Created</span>{formatTime(toMs(d.creationDate))}</div>
        <div><span>States</span>{countStates(d.definition)}</div>
        <div><span>IAM role</span><span class="mono">{d.roleArn}</span></div>
      </div>
      <div class="tabs" role="tablist">
        {(['graph', 'definition', 'executions'] as const).map((t) => (
          <button type="button" role="tab" aria-selected={tab === t} class={tab === t ? 'active' : ''} onClick={() => setTab(t)}>
            {t === 'graph' ? 'Graph' : t === 'definition' ? 'Definition' : 'Executions'}
          </button>
        ))}
      </div>
      <div style="margin-top:1rem">
        {tab === 'graph' && <GraphView definition={d.definition} />}
        {tab === 'definition' && <pre class="code" style="max-height:70vh">{pretty(d.definition)}</pre>}
        {tab === 'executions' && <ExecutionsPage machine={d.stateMachineArn} />}
      </div>
    </>
  );
}

function pretty(s: string): string {
  try {
    return JSON.stringify(JSON.parse(s), null, 2);
  } catch {
    return s;
  }
}

function countStates(definition: string): number {
  let n = 0;
  const walk = (m: unknown) => {
    const states = (m as { States?: Record<string, { Branches?: unknown[]; ItemProcessor?: unknown; Iterator?: unknown }> })?.States ?? {};
    for (const s of Object.values(states)) {
      n++;
      for (const b of s.Branches ?? []) walk(b);
      if (s.ItemProcessor) walk(s.ItemProcessor);
      if (s.Iterator) walk(s.Iterator);
    }
  };
  try {
    walk(JSON.parse(definition));
  } catch {
    return 0;
  }
  return n;
}
