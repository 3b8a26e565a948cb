/**
 * Data capture's format and files, checked line by line against SageMaker's documented sample:
 * member names and order, the encoding chosen from CaptureContentTypeHeader, inferenceId only when
 * given, file names `<MM>-<SS>-<mmm>-<uuid>.jsonl` under `<dest>/<endpoint>/<variant>/yyyy/mm/dd/hh/`,
 * files rolled by time, sampling.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { S3Store } from '../../../../../src/emulators/s3/index.js';
import {
  CaptureConfigError,
  captureFileKey,
  captureLine,
  captureSettings,
  captureSummary,
  CaptureWriter,
  parseDestination,
  type CapturedExchange,
} from '../../../../../src/emulators/sagemaker/capture/index.js';

const CONFIG = {
  EnableCapture: true,
  InitialSamplingPercentage: 100,
  DestinationS3Uri: 's3://captures/monitor/',
  CaptureOptions: [{ CaptureMode: 'Input' }, { CaptureMode: 'Output' }],
  CaptureContentTypeHeader: { CsvContentTypes: ['text/csv'], JsonContentTypes: ['application/json'] },
};

function exchange(over: Partial<CapturedExchange> = {}): CapturedExchange {
  return {
    request: { body: Buffer.from('1,2,3\n'), contentType: 'text/csv' },
    response: { body: Buffer.from('0.25'), contentType: 'text/csv; charset=utf-8' },
    at: Date.UTC(2026, 11, 8, 1, 2, 3, 456),
    ...over,
  };
}

test('a record has SageMaker members in its order; CSV and JSON bodies are text, the rest base64', () => {
  const s = captureSettings(CONFIG);
  const line = captureLine(exchange(), s, 'aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee');
  assert.equal(
    line,
    '{"captureData":{"endpointInput":{"observedContentType":"text/csv","mode":"INPUT","data":"1,2,3\\n","encoding":"CSV"},' +
      '"endpointOutput":{"observedContentType":"text/csv; charset=utf-8","mode":"OUTPUT","data":"0.25","encoding":"CSV"}},' +
      '"eventMetadata":{"eventId":"aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee","inferenceTime":"2026-12-08T01:02:03Z"},"eventVersion":"0"}',
  );
  const json = JSON.parse(
    captureLine(
      exchange({
        request: { body: Buffer.from('{"instances":[[1,2]]}'), contentType: 'Application/JSON' },
        response: { body: Buffer.from([0x89, 0x50, 0x4e, 0x47]), contentType: 'image/png' },
        inferenceId: 'req-7',
      }),
      s,
    ),
  );
  assert.deepEqual(json.captureData.endpointInput, { observedContentType: 'Application/JSON', mode: 'INPUT', data: '{"instances":[[1,2]]}', encoding: 'JSON' });
  assert.deepEqual(json.captureData.endpointOutput, { observedContentType: 'image/png', mode: 'OUTPUT', data: 'iVBORw==', encoding: 'BASE64' });
  assert.deepEqual(Object.keys(json.eventMetadata), ['eventId', 'inferenceId', 'inferenceTime']);
  assert.equal(json.eventMetadata.inferenceId, 'req-7');
  assert.match(json.eventMetadata.eventId, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
});

test('without CaptureContentTypeHeader everything is base64; a CSV body that is not UTF-8 stays base64; Input-only has no output', () => {
  const plain = captureSettings({ ...CONFIG, CaptureContentTypeHeader: undefined } as never);
  const r = JSON.parse(captureLine(exchange(), plain));
  assert.equal(r.captureData.endpointInput.encoding, 'BASE64');
  assert.equal(Buffer.from(r.captureData.endpointInput.data, 'base64').toString(), '1,2,3\n');
  const s = captureSettings({ ...CONFIG, CaptureOptions: [{ CaptureMode: 'Input' }] });
  const bad = JSON.parse(captureLine(exchange({ request: { body: Buffer.from([0xff, 0xfe, 0x2c]), contentType: 'text/csv' } }), s));
  assert.deepEqual(Object.keys(bad.captureData), ['endpointInput']);
  assert.equal(bad.captureData.endpointInput.encoding, 'BASE64');
  assert.equal(bad.captureData.endpointInput.data, '//4s');
  const both = captureSettings({ ...CONFIG, CaptureOptions: [{ CaptureMode: 'InputAndOutput' }] });
  assert.deepEqual(Object.keys(JSON.parse(captureLine(exchange(), both)).captureData), ['endpointInput', 'endpointOutput']);
});

test('destinations: s3:// and https S3 URLs, anything else refused; DescribeEndpoint summary', () => {
  assert.deepEqual(parseDestination('s3://bkt'), { bucket: 'bkt', prefix: '' });
  assert.deepEqual(parseDestination('s3://bkt/a/b//'), { bucket: 'bkt', prefix: 'a/b' });
  assert.deepEqual(parseDestination('https://bkt.s3.us-east-1.amazonaws.com/p/q'), { bucket: 'bkt', prefix: 'p/q' });
  assert.deepEqual(parseDestination('https://s3.amazonaws.com/bkt/p'), { bucket: 'bkt', prefix: 'p' });
  assert.throws(() => parseDestination('https://example.com/x'), CaptureConfigError);
  assert.throws(() => parseDestination('s3://Bad_Bucket/x'), CaptureConfigError);
  assert.deepEqual(captureSummary({ ...CONFIG, InitialSamplingPercentage: 30 }), {
    EnableCapture: true,
    CaptureStatus: 'Started',
    CurrentSamplingPercentage: 30,
    DestinationS3Uri: 's3://captures/monitor/',
    KmsKeyId: '',
  });
  assert.equal(captureSummary({ ...CONFIG, EnableCapture: false })['CaptureStatus'], 'Stopped');
});

test('file keys: <prefix>/<endpoint>/<variant>/yyyy/mm/dd/hh/<MM>-<SS>-<mmm>-<uuid>.jsonl in UTC', () => {
  const at = Date.UTC(2026, 0, 2, 3, 4, 5, 67);
  assert.equal(captureFileKey('monitor', 'ep', 'AllTraffic', at, 'u'), 'monitor/ep/AllTraffic/2026/01/02/03/04-05-067-u.jsonl');
  assert.equal(captureFileKey('', 'ep', 'Blue', at, 'u'), 'ep/Blue/2026/01/02/03/04-05-067-u.jsonl');
  assert.match(captureFileKey('p', 'e', 'v', at), /^p\/e\/v\/2026\/01\/02\/03\/04-05-067-[0-9a-f-]{36}\.jsonl$/);
});

async function withStore(fn: (s3: S3Store) => Promise<void>): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'mlops-sfn-capture-'));
  try {
    const s3 = new S3Store(dir);
    await s3.createBucket({ Bucket: 'captures' });
    await fn(s3);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function files(s3: S3Store): Promise<Map<string, string[]>> {
  const out = new Map<string, string[]>();
  const list = await s3.listObjectsV2({ Bucket: 'captures' });
  for (const o of list.Contents ?? []) {
    const body = (await s3.getObject({ Bucket: 'captures', Key: o.Key! })).Body.toString('utf8');
    assert.ok(body.endsWith('\n'));
    out.set(o.Key!, body.slice(0, -1).split('\n'));
  }
  return out;
}

test('a file takes records for rollMs from its first one and never past its hour; flush writes, close writes the rest', { timeout: 30_000 }, async () => {
  await withStore(async (s3) => {
    const t0 = Date.UTC(2026, 11, 8, 1, 58, 30, 0);
    let now = t0 + 90_000;
    const w = new CaptureWriter({ s3, rollMs: 60_000, flushMs: 60_000, now: () => now });
    const s = captureSettings(CONFIG);
    for (const dt of [0, 10_000, 59_999]) w.add('ep', 'AllTraffic', s, exchange({ at: t0 + dt }));
    w.add('ep', 'AllTraffic', s, exchange({ at: t0 + 60_000 })); // 60 s after the first: a new file
    w.add('ep', 'AllTraffic', s, exchange({ at: t0 + 90_000 })); // 02:00:00: a new hour, a new file
    w.add('ep', 'Blue', s, exchange({ at: t0 })); // another variant: its own file
    await w.flush();
    const got = await files(s3);
    const summary = [...got].map(([k, lines]) => [k.replace(/-[0-9a-f-]{36}\.jsonl$/, ''), lines.length]).sort();
    assert.deepEqual(summary, [
      ['monitor/ep/AllTraffic/2026/12/08/01/58-30-000', 3],
      ['monitor/ep/AllTraffic/2026/12/08/01/59-30-000', 1],
      ['monitor/ep/AllTraffic/2026/12/08/02/00-00-000', 1],
      ['monitor/ep/Blue/2026/12/08/01/58-30-000', 1],
    ]);
    // The open file keeps growing in place until it rolls.
    now = t0 + 95_000;
    w.add('ep', 'AllTraffic', s, exchange({ at: t0 + 95_000 }));
    await w.close();
    const after = await files(s3);
    assert.equal(after.size, 4);
    assert.equal([...after].find(([k]) => k.includes('/02/00-00-000'))![1].length, 2);
    assert.equal(w.add('ep', 'AllTraffic', s, exchange()), false, 'nothing is captured after close');
  });
});

test('sampling keeps InitialSamplingPercentage of the requests; EnableCapture false keeps none', { timeout: 30_000 }, async () => {
  await withStore(async (s3) => {
    let i = 0;
    // A fixed sequence 0.00, 0.01, ... 0.99: exactly `percentage` of every 100 requests are kept.
    const w = new CaptureWriter({ s3, random: () => (i++ % 100) / 100 });
    const kept = (config: object) => Array.from({ length: 200 }, () => w.add('ep', 'AllTraffic', captureSettings(config as never), exchange())).filter(Boolean).length;
    assert.equal(kept({ ...CONFIG, InitialSamplingPercentage: 30 }), 60);
    assert.equal(kept({ ...CONFIG, InitialSamplingPercentage: 0 }), 0);
    assert.equal(kept({ ...CONFIG, InitialSamplingPercentage: 100 }), 200);
    assert.equal(kept({ ...CONFIG, EnableCapture: false }), 0);
    await w.close();
    assert.equal([...(await files(s3)).values()].flat().length, 260);
  });
});

test('a destination bucket that does not exist is reported once, and requests are not affected', { timeout: 30_000 }, async () => {
  await withStore(async (s3) => {
    const errors: string[] = [];
    const w = new CaptureWriter({ s3, onError: (uri, e) => errors.push(`${uri}: ${e.name}`) });
    assert.equal(w.add('ep', 'AllTraffic', captureSettings({ ...CONFIG, DestinationS3Uri: 's3://no-such-bucket/p' }), exchange()), true);
    await w.close();
    assert.equal(errors.length, 1);
    assert.match(errors[0]!, /^s3:\/\/no-such-bucket\/p\/ep\/AllTraffic\/2026\/12\/08\/01\/02-03-456-[0-9a-f-]{36}\.jsonl: NoSuchBucket$/);
  });
});
