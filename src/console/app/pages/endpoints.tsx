/** Endpoints: status, the model they serve, and a form to invoke one with its latency. */
import { useState } from 'preact/hooks';
import { formatTime, invokeEndpoint, sagemaker, toMs } from '../aws.js';
import { useLoad } from '../hooks.js';
import { LogTail } from '../components/state-panel.js';
import { MetricsChart } from '../components/metrics-chart.js';

interface EndpointSummary {
  EndpointName: string;
  EndpointStatus: string;
  CreationTime: number;
  LastModifiedTime: number;
}

export function EndpointsPage() {
  const list = useLoad(async () => {
    const { Endpoints } = await sagemaker<{ Endpoints: EndpointSummary[] }>('ListEndpoints', { MaxResults: 100 });
    return Promise.all(
      Endpoints.map(async (e) => {
        const d = await sagemaker<{ EndpointConfigName: string; FailureReason?: string }>('DescribeEndpoint', { EndpointName: e.EndpointName });
        const cfg = await sagemaker<{ ProductionVariants: { ModelName: string; VariantName: string }[] }>('DescribeEndpointConfig', { EndpointConfigName: d.EndpointConfigName }).catch(() => undefined);
        return { ...e, config: d.EndpointConfigName, failure: d.FailureReason, variants: cfg?.ProductionVariants ?? [] };
      }),
    );
  }, [], 5000);
  return (
    <>
      <h1>Endpoints</h1>
      {list.error && <div class="error-box">{list.error}</div>}
      {list.data?.length === 0 && <div class="panel empty">No endpoint yet: a pipeline's endpoint stage creates one.</div>}
      {(list.data ?? []).map((e) => (
        <div class="panel" key={e.EndpointName}>
          <h2>
            {e.EndpointName} <span class={`status ${e.EndpointStatus}`}>{e.EndpointStatus}</span>
          </h2>
          <div class="kv">
            <span>Configuration</span>
            <span class="mono">{e.config}</span>
            <span>Model</span>
            <span class="mono">{e.variants.map((v) => `${v.ModelName} (${v.VariantName})`).join(', ')}</span>
            <span>Updated</span>
            <span>{formatTime(toMs(e.LastModifiedTime))}</span>
          </div>
          {e.failure && <div class="error-box">{e.failure}</div>}
          <InvokeForm endpoint={e.EndpointName} />
          {e.variants[0] && (
            <details>
              <summary>Model server log</summary>
              <LogTail job={`${e.EndpointName}-${e.variants[0].VariantName}`} live={false} />
            </details>
          )}
        </div>
      ))}
    </>
  );
}

function InvokeForm({ endpoint }: { endpoint: string }) {
  const [body, setBody] = useState('');
  const [type, setType] = useState('text/csv');
  const [out, setOut] = useState<{ status: number; body: string; ms: number }>();
  const [latencies, setLatencies] = useState<number[]>([]);
  const [busy, setBusy] = useState(false);
  return (
    <form
      onSubmit={async (ev) => {
        ev.preventDefault();
        setBusy(true);
        try {
          const r = await invokeEndpoint(endpoint, body, type, type === 'application/json' ? 'application/json' : 'text/csv');
          setOut(r);
          setLatencies((l) => [...l, r.ms].slice(-20));
        } catch (e) {
          setOut({ status: 0, body: (e as Error).message, ms: 0 });
        }
        setBusy(false);
      }}
    >
      <h3>Invoke</h3>
      <div class="toolbar">
        <label class="field" style="flex:1">
          Body
          <textarea value={body} onInput={(e) => setBody((e.target as HTMLTextAreaElement).value)} placeholder="one CSV row per line" />
        </label>
        <label class="field">
          Content type
          <select value={type} onChange={(e) => setType((e.target as HTMLSelectElement).value)}>
            <option>text/csv</option>
            <option>application/json</option>
          </select>
        </label>
        <button type="submit" class="primary" disabled={busy}>
          Invoke
        </button>
      </div>
      {out && (
        <>
          <p class={out.status === 200 ? 'check-ok' : 'check-bad'}>
            HTTP {out.status} in {out.ms.toFixed(1)} ms
            {latencies.length > 1 && ` — recent: median ${median(latencies).toFixed(1)} ms over ${latencies.length} calls`}
          </p>
          <pre class="code" data-testid="invoke-output">{out.body}</pre>
          {latencies.length > 1 && <MetricsChart series={[{ name: 'latency (ms)', values: latencies }]} xLabel="call" width={520} height={160} />}
        </>
      )}
    </form>
  );
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}
