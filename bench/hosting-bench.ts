/**
 * Local SageMaker hosting benchmarks, each printed with its bar:
 *  - CreateEndpoint analogue: startServer until /ping answers 200 (bar: <= 5 s);
 *  - endpoint latency: single-row text/csv requests over loopback with keep-alive, through the
 *    endpoint's URL (bar: p50 <= 2 ms, p99 <= 10 ms), plus the in-handler time (CloudWatch's
 *    ModelLatency) and the overhead (client latency minus ModelLatency);
 *  - batch transform of 100,000 CSV rows (MultiRecord, MaxPayloadInMB 6, AssembleWith Line)
 *    against a bare `pd.read_csv` + `model.predict` over the same file in one Python process,
 *    measured in the same run (bar: >= 50% of the bare rows/s).
 *
 * The model is a LogisticRegression trained here on synthetic data with 14 features (as many as the
 * census data set has). Run alone with
 * `node dist/bench/hosting-bench.js`, or call `runHostingBench()` from bench/run.ts.
 */
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { S3Store } from '../src/emulators/s3/index.js';
import type { JobContext } from '../src/emulators/sagemaker/contracts.js';
import { createHosting } from '../src/emulators/sagemaker/hosting/index.js';
import { invokeModelServer } from '../src/emulators/sagemaker/invoke-url.js';
import { resolveHostingOptions } from '../src/emulators/sagemaker/hosting/hosting-options.js';
import { LogSink } from '../src/emulators/sagemaker/hosting/log-sink.js';
import { launchBackend } from '../src/emulators/sagemaker/hosting/model-server.js';
import { listInputObjects } from '../src/emulators/sagemaker/hosting/transform/input-objects.js';
import { transformInputs } from '../src/emulators/sagemaker/hosting/transform/run-transform.js';
import { batchEnvironment, parseTransformRequest } from '../src/emulators/sagemaker/hosting/transform/transform-config.js';

const PYTHON = process.env['MLOPS_SFN_PYTHON'] ?? '/usr/bin/python3';
const BUCKET = 'hosting-bench';
const ROWS = 100_000;
const REQUESTS = 2_000;
const WARMUP = 200;
const STARTS = 3;
const ROUNDS = 9;
const WARMUP_ROUNDS = 2;

const INFERENCE_PY = `
import os
import joblib
import numpy as np
from sagemaker_containers.beta.framework import encoders


def model_fn(model_dir):
    return joblib.load(os.path.join(model_dir, 'model.joblib'))


def input_fn(request_body, content_type):
    return np.atleast_2d(encoders.decode(request_body, content_type).astype(np.float32))
`;

const SETUP_PY = `
import io, os, sys, tarfile
import joblib
import numpy as np
from sklearn.linear_model import LogisticRegression
out, rows, script = sys.argv[1], int(sys.argv[2]), sys.argv[3]
FEATURES = 14  # as many as the census (adult) data set has
rng = np.random.default_rng(2024)
w = rng.normal(size=FEATURES)
X = np.round(rng.normal(size=(5000, FEATURES)) * 10, 3)
y = (X @ w + rng.normal(size=5000) > 0).astype(int)
model = LogisticRegression(max_iter=1000).fit(X, y)
buf = io.BytesIO()
joblib.dump(model, buf)
def pack(name, members):
    with tarfile.open(os.path.join(out, name), 'w:gz') as tar:
        for n, data in members:
            info = tarfile.TarInfo(n)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
pack('model.tar.gz', [('model.joblib', buf.getvalue())])
open(os.path.join(out, 'model.joblib'), 'wb').write(buf.getvalue())
pack('sourcedir.tar.gz', [('inference.py', script.encode())])
T = np.round(rng.normal(size=(rows, FEATURES)) * 10, 3)
with open(os.path.join(out, 'rows.csv'), 'w') as f:
    f.write(''.join(','.join(repr(v) for v in r) + '\\n' for r in T.tolist()))
with open(os.path.join(out, 'one.csv'), 'w') as f:
    f.write(','.join(repr(v) for v in T[0].tolist()))
`;

/** A bare Python process that times `pd.read_csv(file)` + `model.predict` each time it reads a line. */
const BARE_PY = `
import json, sys, time
import joblib
import pandas as pd
model = joblib.load(sys.argv[1])
for _ in sys.stdin:
    t = time.perf_counter()
    frame = pd.read_csv(sys.argv[2], header=None)
    pred = model.predict(frame)
    print(json.dumps({'seconds': time.perf_counter() - t, 'rows': int(len(pred))}), flush=True)
`;

/** Talks to BARE_PY: one round per call. */
function bareRunner(model: string, csv: string): { round(): Promise<{ seconds: number; rows: number }>; close(): void } {
  const child = spawn(PYTHON, ['-c', BARE_PY, model, csv], { stdio: ['pipe', 'pipe', 'inherit'], env: { PATH: '/usr/bin:/bin' } });
  let buf = '';
  const waiting: ((line: string) => void)[] = [];
  child.stdout.setEncoding('utf8');
  child.stdout.on('data', (chunk: string) => {
    buf += chunk;
    let nl;
    while ((nl = buf.indexOf('\n')) >= 0) {
      const line = buf.slice(0, nl);
      buf = buf.slice(nl + 1);
      waiting.shift()?.(line);
    }
  });
  return {
    round: () =>
      new Promise((resolve) => {
        waiting.push((line) => resolve(JSON.parse(line) as { seconds: number; rows: number }));
        child.stdin.write('run\n');
      }),
    close: () => child.stdin.end(),
  };
}

export interface HostingBenchResult {
  startSeconds: number[];
  latencyMs: { p50: number; p99: number; mean: number };
  directLatencyMs: { p50: number; p99: number };
  modelLatencyUs: { p50: number };
  overheadMs: { p50: number };
  transform: {
    oursRowsPerSec: number;
    bareRowsPerSec: number;
    /** Best round against best round. */
    ratio: number;
    /** Median over rounds of bare time / our time, each pair run back to back. */
    medianPairedRatio: number;
    oursSeconds: number;
    bareSeconds: number;
    fullJobSeconds: number;
  };
}

function pct(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))];
}

const fmt = (n: number, d = 2): string => n.toFixed(d);

export async function runHostingBench(log: (line: string) => void = console.log): Promise<HostingBenchResult> {
  const home = mkdtempSync(join(tmpdir(), 'mlops-sfn-hosting-bench-'));
  try {
    const files = join(home, 'files');
    mkdirSync(files, { recursive: true });
    execFileSync(PYTHON, ['-c', SETUP_PY, files, String(ROWS), INFERENCE_PY], { stdio: ['ignore', 'ignore', 'inherit'] });
    const s3 = new S3Store(join(home, 's3'));
    await s3.createBucket({ Bucket: BUCKET });
    const put = async (key: string, file: string): Promise<string> => {
      await s3.putObject({ Bucket: BUCKET, Key: key, Body: readFileSync(join(files, file)) });
      return `s3://${BUCKET}/${key}`;
    };
    const modelUrl = await put('model/model.tar.gz', 'model.tar.gz');
    const codeUrl = await put('code/sourcedir.tar.gz', 'sourcedir.tar.gz');
    await put('transform/in/rows.csv', 'rows.csv');
    const hosting = createHosting();
    const model = {
      name: 'bench',
      image: 'sklearn',
      modelDataUrl: modelUrl,
      environment: { SAGEMAKER_PROGRAM: 'inference.py', SAGEMAKER_SUBMIT_DIRECTORY: codeUrl },
    };
    const ctx = (name: string) => ({ home, workDir: join(home, 'ep', name), logFile: join(home, 'logs', `${name}.log`), s3, region: 'us-east-1' });

    // Creating -> InService.
    const startSeconds: number[] = [];
    for (let i = 0; i < STARTS - 1; i++) {
      const t0 = performance.now();
      const s = await hosting.startServer(model, ctx(`start-${i}`));
      startSeconds.push((performance.now() - t0) / 1000);
      await s.stop();
    }
    const t0 = performance.now();
    const server = await hosting.startServer(model, ctx('latency'));
    startSeconds.push((performance.now() - t0) / 1000);
    const sortedStarts = [...startSeconds].sort((a, b) => a - b);
    log(
      `${'CreateEndpoint -> InService'.padEnd(40)} median ${fmt(pct(sortedStarts, 50))} s, max ${fmt(sortedStarts.at(-1)!)} s over ${STARTS} starts (bar: <= 5 s; SageMaker: 5-10+ min)`,
    );

    // Latency, single-row CSV, keep-alive, through the endpoint URL.
    const body = readFileSync(join(files, 'one.csv'));
    const req = { body, contentType: 'text/csv', accept: 'text/csv' };
    for (let i = 0; i < WARMUP; i++) {
      const r = await invokeModelServer(server.url, req);
      if (r.status !== 200) throw new Error(`warm-up request failed: ${r.status} ${r.body.toString()}`);
    }
    const client: number[] = [];
    for (let i = 0; i < REQUESTS; i++) {
      const a = performance.now();
      await invokeModelServer(server.url, req);
      client.push(performance.now() - a);
    }
    const direct: number[] = [];
    const inHandler: number[] = [];
    const overhead: number[] = [];
    for (let i = 0; i < REQUESTS; i++) {
      const a = performance.now();
      const r = await server.invoke(req);
      const ms = performance.now() - a;
      direct.push(ms);
      inHandler.push(r.modelLatencyUs ?? 0);
      overhead.push(ms - (r.modelLatencyUs ?? 0) / 1000);
    }
    await server.stop();
    const c = [...client].sort((a, b) => a - b);
    const d = [...direct].sort((a, b) => a - b);
    const m = [...inHandler].sort((a, b) => a - b);
    const o = [...overhead].sort((a, b) => a - b);
    const latencyMs = { p50: pct(c, 50), p99: pct(c, 99), mean: c.reduce((x, y) => x + y, 0) / c.length };
    log(
      `${`Endpoint latency, ${REQUESTS} x 1-row text/csv`.padEnd(40)} p50 ${fmt(latencyMs.p50)} ms, p99 ${fmt(latencyMs.p99)} ms via the endpoint URL (bar: p50 <= 2 ms, p99 <= 10 ms); ` +
        `in-process handle p50 ${fmt(pct(d, 50))} ms, p99 ${fmt(pct(d, 99))} ms; ModelLatency p50 ${Math.round(pct(m, 50))} us, OverheadLatency p50 ${fmt(pct(o, 50))} ms`,
    );

    // Batch transform throughput against bare read_csv + predict over the same file, in the same
    // run: rounds alternate between the two so both see the same machine load; best of each.
    const request = {
      TransformInput: {
        DataSource: { S3DataSource: { S3DataType: 'S3Prefix', S3Uri: `s3://${BUCKET}/transform/in/` } },
        ContentType: 'text/csv',
        SplitType: 'Line',
      },
      TransformOutput: { S3OutputPath: `s3://${BUCKET}/transform/out/`, Accept: 'text/csv', AssembleWith: 'Line' },
      BatchStrategy: 'MultiRecord',
    };
    const config = parseTransformRequest(request);
    const jobCtx = (name: string): JobContext => ({
      home,
      workDir: join(home, 'jobs', name),
      logFile: join(home, 'logs', `${name}.log`),
      s3,
      region: 'us-east-1',
      accountId: '123456789012',
      signal: new AbortController().signal,
    });
    const defaults = { name: 'bench-defaults', image: 'sklearn', modelDataUrl: modelUrl, environment: {} };
    const sink = new LogSink(join(home, 'logs', 'transform.log'));
    const { backend } = await launchBackend(defaults, ctx('transform'), sink, resolveHostingOptions(), 1, batchEnvironment(config));
    const bareRunnerHandle = bareRunner(join(files, 'model.joblib'), join(files, 'rows.csv'));
    let oursSeconds = Infinity;
    const bare = { seconds: Infinity, rows: 0 };
    const pairedRatios: number[] = [];
    try {
      // The first rounds of each side warm caches, allocators and the JIT; they are not counted.
      for (let i = -WARMUP_ROUNDS; i < ROUNDS; i++) {
        const b = await bareRunnerHandle.round();
        if (i >= 0 && b.seconds < bare.seconds) Object.assign(bare, b);
        // OpenBLAS worker threads spin for a while after a call; let them settle before timing the other side.
        await new Promise((r) => setTimeout(r, 300));
        const a = performance.now();
        const inputs = await listInputObjects(s3, config, 'us-east-1');
        const status = await transformInputs(config, inputs, backend, jobCtx(`t${i}`), () => undefined);
        if (status !== 'Completed') throw new Error(`transform ${status}`);
        const seconds = (performance.now() - a) / 1000;
        if (i >= 0) {
          oursSeconds = Math.min(oursSeconds, seconds);
          pairedRatios.push(b.seconds / seconds);
        }
        await new Promise((r) => setTimeout(r, 300));
      }
    } finally {
      bareRunnerHandle.close();
      await backend.stop(0);
      await sink.close();
    }
    const out = (await s3.getObject({ Bucket: BUCKET, Key: 'transform/out/rows.csv.out' })).Body.toString();
    const lines = out.split('\n').length - 1;
    if (lines !== ROWS) throw new Error(`transform wrote ${lines} lines for ${ROWS} rows`);
    const a = performance.now();
    const full = await hosting.runTransform({ name: 'bench', arn: 'arn', request, model: defaults }, jobCtx('full'));
    const fullJobSeconds = (performance.now() - a) / 1000;
    if (full.status !== 'Completed') throw new Error(`runTransform ${full.status}: ${full.failureReason}`);
    const oursRowsPerSec = ROWS / oursSeconds;
    const bareRowsPerSec = bare.rows / bare.seconds;
    const median = [...pairedRatios].sort((x, y) => x - y)[Math.floor(pairedRatios.length / 2)];
    const transform = {
      oursRowsPerSec,
      bareRowsPerSec,
      ratio: oursRowsPerSec / bareRowsPerSec,
      medianPairedRatio: median,
      oursSeconds,
      bareSeconds: bare.seconds,
      fullJobSeconds,
    };
    log(
      `${`Batch transform, ${ROWS.toLocaleString('en-US')} CSV rows`.padEnd(40)} ours ${Math.round(oursRowsPerSec).toLocaleString('en-US')} rows/s ` +
        `(${fmt(oursSeconds, 3)} s, model server running), bare read_csv+predict ${Math.round(bareRowsPerSec).toLocaleString('en-US')} rows/s ` +
        `(${fmt(bare.seconds, 3)} s), ratio ${fmt(transform.ratio)} best/best, ${fmt(median)} median of ${ROUNDS} back-to-back pairs (bar: >= 0.50); ` +
        `whole job incl. model server start ${fmt(fullJobSeconds)} s`,
    );
    return {
      startSeconds,
      latencyMs,
      directLatencyMs: { p50: pct(d, 50), p99: pct(d, 99) },
      modelLatencyUs: { p50: pct(m, 50) },
      overheadMs: { p50: pct(o, 50) },
      transform,
    };
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  console.log(`hosting benchmarks (Node ${process.version}, ${PYTHON})`);
  runHostingBench().catch((e: unknown) => {
    console.error(e);
    process.exit(1);
  });
}
