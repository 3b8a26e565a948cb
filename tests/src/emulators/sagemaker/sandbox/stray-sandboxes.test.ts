/**
 * A sandbox whose owner died before bubblewrap armed --die-with-parent keeps running; settling the
 * owner's work ends it (the orphans test of the service shows the whole path with a killed owner;
 * here the stray is made deterministically: a bwrap started without --die-with-parent by a process
 * that then exits).
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { endStraySandboxes, findBwrap, ticksNow } from '../../../../../src/emulators/sagemaker/sandbox/index.js';
import { processStartTicks } from '../../../../../src/core/process-owner.js';

async function until(check: () => boolean, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** A bwrap on `folder` (bound inside) sleeping, left running by a parent that has exited: its pid. */
async function strayOn(bwrap: string, folder: string): Promise<number> {
  const launcher = `const c = require('node:child_process').spawn(${JSON.stringify(bwrap)}, ['--unshare-pid', '--ro-bind', '/', '/', '--tmpfs', '/tmp', '--bind', ${JSON.stringify(folder)}, '/tmp/ml', '--', 'sleep', '300'], { detached: true, stdio: 'ignore' }); console.log(c.pid); c.unref();`;
  const parent = spawn(process.execPath, ['-e', launcher], { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  parent.stdout.on('data', (b: Buffer) => (out += b.toString()));
  await new Promise((r) => parent.once('close', r));
  return Number(out.trim());
}

test('endStraySandboxes kills the bwrap sandboxes left on a folder, not those started later nor on other folders', { timeout: 60_000 }, async (t) => {
  const bwrap = findBwrap();
  if (!bwrap) return t.skip('bubblewrap is not installed here');
  const dir = mkdtempSync(join(tmpdir(), 'mlops-sfn-stray-'));
  const [lost, other] = [join(dir, 'jobs', 'lost'), join(dir, 'jobs', 'lost-2')];
  mkdirSync(lost, { recursive: true });
  mkdirSync(other, { recursive: true });
  const pids: number[] = [];
  t.after(() => {
    for (const pid of pids) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // ended
      }
    }
    rmSync(dir, { recursive: true, force: true });
  });
  const stray = await strayOn(bwrap, lost);
  const neighbour = await strayOn(bwrap, other); // a folder whose name merely starts with the lost one's
  pids.push(stray, neighbour);
  await until(() => processStartTicks(stray) !== undefined && processStartTicks(neighbour) !== undefined);
  const before = ticksNow();
  await new Promise((r) => setTimeout(r, 50));
  const later = await strayOn(bwrap, lost);
  pids.push(later);
  await until(() => processStartTicks(later) !== undefined);

  const ended = endStraySandboxes(lost, before);
  assert.ok(ended >= 1, 'the stray was ended');
  await until(() => processStartTicks(stray) === undefined);
  assert.notEqual(processStartTicks(neighbour), undefined, 'a sandbox on another folder is not touched');
  assert.notEqual(processStartTicks(later), undefined, 'a sandbox started after the decision is not touched');
});
