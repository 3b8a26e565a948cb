import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatCsvRow, parseCsvRow } from '../../../../../../src/emulators/sagemaker/hosting/transform/csv-row.js';
import { lineRanges, rawPayloads, RecordTooLargeError } from '../../../../../../src/emulators/sagemaker/hosting/transform/split-records.js';

const MB = 1024 * 1024;

describe('splitting objects into mini-batches', () => {
  it('finds lines with their endings and skips empty lines', () => {
    const data = Buffer.from('a\n\nb\r\n\r\nc');
    const r = lineRanges(data);
    assert.deepEqual(Array.from(r), [0, 2, 3, 6, 8, 9]);
  });

  it('MultiRecord packs consecutive lines up to MaxPayloadInMB, SingleRecord sends one line each', () => {
    const line = 'x'.repeat(MB / 4 - 1) + '\n';
    const data = Buffer.from(line.repeat(9));
    const multi = rawPayloads(data, 'Line', 'MultiRecord', 1);
    assert.deepEqual(multi.map((b) => b.length), [MB, MB, MB / 4]);
    assert.equal(Buffer.concat(multi).toString(), data.toString());
    const single = rawPayloads(Buffer.from('1\n2\n3'), 'Line', 'SingleRecord', 6);
    assert.deepEqual(single.map((b) => b.toString()), ['1\n', '2\n', '3']);
    const unlimited = rawPayloads(data, 'Line', 'MultiRecord', 0);
    assert.equal(unlimited.length, 1);
  });

  it('sends the whole object with SplitType None and fails records larger than the limit', () => {
    assert.equal(rawPayloads(Buffer.from('1\n2\n'), 'None', 'SingleRecord', 6).length, 1);
    assert.throws(() => rawPayloads(Buffer.alloc(MB + 1, 0x31), 'None', 'MultiRecord', 1), RecordTooLargeError);
    assert.throws(() => rawPayloads(Buffer.from('1\n' + 'y'.repeat(MB + 1) + '\n'), 'Line', 'MultiRecord', 1), /Record 2 is/);
    assert.throws(() => rawPayloads(Buffer.from('1\n\n' + 'y'.repeat(MB + 1) + '\n'), 'Line', 'MultiRecord', 1), /Record 2 is/);
  });

  it('keeps the records that empty lines separate in one payload', () => {
    for (const text of ['1\n\n2\n', '\n1\n2\n', '1\r\n\r\n2\r\n']) {
      const b = rawPayloads(Buffer.from(text), 'Line', 'MultiRecord', 6);
      assert.equal(b.length, 1);
      assert.equal(b[0].toString(), text.replace(/^\n/, '').replace('\n\n', '\n').replace('\r\n\r\n', '\r\n'));
    }
  });
});

describe('CSV records', () => {
  it('parses RFC 4180 quoting and writes quoted columns back', () => {
    assert.deepEqual(parseCsvRow('a,"b,c","say ""hi""",\r\n'), ['a', 'b,c', 'say "hi"', '']);
    assert.equal(formatCsvRow(['a', 'b,c', 'say "hi"', '', ' 1.50']), 'a,"b,c","say ""hi""",, 1.50');
  });
});
