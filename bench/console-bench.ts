/**
 * The web console on a busy home, in Debian's Chromium: the first page (the executions list) until
 * it is interactive with 1,000 executions in the home, and an execution page with a history near
 * AWS's 25,000-event limit until its graph and summary are shown. Printed beside their targets
 * (1 s and 2 s) as a ratio; skipped with a message when Chromium is absent.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { startLocalServer } from '../src/serve/local-server.js';
import { loopDefinition } from './definitions.js';

const CHROMIUM = '/usr/bin/chromium';
const ROLE = 'arn:aws:iam::111111111111:role/bench';
const root = resolve(fileURLToPath(new URL('.', import.meta.url)), '../..');

export async function runConsoleBench(print: (line: string) => void): Promise<void> {
  if (!existsSync(CHROMIUM)) return print(`console: skipped (Chromium is not installed at ${CHROMIUM})`);
  const built = spawnSync(process.execPath, [join(root, 'scripts/build-console.mjs')], { cwd: root, encoding: 'utf8' });
  if (built.status !== 0) throw new Error(`building the console failed: ${built.stderr}`);
  const home = mkdtempSync(join(tmpdir(), 'mlops-sfn-console-bench-'));
  const server = await startLocalServer({ home, port: 0, log: () => undefined });
  const profile = mkdtempSync(join(tmpdir(), 'mlops-sfn-console-bench-chromium-'));
  try {
    const sfn = server.stepFunctions;
    const quick = sfn.createStateMachine({ name: 'quick', roleArn: ROLE, definition: JSON.stringify({ StartAt: 'P', States: { P: { Type: 'Pass', End: true } } }) } as never);
    const arns: string[] = [];
    for (let i = 0; i < 1000; i++) arns.push(sfn.startExecution({ stateMachineArn: quick.stateMachineArn!, name: `run-${i}`, input: JSON.stringify({ i }) } as never).executionArn!);
    for (const arn of arns) await sfn.result(arn);
    // A Choice+Pass loop of 6,245 iterations writes 24,985 events (4 a turn, plus start and end).
    const loop = sfn.createStateMachine({ name: 'long-history', roleArn: ROLE, definition: JSON.stringify(loopDefinition(6_245)) } as never);
    const long = sfn.startExecution({ stateMachineArn: loop.stateMachineArn!, name: 'long', input: '{"n":0}' } as never).executionArn!;
    const ended = await sfn.result(long);
    if (ended.status !== 'SUCCEEDED') throw new Error(`the long execution ended ${ended.status}: ${ended.cause}`);
    const events = ended.history.length;

    const context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      viewport: { width: 1440, height: 900 },
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    try {
      const page = context.pages()[0] ?? (await context.newPage());
      await page.goto(`${server.url}/#/state-machines`); // warm: the browser's own start-up is not the console's
      const firstPage: number[] = [];
      const execPage: number[] = [];
      for (let round = 0; round < 3; round++) {
        await page.goto('about:blank');
        let t0 = Date.now();
        await page.goto(`${server.url}/`);
        await page.getByTestId('execution-count').filter({ hasText: '1001 executions' }).waitFor({ timeout: 60_000 });
        await page.getByRole('link', { name: 'run-999', exact: true }).waitFor();
        firstPage.push(Date.now() - t0);

        await page.goto('about:blank');
        t0 = Date.now();
        await page.goto(`${server.url}/#/executions/${encodeURIComponent(long)}`);
        await page.locator('.summary').filter({ hasText: String(events) }).waitFor({ timeout: 60_000 });
        await page.locator('svg.graph [data-state="Inc"][data-status="Succeeded"]').waitFor({ timeout: 60_000 });
        execPage.push(Date.now() - t0);
      }
      const best = (xs: number[]) => Math.min(...xs);
      print(`${'console: first page, 1,000 executions'.padEnd(44)} ${String(best(firstPage)).padStart(6)} ms interactive   target 1,000 ms   ratio ${(best(firstPage) / 1000).toFixed(2)}x of target`);
      print(`${`console: execution, ${events.toLocaleString('en-US')} events`.padEnd(44)} ${String(best(execPage)).padStart(6)} ms to graph     target 2,000 ms   ratio ${(best(execPage) / 2000).toFixed(2)}x of target`);
    } finally {
      await context.close();
    }
  } finally {
    await server.close();
    rmSync(profile, { recursive: true, force: true });
    rmSync(home, { recursive: true, force: true });
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === resolve(process.argv[1])) {
  runConsoleBench((l) => console.log(l)).catch((e: unknown) => {
    console.error(e);
    process.exit(1);
  });
}
