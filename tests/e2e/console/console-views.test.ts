/**
 * The console on what users bring: a failed pipeline run shows the failing state and its job's log;
 * a Map-heavy definition draws every state and the page stays usable; hostile state names, inputs,
 * logs and S3 keys are shown as text and never run as markup.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateStateMachineCommand, DescribeExecutionCommand, SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { buildConsole, censusCopy, launch, mlops, screenshotDir, sdkConfig, skipReason, startServe, waitFor } from './browser.js';

const skip = skipReason();
const ROLE = 'arn:aws:iam::111111111111:role/r';
const HOSTILE = '<img src=x onerror="window.__pwned=1">';

const executionUrl = (base: string, arn: string) => `${base}/#/executions/${encodeURIComponent(arn)}`;

test('a failed run shows the failing state, the error, and the failed job\'s log', { timeout: 300_000, skip }, async () => {
  buildConsole();
  const home = mkdtempSync(join(tmpdir(), 'mlops-sfn-console-fail-'));
  const pipeline = censusCopy();
  writeFileSync(join(pipeline, 'preprocessing.py'), `import sys\nprint('reading the census file ${HOSTILE}', flush=True)\nraise ValueError('the census file is broken ${HOSTILE}')\n`);
  const serve = await startServe(home, [pipeline, '--no-schedule', '--rows', '300']);
  const browser = await launch();
  const { page } = browser;
  try {
    const started = mlops(home, ['start']);
    assert.equal(started.code, 0, started.stderr + started.stdout);
    const name = /(mlops-census-\d+)/.exec(started.stdout + started.stderr)![1]!;
    await page.goto(executionUrl(serve.url, `arn:aws:states:us-east-1:111111111111:execution:mlops-pipeline:${name}`));
    await page.getByTestId('execution-status').filter({ hasText: 'FAILED' }).waitFor({ timeout: 180_000 });
    const error = await page.getByTestId('execution-error').innerText();
    assert.match(error, /Stage preprocessing failed/);
    assert.match(error, /Failing state: Preprocessing/);
    await page.locator('[data-state="PipelineFailed"][data-status="Failed"]').waitFor({ timeout: 30_000 });
    assert.equal(await page.locator('[data-state="Preprocessing"]').getAttribute('data-status'), 'CaughtError');
    assert.equal(await page.locator('[data-state="Training"]').getAttribute('data-status'), 'NotRun');
    // The failing state is selected; its job's record and log say why.
    const panel = page.getByTestId('state-panel');
    assert.match(await panel.locator('h2').innerText(), /Preprocessing/);
    await panel.getByRole('tab', { name: 'SageMaker job' }).click();
    const log = page.getByTestId('job-log');
    await log.filter({ hasText: 'ValueError: the census file is broken' }).waitFor({ timeout: 30_000 });
    assert.ok((await log.innerText()).includes(`ValueError: the census file is broken ${HOSTILE}`), 'the log is shown as text');
    await panel.locator('.status.Failed').first().waitFor();
    await page.screenshot({ path: join(screenshotDir(), 'execution-failed.png') });
    assert.equal(await page.evaluate(() => (globalThis as unknown as { __pwned?: number }).__pwned), undefined);
  } finally {
    await browser.close();
    await serve.stop();
    rmSync(home, { recursive: true, force: true });
    rmSync(pipeline, { recursive: true, force: true });
  }
});

/** A definition with many states: a Map whose iterations run a Parallel of branches, one holding a nested Map. */
function mapHeavyDefinition(): { definition: object; stateNames: string[] } {
  const names: string[] = [];
  const chain = (prefix: string, n: number, last: Record<string, unknown> = { End: true }) => {
    const states: Record<string, unknown> = {};
    for (let i = 1; i <= n; i++) {
      const name = `${prefix}${i}`;
      names.push(name);
      states[name] = { Type: 'Pass', ...(i < n ? { Next: `${prefix}${i + 1}` } : last) };
    }
    return { StartAt: `${prefix}1`, States: states };
  };
  const inner = chain('InnerStep', 8);
  const branches = [0, 1, 2, 3].map((b) => {
    if (b !== 3) return chain(`Branch${b}Step`, 6);
    names.push('NestedMap');
    return { StartAt: 'NestedMap', States: { NestedMap: { Type: 'Map', ItemsPath: '$.parts', ItemProcessor: inner, End: true } } };
  });
  names.push('Prepare', 'ForEachItem', 'FanOut', 'Route', 'Small', 'Large', 'Finish');
  const before = chain('Setup', 20, { Next: 'Prepare' });
  return {
    stateNames: names,
    definition: {
      StartAt: 'Setup1',
      States: {
        ...before.States,
        Prepare: { Type: 'Pass', Next: 'ForEachItem' },
        ForEachItem: {
          Type: 'Map',
          ItemsPath: '$.items',
          MaxConcurrency: 10,
          ItemProcessor: { StartAt: 'FanOut', States: { FanOut: { Type: 'Parallel', Branches: branches, End: true } } },
          ResultPath: null,
          Next: 'Route',
        },
        Route: { Type: 'Choice', Choices: [{ Variable: '$.size', NumericGreaterThan: 10, Next: 'Large' }], Default: 'Small' },
        Small: { Type: 'Pass', Next: 'Finish' },
        Large: { Type: 'Pass', Next: 'Finish' },
        Finish: { Type: 'Succeed' },
      },
    },
  };
}

test('a Map-heavy definition draws every state, nested, and the page stays usable', { timeout: 180_000, skip }, async (t) => {
  buildConsole();
  const home = mkdtempSync(join(tmpdir(), 'mlops-sfn-console-map-'));
  const serve = await startServe(home);
  const browser = await launch();
  const { page } = browser;
  const sfn = new SFNClient(sdkConfig(serve.url));
  try {
    const { definition, stateNames } = mapHeavyDefinition();
    const { stateMachineArn } = await sfn.send(new CreateStateMachineCommand({ name: 'map-heavy', roleArn: ROLE, definition: JSON.stringify(definition) }));
    const items = Array.from({ length: 40 }, (_, i) => ({ id: i, parts: [1, 2, 3] }));
    const { executionArn } = await sfn.send(new StartExecutionCommand({ stateMachineArn, name: 'many', input: JSON.stringify({ items, size: 40 }) }));
    await waitFor('the execution to end', async () => {
      const d = await sfn.send(new DescribeExecutionCommand({ executionArn }));
      return d.status === 'RUNNING' ? undefined : d.status;
    }, 60_000);

    await page.addInitScript(() => {
      const w = globalThis as unknown as { __longest: number };
      w.__longest = 0;
      new PerformanceObserver((list) => {
        for (const e of list.getEntries()) w.__longest = Math.max(w.__longest, e.duration);
      }).observe({ type: 'longtask' as never, buffered: true });
    });
    await page.goto(executionUrl(serve.url, executionArn!));
    await page.getByTestId('execution-status').filter({ hasText: 'SUCCEEDED' }).waitFor({ timeout: 30_000 });
    // While the graph is laid out (in a worker), the page answers: the Events tab opens and filters.
    await page.getByRole('tab', { name: 'Events' }).click();
    await page.getByLabel('Search by type, state or id').fill('InnerStep8');
    await page.getByText(/^\d+ of \d+ events$/).waitFor();
    await page.getByRole('tab', { name: 'Graph view' }).click();
    await page.locator('svg.graph').waitFor({ timeout: 60_000 });
    const drawn = await page.locator('svg.graph [data-state]').evaluateAll((els) => els.map((e) => e.getAttribute('data-state')));
    for (const name of stateNames) assert.ok(drawn.includes(name), `${name} is drawn`);
    // Nested: the inner Map sits inside the Parallel's box, which sits inside the outer Map's.
    const box = async (name: string) => (await page.locator(`svg.graph g.owner[data-state="${name}"] > rect`).first().boundingBox())!;
    const outer = await box('ForEachItem');
    const fan = await box('FanOut');
    const nested = await box('NestedMap');
    assert.ok(fan.x >= outer.x && fan.y >= outer.y && fan.x + fan.width <= outer.x + outer.width + 1, 'FanOut inside ForEachItem');
    assert.ok(nested.x >= fan.x && nested.y >= fan.y && nested.y + nested.height <= fan.y + fan.height + 1, 'NestedMap inside FanOut');
    // Every inner state ran once per item (and per part): its panel says how often.
    await page.locator('svg.graph [data-state="InnerStep8"]').click();
    assert.match(await page.getByTestId('state-panel').innerText(), /Times entered\s+120/);
    assert.equal(await page.locator('svg.graph .edge.choice text').filter({ hasText: '$.size > 10' }).count(), 1, 'the Choice rule is labelled');
    assert.equal(await page.locator('[data-state="Large"]').getAttribute('data-status'), 'Succeeded');
    assert.equal(await page.locator('[data-state="Small"]').getAttribute('data-status'), 'NotRun');
    const layoutMs = await page.evaluate(() => (globalThis as unknown as { __graphLayoutMs?: number }).__graphLayoutMs);
    const longest = await page.evaluate(() => (globalThis as unknown as { __longest: number }).__longest);
    t.diagnostic(`${stateNames.length} states: layout ${Math.round(layoutMs ?? -1)} ms in the worker; longest main-thread task ${Math.round(longest)} ms`);
    await page.screenshot({ path: join(screenshotDir(), 'map-heavy.png') });
    assert.deepEqual(browser.errors, []);
  } finally {
    sfn.destroy();
    await browser.close();
    await serve.stop();
    rmSync(home, { recursive: true, force: true });
  }
});

test('hostile state names, inputs and S3 keys are shown as text, never run as markup', { timeout: 120_000, skip }, async () => {
  buildConsole();
  const home = mkdtempSync(join(tmpdir(), 'mlops-sfn-console-hostile-'));
  const serve = await startServe(home);
  const browser = await launch();
  const { page } = browser;
  const sfn = new SFNClient(sdkConfig(serve.url));
  const bad = `${HOSTILE}"><script>window.__pwned=2</script>`;
  try {
    const definition = {
      StartAt: bad,
      States: {
        [bad]: { Type: 'Pass', Next: 'Check' },
        Check: { Type: 'Choice', Choices: [{ Variable: '$.html', StringEquals: '<b onmouseover="window.__pwned=3">', Next: 'Done' }], Default: 'Done' },
        Done: { Type: 'Succeed' },
      },
    };
    const { stateMachineArn } = await sfn.send(new CreateStateMachineCommand({ name: 'hostile', roleArn: ROLE, definition: JSON.stringify(definition) }));
    const { executionArn } = await sfn.send(new StartExecutionCommand({ stateMachineArn, name: 'hostile-run', input: JSON.stringify({ html: `<script>window.__pwned=4</script>${HOSTILE}` }) }));
    const dir = mkdtempSync(join(tmpdir(), 'mlops-sfn-hostile-obj-'));
    writeFileSync(join(dir, 'x.txt'), `<script>window.__pwned=5</script>`);
    assert.equal(mlops(home, ['s3', 'mb', 's3://demo']).code, 0);
    const put = mlops(home, ['s3', 'cp', join(dir, 'x.txt'), `s3://demo/${HOSTILE}.txt`]);
    assert.equal(put.code, 0, put.stderr);
    rmSync(dir, { recursive: true, force: true });

    await page.goto(executionUrl(serve.url, executionArn!));
    await page.getByTestId('execution-status').filter({ hasText: 'SUCCEEDED' }).waitFor({ timeout: 30_000 });
    const node = page.locator('svg.graph g.node[data-status="Succeeded"]').filter({ hasText: HOSTILE });
    await node.first().click();
    await page.getByRole('tab', { name: 'Input' }).click();
    assert.ok((await page.getByTestId('state-panel').innerText()).includes('<script>window.__pwned=4</script>'));
    assert.ok((await page.locator('svg.graph').innerHTML()).includes('&lt;img src=x'), 'the name is text in the SVG');
    await page.getByRole('tab', { name: 'Events' }).click();
    await page.getByText(bad).first().waitFor();

    await page.goto(`${serve.url}/#/s3/demo/`);
    const link = page.getByRole('link', { name: `${HOSTILE}.txt` });
    await link.click();
    await page.getByTestId('s3-preview').getByText('<script>window.__pwned=5</script>').waitFor();
    assert.equal(await page.evaluate(() => (globalThis as unknown as { __pwned?: number }).__pwned), undefined);
    assert.equal(await page.locator('img').count(), 0, 'no element was made from a name');
  } finally {
    sfn.destroy();
    await browser.close();
    await serve.stop();
    rmSync(home, { recursive: true, force: true });
  }
});
