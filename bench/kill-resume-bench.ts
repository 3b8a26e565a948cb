/**
 * Durability figure: `node dist/bench/kill-resume-bench.js [cycles] [seed]` kills executions with
 * SIGKILL at random moments (Map, Parallel, Wait, a `.sync` job, a `.waitForTaskToken` task) at least
 * `cycles` times (default 100), resumes each, and reports executions lost and tasks run twice.
 */
import { runKillCycles } from '../tests/support/kill-cycles.js';

const cycles = Number(process.argv[2] ?? 100);
const seed = process.argv[3] === undefined ? undefined : Number(process.argv[3]);
const t0 = Date.now();
const r = await runKillCycles({ cycles, ...(seed !== undefined ? { seed } : {}), log: (l) => console.error(l) });
console.log(
  `kill/resume: ${r.cycles} kill cycles over ${r.executions} executions (seed ${r.seed}) in ${((Date.now() - t0) / 1000).toFixed(0)} s: ` +
    `${r.lost} lost, ${r.runTwice} run twice, ${r.jobRestarts} jobs restarted after being killed mid-run`,
);
for (const p of r.problems) console.log(`  ${p}`);
process.exitCode = r.lost === 0 && r.runTwice === 0 && r.problems.length === 0 ? 0 : 1;
