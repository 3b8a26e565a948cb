import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runSuite, formatSummary } from '../../src/conformance/suite.js';
import { conformanceCasesDir, sharedCasesAbsent } from '../../src/conformance/shared-folder.js';
import { KNOWN_DIFFERENCES } from './known-differences.js';

/**
 * The gate: every recorded AWS case must match, except the differences listed (with their reasons)
 * in known-differences.ts. A new failure fails the test; so does a listed case that now matches,
 * until the list is updated. The cases live beside the clone (../shared), never inside it.
 */
test('the engine matches recorded AWS behaviour on every case but the listed differences', { timeout: 300_000 }, async (t) => {
  const absent = sharedCasesAbsent();
  if (absent !== undefined) {
    t.skip(absent);
    return;
  }
  const dir = conformanceCasesDir();
  const s = await runSuite(dir);
  t.diagnostic(formatSummary(s).split('\n').slice(-2).join(' | '));

  const failing = new Map<string, string>();
  for (const f of s.failures) {
    if (f.outcome !== undefined) failing.set(`${f.file} [outcome]`, f.outcome);
    if (f.history !== undefined) failing.set(`${f.file} [history]`, f.history);
  }
  const listed = new Set(KNOWN_DIFFERENCES.map((d) => `${d.case} [${d.part}]`));
  assert.equal(listed.size, KNOWN_DIFFERENCES.length, 'known-differences.ts lists a case twice');

  const unexpected = [...failing].filter(([key]) => !listed.has(key)).map(([key, why]) => `${key}: ${why}`);
  const nowMatching = [...listed].filter((key) => !failing.has(key));
  const problems: string[] = [];
  if (unexpected.length > 0) problems.push(`${unexpected.length} case(s) differ from AWS and are not listed:\n  ${unexpected.join('\n  ')}`);
  if (nowMatching.length > 0) {
    problems.push(`${nowMatching.length} listed case(s) now match AWS (or no longer exist); remove them from tests/conformance/known-differences.ts and docs/conformance.md:\n  ${nowMatching.join('\n  ')}`);
  }
  assert.ok(problems.length === 0, problems.join('\n'));
});
