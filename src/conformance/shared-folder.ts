import { existsSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Where the recorded AWS cases live: `<repo>/../shared/conformance/asl`, beside the clone (CI has
 * it there), or under the folder named by MLOPS_SFN_SHARED. They are read in place, never copied
 * into the project; tests that need them skip with `sharedCasesAbsent()` as their reason.
 */
export const SHARED_ENV = 'MLOPS_SFN_SHARED';

/** The repository root: the nearest folder above this module that holds package.json. */
function repoRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    const up = dirname(dir);
    if (up === dir) return process.cwd();
    dir = up;
  }
}

export function sharedFolder(): string {
  const override = process.env[SHARED_ENV];
  return override !== undefined && override !== '' ? resolve(override) : resolve(repoRoot(), '..', 'shared');
}

/** The folder of recorded ASL cases (it may be absent: check with `sharedCasesAbsent`). */
export function conformanceCasesDir(): string {
  return join(sharedFolder(), 'conformance', 'asl');
}

/** undefined when the recorded cases are there; otherwise the reason a test skips. */
export function sharedCasesAbsent(): string | undefined {
  const dir = conformanceCasesDir();
  if (existsSync(dir) && statSync(dir).isDirectory()) return undefined;
  return `recorded AWS cases not found at ${dir} (put the shared folder beside the clone or set ${SHARED_ENV}); not measured`;
}
