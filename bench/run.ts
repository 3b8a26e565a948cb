/**
 * `npm run bench`: our engine side by side with aws-local-stepfunctions (the maintained JS
 * interpreter) on the same definitions in the same process, printed with the ratio; and the
 * memory of a 100,000-item Map, measured in a child process.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { StateMachine as AnchorMachine } from 'aws-local-stepfunctions';
import { VirtualClock } from '../src/core/clock.js';
import { runExecution } from '../src/asl/execution.js';
import { loadStateMachine } from '../src/asl/machine.js';
import { IntegrationRegistry } from '../src/integrations/registry.js';
import { runCaptureBench } from './capture-bench.js';
import { runHostingBench } from './hosting-bench.js';
import { runJobOverheadBench } from './job-overhead-bench.js';
import { runRequirementsBench } from './requirements-bench.js';
import { runXgboostBench } from './xgboost-bench.js';
import { runPipelineBench } from './pipeline-bench.js';
import { runStartupBench } from './startup-bench.js';
import { runS3Bench } from './s3-bench.js';
import { runConsoleBench } from './console-bench.js';
import { largeMapDefinition, loopDefinition, loopTransitions, mapDefinition, mapTransitions } from './definitions.js';

const LOOP_ITERATIONS = 100_000;
const MAP_ITEMS = 10_000;
const ROUNDS = 3;

async function ours(definition: object, input: unknown): Promise<number> {
  const machine = loadStateMachine(definition);
  const t0 = performance.now();
  const r = await runExecution(machine, input as never, { tasks: new IntegrationRegistry(), clock: new VirtualClock(), type: 'EXPRESS' });
  const ms = performance.now() - t0;
  if (r.status !== 'SUCCEEDED') throw new Error(`our engine: ${r.status} ${r.error} ${r.cause}`);
  return ms;
}

async function anchor(definition: object, input: unknown): Promise<number> {
  const sm = new AnchorMachine(definition as never, { validationOptions: { checkPaths: false, checkArn: false } });
  const t0 = performance.now();
  await sm.run(input as never).result;
  return performance.now() - t0;
}

async function best(f: () => Promise<number>): Promise<number> {
  let b = Infinity;
  for (let i = 0; i < ROUNDS; i++) b = Math.min(b, await f());
  return b;
}

function line(name: string, transitions: number, oursMs: number, anchorMs: number): string {
  const o = (transitions / oursMs) * 1000;
  const a = (transitions / anchorMs) * 1000;
  return `${name.padEnd(34)} ours ${fmt(o)} transitions/s   aws-local-stepfunctions ${fmt(a)} transitions/s   ratio ${(o / a).toFixed(1)}x`;
}

function fmt(n: number): string {
  return Math.round(n).toLocaleString('en-US').padStart(11);
}

async function main(): Promise<void> {
  if (process.argv[2] === '--map-memory') {
    await ours(largeMapDefinition(Number(process.argv[3])), {});
    console.log(JSON.stringify({ maxRssMb: process.resourceUsage().maxRSS / 1024 }));
    return;
  }
  console.log(`start-up (whole process, median of several runs, Node ${process.version})`);
  await runStartupBench((l) => console.log(l));
  // `--startup`: only the start-up figures.
  if (process.argv[2] === '--startup') return;

  console.log(`\nbenchmarks (best of ${ROUNDS}, Node ${process.version})`);
  const loopDef = loopDefinition(LOOP_ITERATIONS);
  const loopInput = { n: 0 };
  const lo = await best(() => ours(loopDef, loopInput));
  const la = await best(() => anchor(loopDef, loopInput));
  console.log(line(`Choice+Pass loop, ${LOOP_ITERATIONS.toLocaleString('en-US')} iterations`, loopTransitions(LOOP_ITERATIONS), lo, la));

  const mapInput = { items: Array.from({ length: MAP_ITEMS }, (_, i) => i + 1) };
  const mo = await best(() => ours(mapDefinition(), mapInput));
  const ma = await best(() => anchor(mapDefinition(), mapInput));
  console.log(line(`Map, ${MAP_ITEMS.toLocaleString('en-US')} items x 3 states`, mapTransitions(MAP_ITEMS), mo, ma));

  const self = fileURLToPath(import.meta.url);
  const mem = spawnSync(process.execPath, [self, '--map-memory', '100000'], { encoding: 'utf8' });
  const rss = mem.status === 0 ? (JSON.parse(mem.stdout.trim().split('\n').at(-1)!) as { maxRssMb: number }).maxRssMb : NaN;
  console.log(`${'Map, 100,000 items: peak memory'.padEnd(34)} ours ${rss.toFixed(0)} MB (bar: under 500 MB)`);

  console.log('\nlocal SageMaker jobs');
  await runJobOverheadBench((l) => console.log(l));
  await runRequirementsBench((l) => console.log(l));
  await runXgboostBench((l) => console.log(l));

  console.log('\nlocal SageMaker hosting and batch transform');
  await runHostingBench((l) => console.log(l));
  await runCaptureBench((l) => console.log(l));

  console.log('\nlocal S3 through the local API');
  await runS3Bench((l) => console.log(l));

  console.log('\npipeline');
  await runPipelineBench((l) => console.log(l));

  console.log('\nweb console');
  await runConsoleBench((l) => console.log(l));
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
