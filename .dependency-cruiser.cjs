/**
 * The import rules of src/, checked by dependency-cruiser in `npm test`
 * (tests/architecture/dependency-rules.test.ts) and by `npm run check:deps`.
 *
 * LAYERS is ARCHITECTURE.md's table, lowest row first: a folder imports only from rows below its
 * own (never from a row above, nor from another folder of its own row). Besides the layers: no
 * import cycles; no import past a folder's index.ts from outside that folder; the SageMaker
 * emulator's parts meet only through its root files (contracts.ts); the interpreter does no I/O;
 * product code never imports test code. Test code (TEST_CODE) may reach into anything it tests.
 *
 * A new top-level folder under src/ must be given a row here (and in ARCHITECTURE.md): loading this
 * file fails until it is.
 */
const { existsSync, readdirSync, statSync } = require('node:fs');
const { join } = require('node:path');

const LAYERS = [
  ['core'],
  ['schedule', 'asl', 'config', 'store'],
  ['emulators/s3', 'emulators/dynamodb', 'emulators/sns'],
  ['emulators/sagemaker'],
  ['integrations', 'definition', 'lambda'],
  ['engine', 'conformance', 'infra'],
  ['api', 'console'],
  ['serve', 'cloud'],
  ['cli'],
];

/**
 * Test code lives under tests/ only (tests/src/ mirrors src/, tests/support/ holds what tests
 * share, tests/fixtures/ the programs tests start), so it compiles to dist/tests/, never dist/src/.
 */
const TEST_CODE = '^tests/';

const ROOT = process.cwd();
const escape = (s) => s.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');
const folderPath = (f) => `^src/${escape(f)}/`;

function assertEveryFolderHasARow() {
  const placed = new Set(LAYERS.flat().map((f) => f.split('/')[0]));
  const src = join(ROOT, 'src');
  if (!existsSync(src)) return;
  for (const name of readdirSync(src)) {
    if (statSync(join(src, name)).isDirectory() && !placed.has(name)) {
      throw new Error(`src/${name}/ is in no layer: give it a row in LAYERS of .dependency-cruiser.cjs and in ARCHITECTURE.md`);
    }
  }
}

function layerRules() {
  const rules = [];
  LAYERS.forEach((row, i) => {
    const notBelow = LAYERS.slice(i).flat();
    for (const folder of row) {
      // Its own folder is allowed; so are deeper folders of its own (emulators/sagemaker → emulators/s3 is a lower row).
      const forbidden = notBelow.filter((f) => f !== folder && !folder.startsWith(f + '/'));
      if (forbidden.length === 0) continue;
      rules.push({
        name: 'layer-order',
        comment: `src/${folder}/ imports only from the rows below its own in ARCHITECTURE.md's table`,
        severity: 'error',
        from: { path: folderPath(folder), pathNot: TEST_CODE },
        to: { path: `^src/(${forbidden.map(escape).join('|')})/` },
      });
    }
  });
  return rules;
}

function foldersWithIndex(dir, out) {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) {
      if (existsSync(join(p, 'index.ts'))) out.push(p.slice(ROOT.length + 1).split('\\').join('/'));
      foldersWithIndex(p, out);
    }
  }
  return out;
}

function indexRules() {
  const src = join(ROOT, 'src');
  if (!existsSync(src)) return [];
  return foldersWithIndex(src, []).map((dir) => ({
    name: 'import-through-index',
    comment: `${dir}/ has an index.ts: code outside the folder imports that, not the files behind it`,
    severity: 'error',
    from: { pathNot: [`^${escape(dir)}/`, TEST_CODE] },
    to: { path: `^${escape(dir)}/`, pathNot: `^${escape(dir)}/index\\.ts$` },
  }));
}

assertEveryFolderHasARow();

module.exports = {
  forbidden: [
    {
      name: 'no-cycles',
      comment: 'modules that import each other cannot be read, tested or loaded one at a time',
      severity: 'error',
      from: { path: '^src/' },
      to: { circular: true },
    },
    ...layerRules(),
    ...indexRules(),
    {
      name: 'sagemaker-parts-meet-through-contracts',
      comment: "the SageMaker emulator's service, runner and hosting meet only through its root files (contracts.ts)",
      severity: 'error',
      from: { path: '^src/emulators/sagemaker/(service|runner|hosting)/', pathNot: TEST_CODE },
      to: { path: '^src/emulators/sagemaker/(service|runner|hosting)/', pathNot: '^src/emulators/sagemaker/$1/' },
    },
    {
      name: 'interpreter-is-pure',
      comment: 'src/asl/ does no I/O: time only through Clock, tasks only through TaskInvoker',
      severity: 'error',
      from: { path: '^src/asl/', pathNot: TEST_CODE },
      to: {
        dependencyTypes: ['core'],
        path: '^(node:)?(fs|fs/promises|child_process|net|http|https|http2|dgram|dns|tls|worker_threads|cluster)$',
      },
    },
    {
      name: 'tests-live-under-tests',
      comment:
        'a test, fixture or test helper in src/ would be compiled into dist/src/ and published: tests go in tests/src/ (mirroring src/), shared helpers in tests/support/, programs tests start in tests/fixtures/',
      severity: 'error',
      from: { path: '^src/.*([.](test|fixture)[.]ts|/test-[a-z-]+[.]ts)$' },
      to: {},
    },
    {
      name: 'product-imports-no-test-code',
      comment: 'the published package carries no test code',
      severity: 'error',
      from: { path: '^src/', pathNot: TEST_CODE },
      to: { path: TEST_CODE },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(node_modules|dist)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    combinedDependencies: false,
  },
};
