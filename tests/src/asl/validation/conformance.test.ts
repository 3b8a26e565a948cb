import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { formatProblems, validateDefinition } from '../../../../src/asl/validation/index.js';
import { conformanceCasesDir, sharedCasesAbsent } from '../../../../src/conformance/shared-folder.js';

/**
 * Every definition in the recorded AWS cases was created by AWS, so none may be refused here.
 * The cases are read at run time and never copied; the suite skips when they are absent.
 */
const CASES_DIR = conformanceCasesDir();

function caseFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir)) {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) out.push(...caseFiles(path));
    else if (entry.endsWith('.json') && entry !== 'index.json') out.push(path);
  }
  return out.sort();
}

describe('definitions AWS accepted (recorded conformance cases)', { skip: sharedCasesAbsent() ?? false }, () => {
  it('produces zero problems for every recorded definition', () => {
    const files = caseFiles(CASES_DIR);
    assert.ok(files.length > 0, 'expected recorded cases');
    const refused: string[] = [];
    for (const file of files) {
      const recorded = JSON.parse(readFileSync(file, 'utf8')) as { definition: unknown };
      const problems = validateDefinition(recorded.definition);
      if (problems.length > 0) refused.push(`${file.slice(CASES_DIR.length + 1)}: ${formatProblems(problems)}`);
    }
    assert.deepEqual(refused, [], `${refused.length} of ${files.length} accepted definitions were refused`);
  });

  it('accepts the definitions as JSON text too', () => {
    for (const file of caseFiles(CASES_DIR).slice(0, 50)) {
      const recorded = JSON.parse(readFileSync(file, 'utf8')) as { definition: unknown };
      assert.deepEqual(validateDefinition(JSON.stringify(recorded.definition)), [], file);
    }
  });
});
