/**
 * Endpoint data capture's cost on the request path: the same model behind two endpoints, one with
 * DataCaptureConfig at 100% (input and output) and one without, called through the local SageMaker
 * runtime API (InvokeEndpoint's route, where capture happens) one request at a time over a
 * keep-alive connection, in interleaved rounds so both see the same machine load. Prints p50/p99 of
 * each and the p99 ratio (bar: <= 1.5x), and checks that every captured request was written.
 *
 * Run alone with `node dist/bench/capture-bench.js`, or call `runCaptureBench()` from bench/run.ts.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startLocalApi } from '../src/api/local-api.js';
import { invokeRuntimeApi } from '../src/emulators/sagemaker/invoke-url.js';
import { openLocalServices } from '../src/engine/local-services.js';
import { LocalStepFunctions } from '../src/engine/step-functions/index.js';

const IMAGE = '683313688378.dkr.ecr.us-east-1.amazonaws.com/sagemaker-scikit-learn:1.2-1-cpu-py3';
const ROUNDS = 10;
const PER_ROUND = 200;
const WARMUP = 100;

/** A model whose handler does almost nothing, so the figures show the route, not the model. */
const ECHO_PY = `
def model_fn(model_dir):
    return None


def transform_fn(model, body, content_type, accept):
    return body, 'text/csv'
`;

function pct(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))]!;
}

export async function runCaptureBench(print: (line: string) => void): Promise<void> {
  const home = mkdtempSync(join(tmpdir(), 'mlops-sfn-capture-bench-'));
  const services = openLocalServices(home, { fsync: false });
  const sfn = new LocalStepFunctions(services, { pollMs: 50 });
  const api = await startLocalApi({ services, stepFunctions: sfn, log: () => undefined });
  try {
    const src = join(home, 'src');
    mkdirSync(join(src, 'code'), { recursive: true });
    writeFileSync(join(src, 'code', 'echo.py'), ECHO_PY);
    writeFileSync(join(src, 'model.txt'), 'echo');
    execFileSync('tar', ['-czf', join(home, 'code.tar.gz'), '-C', join(src, 'code'), 'echo.py']);
    execFileSync('tar', ['-czf', join(home, 'model.tar.gz'), '-C', src, 'model.txt']);
    await services.s3.createBucket({ Bucket: 'bench' });
    await services.s3.putObjectFromFile({ Bucket: 'bench', Key: 'model.tar.gz', FilePath: join(home, 'model.tar.gz') });
    await services.s3.putObjectFromFile({ Bucket: 'bench', Key: 'code.tar.gz', FilePath: join(home, 'code.tar.gz') });
    const sm = services.sagemaker;
    sm.createModel({
      ModelName: 'echo',
      PrimaryContainer: { Image: IMAGE, ModelDataUrl: 's3://bench/model.tar.gz', Environment: { SAGEMAKER_PROGRAM: 'echo.py', SAGEMAKER_SUBMIT_DIRECTORY: 's3://bench/code.tar.gz' } },
      ExecutionRoleArn: 'arn:aws:iam::111111111111:role/r',
    });
    const variants = [{ VariantName: 'AllTraffic', ModelName: 'echo', InitialInstanceCount: 1, InstanceType: 'ml.m5.large' }];
    sm.createEndpointConfig({ EndpointConfigName: 'plain', ProductionVariants: variants });
    sm.createEndpointConfig({
      EndpointConfigName: 'captured',
      ProductionVariants: variants,
      DataCaptureConfig: {
        InitialSamplingPercentage: 100,
        DestinationS3Uri: 's3://bench/capture',
        CaptureOptions: [{ CaptureMode: 'Input' }, { CaptureMode: 'Output' }],
        CaptureContentTypeHeader: { CsvContentTypes: ['text/csv'] },
      },
    });
    sm.createEndpoint({ EndpointName: 'plain', EndpointConfigName: 'plain' });
    sm.createEndpoint({ EndpointName: 'captured', EndpointConfigName: 'captured' });
    for (const ep of ['plain', 'captured']) {
      const d = await sm.waitFor('endpoint', ep);
      if (d?.['EndpointStatus'] !== 'InService') throw new Error(`endpoint ${ep}: ${JSON.stringify(d)}`);
    }
    const row = Buffer.from('39,7,77516,13,4,1,2174,0,40,1,0,1,0,1\n');
    const call = async (ep: string): Promise<number> => {
      const t0 = performance.now();
      const res = await invokeRuntimeApi(api.url, ep, { body: row, contentType: 'text/csv', accept: 'text/csv' });
      const ms = performance.now() - t0;
      if (res.status !== 200) throw new Error(`${ep}: ${res.status} ${res.body.toString()}`);
      return ms;
    };
    for (let i = 0; i < WARMUP; i++) await call('plain'), await call('captured');
    const times: Record<string, number[]> = { plain: [], captured: [] };
    for (let r = 0; r < ROUNDS; r++) {
      for (const ep of r % 2 === 0 ? ['plain', 'captured'] : ['captured', 'plain']) {
        for (let i = 0; i < PER_ROUND; i++) times[ep]!.push(await call(ep));
      }
    }
    await sm.flushCaptures();
    let records = 0;
    let token: string | undefined;
    do {
      const page = await services.s3.listObjectsV2({ Bucket: 'bench', Prefix: 'capture/', ...(token ? { ContinuationToken: token } : {}) });
      for (const o of page.Contents ?? []) records += (await services.s3.getObject({ Bucket: 'bench', Key: o.Key! })).Body.toString().split('\n').filter(Boolean).length;
      token = page.NextContinuationToken;
    } while (token);
    const expected = WARMUP + ROUNDS * PER_ROUND;
    const p = (ep: string, q: number): number => pct([...times[ep]!].sort((a, b) => a - b), q);
    const fmt = (ms: number): string => ms.toFixed(2).padStart(6);
    print(
      `${'InvokeEndpoint, data capture 100%'.padEnd(40)} p50 ${fmt(p('captured', 50))} ms  p99 ${fmt(p('captured', 99))} ms   without capture p50 ${fmt(p('plain', 50))} ms  p99 ${fmt(p('plain', 99))} ms   p99 ratio ${(p('captured', 99) / p('plain', 99)).toFixed(2)}x (bar: <= 1.5x)`,
    );
    print(`${'  captured records written'.padEnd(40)} ${records} of ${expected}${records === expected ? '' : '  (MISSING RECORDS)'}`);
  } finally {
    await api.close();
    await sfn.close();
    await services.close();
    rmSync(home, { recursive: true, force: true });
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  runCaptureBench((l) => console.log(l)).catch((e: unknown) => {
    console.error(e);
    process.exit(1);
  });
}
