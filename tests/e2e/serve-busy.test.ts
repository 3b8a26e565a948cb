/**
 * An execution that never ends (an EXPRESS loop of Pass and Choice states) must not take `serve`
 * with it: the API keeps answering and a signal still stops the process.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CreateStateMachineCommand, ListStateMachinesCommand, SFNClient, StartExecutionCommand, type ListStateMachinesCommandOutput } from '@aws-sdk/client-sfn';
import { CLI } from '../support/cli.js';

const root = resolve(fileURLToPath(new URL('.', import.meta.url)), '../../..');
const cli = CLI;

const ENDLESS = {
  StartAt: 'Count',
  States: {
    Count: { Type: 'Pass', Parameters: { 'n.$': 'States.MathAdd($.n, 1)' }, Next: 'Again' },
    Again: { Type: 'Choice', Choices: [{ Variable: '$.n', NumericLessThan: 0, Next: 'Never' }], Default: 'Count' },
    Never: { Type: 'Succeed' },
  },
};

for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  test(`while an endless loop runs, serve keeps answering and ${signal} stops it within seconds`, { timeout: 90_000 }, async () => {
    const home = mkdtempSync(join(tmpdir(), 'mlops-sfn-busy-'));
    const child = spawn(process.execPath, [cli, '--home', home, 'serve', '--port', '0'], { cwd: root, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
    let sfn: SFNClient | undefined;
    try {
      const serveFile = join(home, 'serve.json');
      for (let i = 0; i < 300 && !existsSync(serveFile); i++) await new Promise((r) => setTimeout(r, 100));
      const { url } = JSON.parse(readFileSync(serveFile, 'utf8')) as { url: string };
      sfn = new SFNClient({ endpoint: url, region: 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'x' }, maxAttempts: 1 });
      const { stateMachineArn } = await sfn.send(
        new CreateStateMachineCommand({ name: 'endless', type: 'EXPRESS', roleArn: 'arn:aws:iam::111111111111:role/r', definition: JSON.stringify(ENDLESS) }),
      );
      await sfn.send(new StartExecutionCommand({ stateMachineArn, input: '{"n": 0}' }));
      await new Promise((r) => setTimeout(r, 500));
      // A starved event loop never answers, so each request fails at its time limit; how fast the
      // API answers while the loop runs is measured by `npm run bench`, not asserted here.
      for (let i = 0; i < 5; i++) {
        const listed: ListStateMachinesCommandOutput = await sfn.send(new ListStateMachinesCommand({}), { abortSignal: AbortSignal.timeout(10_000) });
        assert.equal(listed.stateMachines?.[0]?.name, 'endless');
      }
      const stopAt = performance.now();
      child.kill(signal);
      const code = await Promise.race([exited, new Promise<'still running'>((r) => setTimeout(() => r('still running'), 10_000))]);
      assert.equal(code, 0, `after ${signal}: ${String(code)} (${Math.round(performance.now() - stopAt)} ms)\n${stderr}`);
      assert.match(stderr, new RegExp(`${signal}: stopping`));
    } finally {
      sfn?.destroy();
      if (child.exitCode === null) child.kill('SIGKILL');
      await exited;
      rmSync(home, { recursive: true, force: true });
    }
  });
}
