// The import rules of .dependency-cruiser.cjs (ARCHITECTURE.md's layers, no cycles, imports through
// index.ts, ...) hold for src/, and each rule does catch what it forbids.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(fileURLToPath(new URL('.', import.meta.url)), '../../..');
const depcruise = join(root, 'node_modules/dependency-cruiser/bin/dependency-cruise.mjs');
const config = join(root, '.dependency-cruiser.cjs');

interface Violation {
  from: string;
  to: string;
  rule: { name: string };
}

function cruise(cwd: string): Promise<{ code: number | null; violations: Violation[]; stderr: string }> {
  return new Promise((done, fail) => {
    if (!existsSync(depcruise)) return fail(new Error('dependency-cruiser is not installed (a devDependency): run npm install'));
    const child = spawn(process.execPath, [depcruise, 'src', '--config', config, '--output-type', 'json'], { cwd });
    let out = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', fail);
    child.on('close', (code) => {
      let violations: Violation[] = [];
      try {
        violations = (JSON.parse(out) as { summary: { violations: Violation[] } }).summary.violations;
      } catch {
        // no JSON: the config failed to load; stderr says why
      }
      done({ code, violations, stderr });
    });
  });
}

function tree(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'mlops-sfn-deps-'));
  const all: Record<string, string> = {
    'tsconfig.json': JSON.stringify({ compilerOptions: { module: 'NodeNext', moduleResolution: 'NodeNext', strict: true }, include: ['src', 'tests'] }),
    ...files,
  };
  for (const [path, text] of Object.entries(all)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return dir;
}

test('src/ keeps the dependency rules', { timeout: 180_000 }, async () => {
  const r = await cruise(root);
  const lines = r.violations.map((v) => `${v.rule.name}: ${v.from} -> ${v.to}`);
  assert.deepEqual(lines, [], `dependency rules broken (see .dependency-cruiser.cjs and ARCHITECTURE.md):\n${lines.join('\n')}`);
  assert.equal(r.code, 0, r.stderr);
});

test('each rule reports the import it forbids', { timeout: 120_000 }, async () => {
  const dir = tree({
    // a low layer importing a higher one
    'src/core/low.ts': "import { high } from '../engine/high.js';\nexport const low = high;\n",
    'src/engine/high.ts': 'export const high = 1;\n',
    // a cycle, and I/O in the interpreter
    'src/asl/a.ts': "import { readFileSync } from 'node:fs';\nimport { b } from './b.js';\nexport const a = () => b() + String(readFileSync);\n",
    'src/asl/b.ts': "import { a } from './a.js';\nexport const b = (): string => typeof a;\n",
    // past an index.ts
    'src/config/index.ts': "export { inner } from './inner.js';\n",
    'src/config/inner.ts': 'export const inner = 1;\n',
    'src/lambda/handler.ts': "import { inner } from '../config/inner.js';\nexport const h = inner;\n",
    // one SageMaker part into another
    'src/emulators/sagemaker/service/jobs.ts': "import { run } from '../runner/run.js';\nexport const jobs = run;\n",
    'src/emulators/sagemaker/runner/run.ts': 'export const run = 1;\n',
    // product code using test code, and a test in src/
    'src/cli/main.ts': "import { helper } from '../../tests/support/helper.js';\nexport const m = helper;\n",
    'tests/support/helper.ts': 'export const helper = 1;\n',
    'src/cli/main.test.ts': "import { m } from './main.js';\nexport const t = m;\n",
    'src/cli/probe.fixture.ts': "import { m } from './main.js';\nexport const p = m;\n",
  });
  try {
    const r = await cruise(dir);
    const found = new Set(r.violations.map((v) => `${v.rule.name}: ${v.from} -> ${v.to}`));
    for (const expected of [
      'layer-order: src/core/low.ts -> src/engine/high.ts',
      'no-cycles: src/asl/a.ts -> src/asl/b.ts',
      'interpreter-is-pure: src/asl/a.ts -> fs',
      'import-through-index: src/lambda/handler.ts -> src/config/inner.ts',
      'sagemaker-parts-meet-through-contracts: src/emulators/sagemaker/service/jobs.ts -> src/emulators/sagemaker/runner/run.ts',
      'product-imports-no-test-code: src/cli/main.ts -> tests/support/helper.ts',
      'tests-live-under-tests: src/cli/main.test.ts -> src/cli/main.ts',
      'tests-live-under-tests: src/cli/probe.fixture.ts -> src/cli/main.ts',
    ]) {
      assert.ok(found.has(expected), `not reported: ${expected}\nreported:\n${[...found].join('\n')}\n${r.stderr}`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a folder given no layer is refused', { timeout: 120_000 }, async () => {
  const dir = tree({ 'src/gadgets/thing.ts': 'export const thing = 1;\n' });
  try {
    const r = await cruise(dir);
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /src\/gadgets\/ is in no layer/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
