/**
 * Endpoint data capture end to end: a real scikit-learn model server behind the local SageMaker
 * runtime API, an endpoint configuration with DataCaptureConfig, 1,000 InvokeEndpoint calls, and
 * every one of them found in the capture files, in SageMaker's format, where SageMaker puts them.
 * Also: DescribeEndpoint's DataCaptureConfig, CreateEndpointConfig's checks, and `mlops-sfn invoke`
 * (which calls the model server itself when no `serve` runs) capturing as InvokeEndpoint does.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { startLocalApi, type LocalApi } from '../../../../../src/api/local-api.js';
import type { JsonObject } from '../../../../../src/core/json.js';
import { invokeRuntimeApi } from '../../../../../src/emulators/sagemaker/invoke-url.js';
import { isSageMakerError } from '../../../../../src/emulators/sagemaker/service/index.js';
import { openLocalServices, type LocalServices } from '../../../../../src/engine/local-services.js';
import { LocalStepFunctions } from '../../../../../src/engine/step-functions/index.js';
import { fixtures } from '../../../../support/hosting.js';

const MAIN = fileURLToPath(new URL('../../../../../src/cli/main.js', import.meta.url));
const IMAGE = '683313688378.dkr.ecr.us-east-1.amazonaws.com/sagemaker-scikit-learn:1.2-1-cpu-py3';
const CAPTURE = {
  EnableCapture: true,
  InitialSamplingPercentage: 100,
  DestinationS3Uri: 's3://captures/datacapture',
  CaptureOptions: [{ CaptureMode: 'Input' }, { CaptureMode: 'Output' }],
  CaptureContentTypeHeader: { CsvContentTypes: ['text/csv'], JsonContentTypes: ['application/json'] },
};

interface Record {
  captureData: { endpointInput: JsonObject; endpointOutput: JsonObject };
  eventMetadata: { eventId: string; inferenceId?: string; inferenceTime: string };
  eventVersion: string;
}

async function captured(services: LocalServices, prefix: string): Promise<{ keys: string[]; records: Record[] }> {
  const keys: string[] = [];
  const records: Record[] = [];
  let token: string | undefined;
  do {
    const page = await services.s3.listObjectsV2({ Bucket: 'captures', Prefix: prefix, ...(token ? { ContinuationToken: token } : {}) });
    for (const o of page.Contents ?? []) {
      keys.push(o.Key!);
      const text = (await services.s3.getObject({ Bucket: 'captures', Key: o.Key! })).Body.toString('utf8');
      for (const line of text.split('\n')) if (line !== '') records.push(JSON.parse(line) as Record);
    }
    token = page.NextContinuationToken;
  } while (token);
  return { keys, records };
}

describe('endpoint data capture', { timeout: 240_000 }, () => {
  let home: string;
  let services: LocalServices;
  let sfn: LocalStepFunctions;
  let api: LocalApi;

  before(async () => {
    home = mkdtempSync(join(tmpdir(), 'mlops-sfn-capture-e2e-'));
    services = openLocalServices(home, { fsync: false });
    await services.s3.createBucket({ Bucket: 'models' });
    await services.s3.createBucket({ Bucket: 'captures' });
    await services.s3.putObject({ Bucket: 'models', Key: 'm/model.tar.gz', Body: fixtures().file('model.tar.gz') });
    const sm = services.sagemaker;
    sm.createModel({ ModelName: 'm', PrimaryContainer: { Image: IMAGE, ModelDataUrl: 's3://models/m/model.tar.gz' }, ExecutionRoleArn: 'arn:aws:iam::111111111111:role/r' });
    sm.createEndpointConfig({
      EndpointConfigName: 'cfg',
      ProductionVariants: [{ VariantName: 'AllTraffic', ModelName: 'm', InitialInstanceCount: 1, InstanceType: 'ml.m5.large' }],
      DataCaptureConfig: CAPTURE,
    });
    sm.createEndpoint({ EndpointName: 'Census-Ep', EndpointConfigName: 'cfg' });
    assert.equal((await sm.waitFor('endpoint', 'Census-Ep'))!['EndpointStatus'], 'InService');
    sfn = new LocalStepFunctions(services, { pollMs: 20 });
    api = await startLocalApi({ services, stepFunctions: sfn, log: () => undefined });
  });
  after(async () => {
    await api?.close();
    await sfn?.close();
    await services?.close();
    rmSync(home, { recursive: true, force: true });
  });

  it('DescribeEndpoint shows the DataCaptureConfig summary', () => {
    const d = services.sagemaker.describeEndpoint({ EndpointName: 'Census-Ep' });
    assert.deepEqual(d['DataCaptureConfig'], {
      EnableCapture: true,
      CaptureStatus: 'Started',
      CurrentSamplingPercentage: 100,
      DestinationS3Uri: 's3://captures/datacapture',
      KmsKeyId: '',
    });
    assert.deepEqual(Object.keys(d).slice(0, 6), ['EndpointName', 'EndpointArn', 'EndpointConfigName', 'ProductionVariants', 'DataCaptureConfig', 'EndpointStatus']);
  });

  it('1,000 invocations through InvokeEndpoint are all captured, in SageMaker format, under <dest>/<endpoint>/<variant>/yyyy/mm/dd/hh/', async () => {
    const N = 1000;
    const sent = new Map<string, { body: string; answer: string }>();
    const started = Date.now();
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < N) {
        const i = next++;
        const body = JSON.stringify([[i / 100, -i / 200, 0.5, 1]]);
        const res = await invokeRuntimeApi(api.url, 'Census-Ep', { body: Buffer.from(body), contentType: 'application/json', accept: 'text/csv', inferenceId: `req-${i}` });
        assert.equal(res.status, 200, res.body.toString());
        sent.set(`req-${i}`, { body, answer: res.body.toString('utf8') });
      }
    };
    await Promise.all(Array.from({ length: 8 }, worker));
    const ended = Date.now();
    await services.sagemaker.flushCaptures();
    const { keys, records } = await captured(services, 'datacapture/');
    assert.equal(records.length, N);
    for (const k of keys) assert.match(k, /^datacapture\/Census-Ep\/AllTraffic\/\d{4}\/\d{2}\/\d{2}\/\d{2}\/\d{2}-\d{2}-\d{3}-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\.jsonl$/);
    const ids = new Set<string>();
    for (const r of records) {
      assert.deepEqual(Object.keys(r), ['captureData', 'eventMetadata', 'eventVersion']);
      assert.equal(r.eventVersion, '0');
      const want = sent.get(r.eventMetadata.inferenceId!);
      assert.ok(want, `a capture for a request never sent: ${JSON.stringify(r.eventMetadata)}`);
      assert.deepEqual(r.captureData.endpointInput, { observedContentType: 'application/json', mode: 'INPUT', data: want.body, encoding: 'JSON' });
      assert.equal(r.captureData.endpointOutput['mode'], 'OUTPUT');
      assert.equal(r.captureData.endpointOutput['encoding'], 'CSV');
      assert.match(String(r.captureData.endpointOutput['observedContentType']), /^text\/csv/);
      assert.equal(r.captureData.endpointOutput['data'], want.answer);
      assert.match(r.eventMetadata.inferenceTime, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
      const t = Date.parse(r.eventMetadata.inferenceTime);
      assert.ok(t >= Math.floor(started / 1000) * 1000 && t <= ended, r.eventMetadata.inferenceTime);
      // Each file's folder is the hour of the records it holds.
      ids.add(r.eventMetadata.eventId);
    }
    assert.equal(ids.size, N, 'every record has its own eventId');
    assert.deepEqual(new Set(records.map((r) => r.eventMetadata.inferenceId)), new Set(sent.keys()));
  });

  it('CreateEndpointConfig refuses a DataCaptureConfig SageMaker refuses, in its words', () => {
    const bad = (capture: object): string => {
      try {
        services.sagemaker.createEndpointConfig({
          EndpointConfigName: 'bad',
          ProductionVariants: [{ VariantName: 'AllTraffic', ModelName: 'm', InitialInstanceCount: 1, InstanceType: 'ml.m5.large' }],
          DataCaptureConfig: capture,
        } as never);
      } catch (e) {
        assert.ok(isSageMakerError(e), String(e));
        return e.message;
      }
      assert.fail('accepted');
    };
    assert.match(bad({ ...CAPTURE, InitialSamplingPercentage: 101 }), /Value '101' at 'dataCaptureConfig.initialSamplingPercentage' failed to satisfy constraint: Member must have value less than or equal to 100/);
    assert.match(bad({ ...CAPTURE, CaptureOptions: [{ CaptureMode: 'Both' }] }), /at 'dataCaptureConfig.captureOptions.1.member.captureMode' failed to satisfy constraint: Member must satisfy enum value set/);
    assert.match(bad({ ...CAPTURE, CaptureOptions: [] }), /captureOptions' failed to satisfy constraint: Member must have length greater than or equal to 1/);
    assert.match(bad({ InitialSamplingPercentage: 5, CaptureOptions: [{ CaptureMode: 'Input' }] }), /Value null at 'dataCaptureConfig.destinationS3Uri' failed to satisfy constraint: Member must not be null/);
    assert.match(bad({ ...CAPTURE, DestinationS3Uri: 'https://example.com/x' }), /DestinationS3Uri https:\/\/example.com\/x is not an S3 location/);
  });

  it('mlops-sfn invoke, calling the model server itself, captures the call with its --inference-id', { timeout: 120_000 }, async () => {
    // The CLI starts the endpoint in its own process (no serve.json here) and writes its capture on exit.
    const body = join(home, 'rows.json');
    writeFileSync(body, '[[1, 2, 0, 0], [-1, -2, 0, 0]]');
    const r = await new Promise<{ code: number; stdout: string; stderr: string }>((resolve) =>
      execFile(process.execPath, [MAIN, '--home', home, 'invoke', 'Census-Ep', '--body', body, '--content-type', 'application/json', '--accept', 'text/csv', '--inference-id', 'from-cli'], { encoding: 'utf8' }, (err, stdout, stderr) =>
        resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
      ),
    );
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, '1\n0\n');
    const { records } = await captured(services, 'datacapture/Census-Ep/AllTraffic/');
    const mine = records.filter((x) => x.eventMetadata.inferenceId === 'from-cli');
    assert.equal(mine.length, 1);
    assert.equal(mine[0]!.captureData.endpointInput['data'], '[[1, 2, 0, 0], [-1, -2, 0, 0]]');
    assert.equal(mine[0]!.captureData.endpointOutput['data'], '1\n0\n');
  });
});
