/**
 * The local modules a Python script can import, found statically: its `import` and `from ...
 * import` statements (anywhere in the file, so imports inside functions and `try` blocks count),
 * resolved against the files beside it as Python resolves them when the script is run directly
 * (its folder is sys.path[0]). Step caching keys a job on its entry point and these files only, so
 * editing evaluation.py does not invalidate preprocessing, which shares the scripts folder.
 *
 * Not seen: modules imported by a computed name (importlib, __import__) and files a script opens
 * by path; the docs say so, and `cache: false` on the stage is the way out.
 */

/** One import statement: the module path (relative imports keep their leading dots' count) and the imported names. */
export interface PythonImport {
  /** Leading dots of a relative import (0: absolute). */
  level: number;
  /** "a.b" of `import a.b` / `from a.b import c` ("" for `from . import c`). */
  module: string;
  /** The names after `from ... import` (each may be a submodule). */
  names: string[];
}

const IMPORT = /^[ \t]*import[ \t]+([^#\n]+)/gm;
const FROM = /^[ \t]*from[ \t]+(\.*)([A-Za-z_][\w.]*)?[ \t]+import[ \t]+(\([^)]*\)|[^#\n]+)/gm;
const IDENT = /^[A-Za-z_][\w.]*$/;

/** The import statements of a Python source. */
export function pythonImports(source: string): PythonImport[] {
  const out: PythonImport[] = [];
  const text = withoutStrings(source);
  for (const m of text.matchAll(IMPORT)) {
    for (const part of splitNames(m[1]!)) out.push({ level: 0, module: part, names: [] });
  }
  for (const m of text.matchAll(FROM)) {
    out.push({ level: m[1]!.length, module: m[2] ?? '', names: splitNames(m[3]!.replace(/[()]/g, ' ')) });
  }
  return out;
}

/**
 * The files (paths relative to the code folder, '/'-separated) an import may load, given the
 * importing file's path: for `a.b` the packages' `__init__.py` on the way and `a/b.py` or
 * `a/b/__init__.py`; for `from a import c` also `a/c.py` (c may be a submodule).
 */
export function importCandidates(importer: string, imp: PythonImport, scriptDir: string): string[] {
  let base: string;
  if (imp.level === 0) base = scriptDir;
  else {
    const parts = dirOf(importer).split('/').filter((p) => p !== '');
    // One dot is the importer's own package; each further dot goes up one.
    for (let i = 1; i < imp.level; i++) parts.pop();
    base = parts.join('/');
  }
  const modulePath = imp.module === '' ? [] : imp.module.split('.');
  const out: string[] = [];
  const join = (segs: string[]) => [base, ...segs].filter((p) => p !== '').join('/');
  for (let i = 1; i <= modulePath.length; i++) {
    const segs = modulePath.slice(0, i);
    out.push(`${join(segs)}.py`, `${join(segs)}/__init__.py`);
  }
  for (const name of imp.names) {
    if (name === '*') continue;
    const segs = [...modulePath, name];
    out.push(`${join(segs)}.py`, `${join(segs)}/__init__.py`);
  }
  if (imp.level > 0 && modulePath.length === 0) out.push(`${join([])}/__init__.py`.replace(/^\//, ''));
  return out;
}

/**
 * Every local file reachable from `entry` through imports, the entry first. `read` returns a
 * file's text, or undefined when the code folder has no such file.
 */
export async function reachableModules(entry: string, read: (path: string) => Promise<string | undefined>): Promise<string[]> {
  const scriptDir = dirOf(entry);
  const seen = new Set<string>([entry]);
  const queue = [entry];
  const found: string[] = [];
  while (queue.length > 0) {
    const file = queue.shift()!;
    const text = await read(file);
    if (text === undefined) continue;
    found.push(file);
    for (const imp of pythonImports(text)) {
      for (const candidate of importCandidates(file, imp, scriptDir)) {
        if (seen.has(candidate)) continue;
        seen.add(candidate);
        queue.push(candidate);
      }
    }
  }
  return found;
}

function dirOf(path: string): string {
  const i = path.lastIndexOf('/');
  return i < 0 ? '' : path.slice(0, i);
}

/** "a as b, c.d" → ["a", "c.d"]. */
function splitNames(s: string): string[] {
  return s
    .replace(/\\\n/g, ' ')
    .split(',')
    .map((p) => p.trim().split(/\s+as\s+/)[0]!.trim())
    .filter((p) => p === '*' || IDENT.test(p));
}

/** The source with string literals blanked (an "import x" inside a docstring is not an import). */
function withoutStrings(source: string): string {
  return source.replace(/("""|''')[\s\S]*?\1|"(?:\\.|[^"\\\n])*"|'(?:\\.|[^'\\\n])*'/g, (m) => m.replace(/[^\n]/g, ' '));
}
