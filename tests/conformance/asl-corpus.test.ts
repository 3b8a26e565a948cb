import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CLI } from '../support/cli.js';

/**
 * Our own corpus (tests/asl-corpus): one small definition per AWS rule found while matching AWS,
 * in three folders: `accepted` (AWS creates and runs it: our output), `failed` (AWS fails the
 * execution: error and cause), `rejected` (CreateStateMachine refuses it: the diagnostic). Each runs
 * through the real `mlops-sfn exec` command, as a user would run it.
 */
const root = resolve(fileURLToPath(new URL('.', import.meta.url)), '../../..');
const corpus = join(root, 'tests', 'asl-corpus');
const cli = CLI;

interface Entry {
  rule: string;
  definition: unknown;
  input?: unknown;
  type?: 'STANDARD' | 'EXPRESS';
  expected: { status?: 'SUCCEEDED' | 'FAILED'; output?: unknown; error?: string; cause?: string; rejected?: string };
}

const work = mkdtempSync(join(tmpdir(), 'mlops-asl-corpus-'));
test.after(() => rmSync(work, { recursive: true, force: true }));

for (const folder of ['accepted', 'failed', 'rejected']) {
  for (const file of readdirSync(join(corpus, folder)).filter((f) => f.endsWith('.json')).sort()) {
    const entry = JSON.parse(readFileSync(join(corpus, folder, file), 'utf8')) as Entry;
    test(`${folder}/${file}: ${entry.rule}`, { timeout: 60_000 }, () => {
      const def = join(work, `${folder}-${file}`);
      const input = join(work, `${folder}-input-${file}`);
      writeFileSync(def, JSON.stringify(entry.definition));
      writeFileSync(input, JSON.stringify(entry.input ?? {}));
      const r = spawnSync(process.execPath, [cli, 'exec', def, '--input', input, '--fast', '--type', entry.type ?? 'STANDARD'], {
        encoding: 'utf8',
        timeout: 50_000,
        env: { ...process.env, MLOPS_SFN_HOME: mkdtempSync(join(work, 'home-')) },
      });
      const e = entry.expected;
      if (e.rejected !== undefined) {
        assert.equal(r.status, 2, r.stderr);
        assert.equal(r.stderr.trim(), `mlops-sfn: ${def}: Invalid State Machine Definition: '${e.rejected}'`);
      } else if (e.status === 'SUCCEEDED') {
        assert.equal(r.status, 0, r.stderr);
        assert.deepEqual(JSON.parse(r.stdout), e.output);
      } else {
        assert.equal(r.status, 1, r.stderr);
        assert.equal(r.stderr, `Execution FAILED\nerror: ${e.error}\ncause: ${e.cause}\n`);
      }
    });
  }
}
