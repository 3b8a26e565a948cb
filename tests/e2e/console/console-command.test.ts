/**
 * `mlops-sfn console`: with no display it prints the URL; with no serve running it serves the home
 * itself until stopped; with a serve running it points at that serve's console.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openerFor } from '../../../src/cli/commands/console.js';
import { buildConsole, cli, mlops, root, startServe, waitFor } from './browser.js';

function withoutDisplay(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  delete env['DISPLAY'];
  delete env['WAYLAND_DISPLAY'];
  return env;
}

test('without a serve, console serves the home and prints the URL where no browser can open; Ctrl-C stops it', { timeout: 60_000 }, async () => {
  buildConsole();
  const home = mkdtempSync(join(tmpdir(), 'mlops-sfn-console-cmd-'));
  const child = spawn(process.execPath, [cli, '--home', home, 'console', '--port', '0'], { cwd: root, env: withoutDisplay(), stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
  try {
    const url = await waitFor('the printed URL', () => /console: (http:\/\/127\.0\.0\.1:\d+\/) \(serving .*; Ctrl-C stops\); open it in a browser/.exec(out)?.[1], 30_000);
    const page = await fetch(url);
    assert.equal(page.status, 200);
    assert.match(await page.text(), /<title>mlops-sfn console<\/title>/);
  } finally {
    child.kill('SIGINT');
  }
  assert.equal(await exited, 0, out);
  rmSync(home, { recursive: true, force: true });
});

test("with a serve running, console points at that serve's console", { timeout: 60_000 }, async () => {
  const home = mkdtempSync(join(tmpdir(), 'mlops-sfn-console-cmd-'));
  const serve = await startServe(home);
  try {
    const r = mlops(home, ['console', '--no-open']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, `console: ${serve.url}/ (the console of the serve running for ${home} (pid ${serve.child.pid})); open it in a browser\n`);
  } finally {
    await serve.stop();
    rmSync(home, { recursive: true, force: true });
  }
});

test('the browser opener: the platform tool with the URL as its own argument, none without a display', () => {
  assert.deepEqual(openerFor('linux', { DISPLAY: ':0' }), ['xdg-open', []]);
  assert.equal(openerFor('linux', {}), undefined);
  assert.deepEqual(openerFor('darwin', {}), ['open', []]);
  assert.deepEqual(openerFor('win32', {}), ['rundll32', ['url.dll,FileProtocolHandler']]);
});
