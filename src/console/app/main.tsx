/**
 * The mlops-sfn web console: a single page served by `mlops-sfn serve` at its root, reading the
 * home through the local API (AWS protocols) and the console's JSON endpoints. Hash routes:
 *   #/executions, #/executions/<arn>, #/state-machines, #/state-machines/<arn>, #/approvals,
 *   #/registry, #/endpoints, #/s3[/<bucket>/<prefix>]
 */
import { render } from 'preact';
import { consoleGet } from './aws.js';
import type { Approval } from './components/approval-card.js';
import { href, useLoad, useRoute } from './hooks.js';
import { ApprovalsPage } from './pages/approvals.js';
import { EndpointsPage } from './pages/endpoints.js';
import { ExecutionPage } from './pages/execution.js';
import { ExecutionsPage } from './pages/executions.js';
import { RegistryPage } from './pages/registry.js';
import { S3Page } from './pages/s3.js';
import { StateMachinePage, StateMachinesPage } from './pages/state-machines.js';

const NAV: [string, string][] = [
  ['executions', 'Executions'],
  ['state-machines', 'State machines'],
  ['approvals', 'Approvals'],
  ['registry', 'Model registry'],
  ['endpoints', 'Endpoints'],
  ['s3', 'Local S3'],
];

function Page({ route }: { route: string[] }) {
  const [section, arg, rest] = route;
  switch (section) {
    case 'state-machines':
      return arg ? <StateMachinePage arn={arg} /> : <StateMachinesPage />;
    case 'executions':
      return arg ? <ExecutionPage arn={arg} /> : <ExecutionsPage />;
    case 'approvals':
      return <ApprovalsPage />;
    case 'registry':
      return <RegistryPage />;
    case 'endpoints':
      return <EndpointsPage />;
    case 's3':
      return <S3Page bucket={arg} prefix={rest ?? ''} />;
    default:
      return <div class="panel empty">There is no page here. <a href={href('executions')}>Executions</a></div>;
  }
}

function App() {
  const route = useRoute();
  const pending = useLoad(async () => (await consoleGet<{ approvals: Approval[] }>('approvals')).approvals.length, [], 3000);
  return (
    <>
      <header class="top">
        <a class="brand" href={href('executions')}>
          mlops-<span>sfn</span> console
        </a>
        <span class="home">{location.host}</span>
      </header>
      <div class="shell">
        <nav class="side" aria-label="Console">
          {NAV.map(([path, label]) => (
            <a href={href(path)} class={route[0] === path ? 'active' : ''} aria-current={route[0] === path ? 'page' : undefined}>
              {label}
              {path === 'approvals' && (pending.data ?? 0) > 0 && <span class="badge">{pending.data}</span>}
            </a>
          ))}
        </nav>
        <main>
          <Page key={route.join('/')} route={route} />
        </main>
      </div>
    </>
  );
}

render(<App />, document.getElementById('app')!);
