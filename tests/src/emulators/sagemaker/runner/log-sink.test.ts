import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { LineSplitter, LogSink, MAX_LINE_CHARS } from '../../../../../src/emulators/sagemaker/runner/log-sink.js';

test('output is split into lines across chunks, CRLF endings and cut UTF-8 characters included', () => {
  const lines: string[] = [];
  const s = new LineSplitter((l) => lines.push(l));
  const euro = Buffer.from('€');
  s.push(Buffer.from('first li'));
  s.push(Buffer.concat([Buffer.from('ne\r\nprice '), euro.subarray(0, 1)]));
  s.push(Buffer.concat([euro.subarray(1), Buffer.from('\n\nno newline at end')]));
  s.end();
  assert.deepEqual(lines, ['first line', 'price €', '', 'no newline at end']);
});

test('a line longer than a CloudWatch event is cut into events', () => {
  const lines: string[] = [];
  const s = new LineSplitter((l) => lines.push(l));
  s.push(Buffer.from('x'.repeat(MAX_LINE_CHARS + 10) + '\n'));
  s.end();
  assert.deepEqual(
    lines.map((l) => l.length),
    [MAX_LINE_CHARS, 10],
  );
});

test('lines are appended to the log file and passed to listeners with their stream', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'smrunner-log-'));
  try {
    const file = join(dir, 'logs', 'job.log');
    const sink = await LogSink.open(file);
    const seen: string[] = [];
    sink.onLine((line, stream) => seen.push(`${stream}:${line}`));
    sink.onLine(() => {
      throw new Error('a broken listener loses nothing');
    });
    const out = sink.lines('stdout');
    const err = sink.lines('stderr');
    out.push(Buffer.from('a\nb'));
    err.push(Buffer.from('E\n'));
    out.end();
    err.end();
    await sink.close();
    assert.equal(readFileSync(file, 'utf8'), 'a\nE\nb\n');
    assert.deepEqual(seen, ['stdout:a', 'stderr:E', 'stdout:b']);
    const again = await LogSink.open(file);
    again.write('appended', 'stdout');
    await again.close();
    assert.equal(readFileSync(file, 'utf8'), 'a\nE\nb\nappended\n');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
