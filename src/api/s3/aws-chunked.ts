/**
 * The `aws-chunked` content encoding that AWS SDKs and the AWS CLI use to stream an upload whose
 * checksum is sent after the bytes: each chunk is `<hex size>[;chunk-signature=<sig>]\r\n<bytes>\r\n`,
 * a zero-size chunk ends the data, then trailing headers (`x-amz-checksum-crc32:<b64>`, and for
 * signed streams `x-amz-trailer-signature:<sig>`) and an empty line. Signatures are not checked
 * (the local API accepts any credentials), but the framing is, so a truncated or malformed stream
 * fails the request instead of storing a damaged object.
 */
import { S3Error } from '../../emulators/s3/index.js';

/** A chunk header or trailer line longer than this is not a well-formed stream. */
const MAX_LINE = 8 * 1024;
/** S3 accepts chunks of up to this size; a larger declared size means a corrupt stream. */
const MAX_CHUNK = 64 * 1024 * 1024;

export function isAwsChunked(headers: Record<string, string | string[] | undefined>): boolean {
  const encoding = String(headers['content-encoding'] ?? '').toLowerCase();
  const sha = String(headers['x-amz-content-sha256'] ?? '');
  return encoding.split(',').some((e) => e.trim() === 'aws-chunked') || sha.startsWith('STREAMING-');
}

function malformed(detail: string): S3Error {
  return new S3Error('IncompleteBody', `The request body is not a well-formed aws-chunked stream: ${detail}.`, 400);
}

/**
 * Decodes an aws-chunked body, yielding the payload's bytes as they arrive; the trailing headers
 * are put into `trailers` (lower-case names) before the generator returns.
 */
export async function* decodeAwsChunked(
  body: AsyncIterable<Buffer>,
  trailers: Map<string, string>,
): AsyncGenerator<Buffer> {
  let buf: Buffer = Buffer.alloc(0);
  const it = body[Symbol.asyncIterator]();
  let ended = false;

  async function more(): Promise<boolean> {
    if (ended) return false;
    const next = await it.next();
    if (next.done) {
      ended = true;
      return false;
    }
    buf = buf.length === 0 ? next.value : Buffer.concat([buf, next.value]);
    return true;
  }

  async function line(): Promise<string> {
    for (;;) {
      const at = buf.indexOf('\r\n');
      if (at >= 0) {
        const text = buf.subarray(0, at).toString('latin1');
        buf = buf.subarray(at + 2);
        return text;
      }
      if (buf.length > MAX_LINE) throw malformed('a chunk header is too long');
      if (!(await more())) throw malformed('the stream ended inside a chunk header');
    }
  }

  for (;;) {
    const header = await line();
    const sizeText = header.split(';', 1)[0].trim();
    if (!/^[0-9a-fA-F]{1,16}$/.test(sizeText)) throw malformed(`"${header.slice(0, 40)}" is not a chunk size`);
    let remaining = parseInt(sizeText, 16);
    if (remaining > MAX_CHUNK) throw malformed('a chunk is larger than S3 accepts');
    if (remaining === 0) break;
    while (remaining > 0) {
      if (buf.length === 0 && !(await more())) throw malformed('the stream ended inside a chunk');
      const take = Math.min(remaining, buf.length);
      const piece = buf.subarray(0, take);
      buf = buf.subarray(take);
      remaining -= take;
      yield piece;
    }
    while (buf.length < 2) if (!(await more())) throw malformed('a chunk does not end with CRLF');
    if (buf[0] !== 0x0d || buf[1] !== 0x0a) throw malformed('a chunk does not end with CRLF');
    buf = buf.subarray(2);
  }
  // Trailing headers up to the empty line; a stream that simply ends after the last chunk is
  // accepted too (some clients omit the final CRLF when there are no trailers).
  for (;;) {
    if (buf.length === 0 && !(await more())) break;
    const text = await line();
    if (text === '') break;
    const colon = text.indexOf(':');
    if (colon <= 0) throw malformed(`"${text.slice(0, 40)}" is not a trailing header`);
    trailers.set(text.slice(0, colon).trim().toLowerCase(), text.slice(colon + 1).trim());
  }
  // Drain anything after the stream (there should be nothing) so the connection stays usable.
  while (await more()) buf = Buffer.alloc(0);
}
