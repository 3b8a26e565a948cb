/**
 * Range and conditional requests as S3 evaluates them (RFC 9110 with S3's precedence): If-Match
 * and If-Unmodified-Since fail with 412, If-None-Match and If-Modified-Since answer 304 for reads;
 * when If-Match holds, a failing If-Unmodified-Since is ignored, and when If-None-Match fails,
 * If-Modified-Since is ignored. An unsatisfiable range is 416 InvalidRange; a Range header S3
 * cannot parse is ignored and the whole object is returned.
 */
import { S3Error, type ByteRange, type HeadObjectOutput } from '../../emulators/s3/index.js';
import { headerOf } from './context.js';

type Headers = Record<string, string | string[] | undefined>;

function etagMatches(list: string, etag: string): boolean {
  return list.split(',').some((t) => {
    const s = t.trim();
    return s === '*' || s.replace(/^W\//, '').replace(/^"|"$/g, '') === etag.replace(/^"|"$/g, '');
  });
}

function date(h: Headers, name: string): number | undefined {
  const v = headerOf(h, name);
  if (v === undefined) return undefined;
  const t = Date.parse(v);
  return Number.isNaN(t) ? undefined : t;
}

/** 'ok', or the status a conditional read answers with instead of the object. */
export function readCondition(h: Headers, head: HeadObjectOutput, prefix = ''): 'ok' | 304 | 412 {
  const ifMatch = headerOf(h, `${prefix}if-match`);
  const ifNoneMatch = headerOf(h, `${prefix}if-none-match`);
  const modified = head.LastModified.getTime();
  const unmodifiedSince = date(h, `${prefix}if-unmodified-since`);
  const modifiedSince = date(h, `${prefix}if-modified-since`);
  if (ifMatch !== undefined) {
    if (!etagMatches(ifMatch, head.ETag)) return 412;
  } else if (unmodifiedSince !== undefined && modified > unmodifiedSince) {
    return 412;
  }
  if (ifNoneMatch !== undefined) {
    if (etagMatches(ifNoneMatch, head.ETag)) return 304;
  } else if (modifiedSince !== undefined && modified <= modifiedSince) {
    return 304;
  }
  return 'ok';
}

export function preconditionFailed(condition: string): S3Error {
  return new S3Error('PreconditionFailed', 'At least one of the pre-conditions you specified did not hold', 412, { Condition: condition });
}

/** Bytes first..last for a `bytes=` range, undefined for no (or an unparsable) range. */
export function resolveRange(spec: string | undefined, size: number): ByteRange | undefined {
  if (spec === undefined) return undefined;
  const m = /^bytes=(\d*)-(\d*)$/.exec(spec.trim());
  if (!m || (m[1] === '' && m[2] === '')) return undefined;
  let first: number;
  let last: number;
  if (m[1] === '') {
    const n = Number(m[2]);
    if (n === 0) throw invalidRange(spec, size);
    first = Math.max(0, size - n);
    last = size - 1;
  } else {
    first = Number(m[1]);
    last = m[2] === '' ? size - 1 : Math.min(Number(m[2]), size - 1);
    if (m[2] !== '' && Number(m[2]) < first) return undefined;
  }
  if (first >= size) throw invalidRange(spec, size);
  return { first, last };
}

function invalidRange(spec: string, size: number): S3Error {
  return new S3Error('InvalidRange', 'The requested range is not satisfiable', 416, { RangeRequested: spec, ActualObjectSize: String(size) });
}
