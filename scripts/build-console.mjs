// Builds the web console (src/console/app, Preact + elkjs + uPlot) into dist/src/console/static/:
// one bundled script, the style sheets, the page, and elkjs's layout worker. Everything the page
// loads is in that folder, which the package ships (package.json "files": dist/src), so the
// console works offline. Type checking is `tsc -p src/console/app/tsconfig.json` (npm run build).
import { build } from 'esbuild';
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const app = join(root, 'src/console/app');
const out = join(root, 'dist/src/console/static');
mkdirSync(out, { recursive: true });

await build({
  entryPoints: [join(app, 'main.tsx')],
  bundle: true,
  format: 'esm',
  target: 'es2022',
  minify: true,
  sourcemap: false,
  jsx: 'automatic',
  jsxImportSource: 'preact',
  outfile: join(out, 'app.js'),
  legalComments: 'linked',
  logLevel: 'warning',
});
copyFileSync(join(root, 'node_modules/elkjs/lib/elk-worker.min.js'), join(out, 'elk-worker.js'));
copyFileSync(join(root, 'node_modules/uplot/dist/uPlot.min.css'), join(out, 'uplot.css'));
copyFileSync(join(app, 'console.css'), join(out, 'console.css'));
copyFileSync(join(app, 'favicon.svg'), join(out, 'favicon.svg'));
writeFileSync(join(out, 'index.html'), readFileSync(join(app, 'index.html')));
