/**
 * The console end to end, as an ML engineer uses it: the census pipeline with manual approval is
 * started on `mlops-sfn serve`, listed, followed on its graph while it runs, approved from the
 * browser with a comment, and ends SUCCEEDED with the approver recorded in its output, in the
 * registry and on the page. The main pages are photographed on the way (docs/console when
 * CONSOLE_SCREENSHOTS=1).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DescribeExecutionCommand, SFNClient } from '@aws-sdk/client-sfn';
import { buildConsole, censusCopy, launch, mlops, screenshotDir, sdkConfig, skipReason, startServe } from './browser.js';

const skip = skipReason();

test('census with manual approval: followed on its graph, approved from the browser with a comment, ends SUCCEEDED with the approver recorded', { timeout: 600_000, skip }, async () => {
  buildConsole();
  const home = mkdtempSync(join(tmpdir(), 'mlops-sfn-console-home-'));
  // Manual approval, and the training job's metric reported to the console as SageMaker would chart it.
  const pipeline = censusCopy((y) =>
    y
      .replace(/^ {2}mode: auto$/m, '  mode: manual')
      .replace(/^( {6}TrainingInputMode: FastFile)$/m, '$1\n      MetricDefinitions:\n        - Name: "train:accuracy"\n          Regex: "train accuracy=([0-9\\\\.]+);"'),
  );
  const serve = await startServe(home, [pipeline, '--no-schedule', '--rows', '2000']);
  const browser = await launch();
  const shots = screenshotDir();
  const { page } = browser;
  try {
    const started = mlops(home, ['start']);
    assert.equal(started.code, 0, started.stderr + started.stdout);
    const name = /(mlops-census-\d+)/.exec(started.stdout + started.stderr)?.[1];
    assert.ok(name, `start named the execution:\n${started.stdout}`);

    // Listed on the first page, running.
    await page.goto(`${serve.url}/`);
    const link = page.getByRole('link', { name, exact: true });
    await link.waitFor({ timeout: 30_000 });
    assert.match((await page.locator('tr', { has: link }).innerText()), /RUNNING/);

    // Followed on the graph: the stages turn green one by one, live, until the approval waits.
    await link.click();
    await page.locator('svg.graph [data-state="Preprocessing"]').waitFor({ timeout: 30_000 });
    await page.locator('[data-state="Training"][data-status="InProgress"], [data-state="Training"][data-status="Succeeded"]').first().waitFor({ timeout: 240_000 });
    await page.screenshot({ path: join(shots, 'execution-running.png') });
    await page.locator('[data-state="RequestManualApproval"][data-status="InProgress"]').waitFor({ timeout: 240_000 });
    assert.equal(await page.locator('[data-state="Preprocessing"]').getAttribute('data-status'), 'Succeeded');
    assert.equal(await page.locator('[data-state="Evaluation"]').getAttribute('data-status'), 'Succeeded');

    // A state's details: the training job's record and log.
    await page.locator('svg.graph [data-state="Training"]').click();
    await page.getByRole('tab', { name: 'SageMaker job' }).click();
    await page.getByTestId('job-log').waitFor({ timeout: 10_000 });
    await page.getByText('Status transitions').waitFor({ timeout: 10_000 });
    await page.getByRole('heading', { name: 'Training metrics' }).waitFor({ timeout: 10_000 });
    await page.getByTestId('metrics-chart').locator('canvas').waitFor();
    assert.match(await page.getByTestId('metrics-chart').innerText(), /train:accuracy/);

    // The approvals page lists it with its metrics; Approve with a comment.
    await page.getByRole('link', { name: 'Approvals' }).click();
    const card = page.locator('section', { hasText: name });
    await card.waitFor({ timeout: 10_000 });
    assert.match(await card.innerText(), /accuracy/);
    await page.screenshot({ path: join(shots, 'approvals.png') });
    await card.getByLabel('Comment').fill('metrics look right <b>bold?</b>');
    await card.getByLabel('Approver').fill('alice');
    await card.getByRole('button', { name: 'Approve', exact: true }).click();
    await page.getByRole('status').filter({ hasText: `approved ${name} (by alice)` }).first().waitFor({ timeout: 10_000 });
    await page.getByRole('table').getByText('alice').waitFor({ timeout: 10_000 });

    // Back on the execution: it goes on to register, deploy and batch-transform, and succeeds.
    await page.goto(`${serve.url}/#/executions/${encodeURIComponent(`arn:aws:states:us-east-1:111111111111:execution:mlops-pipeline:${name}`)}`);
    await page.getByTestId('execution-status').filter({ hasText: 'SUCCEEDED' }).waitFor({ timeout: 300_000 });
    assert.equal(await page.locator('[data-state="RequestManualApproval"]').getAttribute('data-status'), 'Succeeded');
    assert.equal(await page.locator('[data-state="PipelineFailed"]').getAttribute('data-status'), 'NotRun');
    await page.locator('svg.graph [data-state="RequestManualApproval"]').click();
    await page.getByRole('tab', { name: 'Output' }).click();
    await page.screenshot({ path: join(shots, 'execution-graph.png') });
    await page.getByRole('tab', { name: 'Pipeline' }).click();
    const decision = page.getByTestId('approval-decision');
    await decision.waitFor();
    // The comment is shown as text, not as markup.
    assert.match(await decision.innerText(), /Approved by alice at [\d-]+ [\d:]+ — “metrics look right <b>bold\?<\/b>”/);
    await page.screenshot({ path: join(shots, 'pipeline.png') });
    await page.getByRole('tab', { name: 'Events' }).click();
    await page.getByLabel('Filter').selectOption('task');
    await page.screenshot({ path: join(shots, 'events.png') });

    // The approver is recorded in the execution's output (read through the AWS SDK) and the registry.
    const sfn = new SFNClient(sdkConfig(serve.url));
    const out = await sfn.send(new DescribeExecutionCommand({ executionArn: `arn:aws:states:us-east-1:111111111111:execution:mlops-pipeline:${name}` }));
    sfn.destroy();
    assert.equal(out.status, 'SUCCEEDED');
    const approval = (JSON.parse(out.output!) as { approval: { decision: string; decidedBy: string; comment: string } }).approval;
    assert.equal(approval.decision, 'Approved');
    assert.equal(approval.decidedBy, 'alice');
    assert.equal(approval.comment, 'metrics look right <b>bold?</b>');
    await page.getByRole('link', { name: 'Model registry' }).click();
    await page.getByText('Approved by alice').first().waitFor({ timeout: 10_000 });
    await page.screenshot({ path: join(shots, 'registry.png') });
    await page.getByRole('link', { name: 'Endpoints' }).click();
    await page.getByText('census', { exact: true }).first().waitFor({ timeout: 10_000 }).catch(() => undefined);
    await page.locator('.status.InService').first().waitFor({ timeout: 10_000 });
    // Invoke the endpoint from its form with a test row (no header, as batch transform reads them).
    const rows = mlops(home, ['s3', 'cp', `s3://mlops-local/census/processing/${name}/test/test_features.csv`, '-']);
    assert.equal(rows.code, 0, rows.stderr);
    await page.getByLabel('Body').fill(rows.stdout.split('\n')[0]!);
    for (let i = 0; i < 3; i++) {
      await page.getByRole('button', { name: 'Invoke', exact: true }).click();
      await page.getByText(/^HTTP 200 in [\d.]+ ms/).waitFor({ timeout: 30_000 });
    }
    assert.match(await page.getByTestId('invoke-output').innerText(), /^[01](\.0)?,0?\.\d+/);
    await page.getByTestId('metrics-chart').waitFor();
    await page.screenshot({ path: join(shots, 'endpoints.png') });
    await page.getByRole('link', { name: 'State machines' }).click();
    await page.getByRole('link', { name: 'mlops-pipeline' }).click();
    await page.locator('svg.graph [data-state="Done"]').waitFor({ timeout: 30_000 });
    await page.screenshot({ path: join(shots, 'state-machine.png') });
    await page.getByRole('link', { name: 'Executions' }).first().click();
    await page.getByRole('link', { name, exact: true }).waitFor();
    await page.screenshot({ path: join(shots, 'executions.png') });
    assert.deepEqual(browser.errors.filter((e) => !/favicon/.test(e)), []);
  } finally {
    await browser.close();
    await serve.stop();
    rmSync(home, { recursive: true, force: true });
    rmSync(pipeline, { recursive: true, force: true });
  }
});
