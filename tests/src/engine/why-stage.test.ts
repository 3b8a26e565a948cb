import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { UserError } from '../../../src/core/errors.js';
import { runPipeline } from '../../../src/engine/pipeline-run.js';
import { formatWhy, whyStage } from '../../../src/engine/why-stage.js';
import { FIXED_EVALUATION, PIPELINE, SCRIPTS } from '../../support/mini-pipeline.js';

test('why names the key parts of a stage and what changed since the nearest earlier entry', { timeout: 180_000 }, async () => {
  const work = mkdtempSync(join(tmpdir(), 'mlops-sfn-why-'));
  try {
    const dir = join(work, 'mini');
    mkdirSync(dir);
    writeFileSync(join(dir, 'pipeline.yaml'), PIPELINE);
    for (const [file, body] of Object.entries(SCRIPTS)) writeFileSync(join(dir, file), file === 'evaluation.py' ? FIXED_EVALUATION : body);
    const home = join(work, 'home');
    const first = await runPipeline({ pipeline: dir, home, fast: true, log: () => {} });
    assert.equal(first.execution.status, 'SUCCEEDED', first.execution.cause);
    await new Promise((r) => setTimeout(r, 1100));
    writeFileSync(join(dir, 'evaluation.py'), FIXED_EVALUATION + '# edited\n');
    const lines: string[] = [];
    const second = await runPipeline({ pipeline: dir, home, fast: true, log: (l) => lines.push(l) });
    assert.equal(second.execution.status, 'SUCCEEDED', second.execution.cause);
    assert.ok(lines.some((l) => l.endsWith(`Preprocessing reused (from ${first.execution.name})`)), lines.join('\n'));
    assert.ok(lines.some((l) => l.endsWith('Evaluation ... (ran: code changed: evaluation.py)')), lines.join('\n'));

    const r = await whyStage(home, second.execution.name, 'evaluation');
    assert.equal(r.stage.status, 'ran');
    assert.deepEqual(r.nearest?.execution, first.execution.name);
    assert.deepEqual(r.nearest?.differences, ['code changed: evaluation.py']);
    assert.ok(r.parts.some((p) => p.kind === 'code' && p.name === 'evaluation.py'));
    assert.match(formatWhy(r), /differences from the nearest earlier entry, of mlops-mini-\d+ .*:\n  code changed: evaluation\.py/);
    const same = await whyStage(home, second.execution.name, 'training');
    assert.match(formatWhy(same), new RegExp(`training in ${second.execution.name}: reused \\(from ${first.execution.name}\\)`));
    await assert.rejects(whyStage(home, second.execution.name, 'nope'), (e: unknown) => e instanceof UserError && /not a job stage/.test((e as Error).message));
    await assert.rejects(whyStage(home, 'no-such-run', 'training'), (e: unknown) => e instanceof UserError && /no execution no-such-run/.test((e as Error).message));
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
});
