/**
 * The local S3 through S3's own REST API on the page's origin (the calls `aws s3` makes), read
 * with the browser's XML parser. Requests carry `x-amz-content-sha256: UNSIGNED-PAYLOAD`, which
 * marks them as S3's for the local API (an unsigned `GET /` would be this page).
 */
import { ApiError } from './aws.js';

const S3_HEADERS = { 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD' };

export interface S3Listing {
  prefixes: string[];
  objects: { key: string; size: number; modified: number }[];
  nextToken?: string;
}

/** A key as a URL path: each segment percent-encoded, the slashes kept. */
export function objectPath(bucket: string, key: string): string {
  return `/${encodeURIComponent(bucket)}/${key.split('/').map(encodeURIComponent).join('/')}`;
}

/** The link that downloads an object (GetObject, saved as an attachment under its base name). */
export function downloadHref(bucket: string, key: string): string {
  const base = key.split('/').pop() || 'object';
  return `${objectPath(bucket, key)}?response-content-disposition=${encodeURIComponent(`attachment; filename*=UTF-8''${encodeURIComponent(base)}`)}`;
}

async function s3Xml(path: string): Promise<Document> {
  const r = await fetch(path, { headers: S3_HEADERS });
  const text = await r.text();
  const doc = new DOMParser().parseFromString(text, 'application/xml');
  if (!r.ok) throw new ApiError(r.status, field(doc.documentElement, 'Code') || 'Error', field(doc.documentElement, 'Message') || r.statusText);
  return doc;
}

function field(el: Element | null, name: string): string {
  const child = el ? Array.from(el.children).find((c) => c.localName === name) : undefined;
  return child?.textContent ?? '';
}

function children(el: Element, name: string): Element[] {
  return Array.from(el.children).filter((c) => c.localName === name);
}

/** ListBuckets. */
export async function listBuckets(): Promise<{ name: string; created: number }[]> {
  const doc = await s3Xml('/');
  const buckets = children(doc.documentElement, 'Buckets')[0];
  return buckets ? children(buckets, 'Bucket').map((b) => ({ name: field(b, 'Name'), created: Date.parse(field(b, 'CreationDate')) })) : [];
}

/** One level of a bucket under a prefix (ListObjectsV2 with Delimiter "/"), a page at a time. */
export async function listLevel(bucket: string, prefix: string, token: string | undefined): Promise<S3Listing> {
  const q = new URLSearchParams({ 'list-type': '2', delimiter: '/', prefix, 'max-keys': '500' });
  if (token) q.set('continuation-token', token);
  const root = (await s3Xml(`/${encodeURIComponent(bucket)}?${q.toString()}`)).documentElement;
  const next = field(root, 'NextContinuationToken');
  return {
    prefixes: children(root, 'CommonPrefixes').map((p) => field(p, 'Prefix')),
    objects: children(root, 'Contents').map((c) => ({ key: field(c, 'Key'), size: Number(field(c, 'Size')), modified: Date.parse(field(c, 'LastModified')) })),
    ...(next ? { nextToken: next } : {}),
  };
}

export const PREVIEW_BYTES = 64 * 1024;

/** The start of an object as text (a ranged GetObject), or `binary` when it is not UTF-8 text. */
export async function previewObject(bucket: string, key: string): Promise<{ text: string; truncated: boolean; binary: boolean; size: number }> {
  const r = await fetch(objectPath(bucket, key), { headers: { ...S3_HEADERS, Range: `bytes=0-${PREVIEW_BYTES - 1}` } });
  if (r.status === 416) return { text: '', truncated: false, binary: false, size: 0 }; // an empty object has no first byte
  if (!r.ok) {
    const doc = new DOMParser().parseFromString(await r.text(), 'application/xml');
    throw new ApiError(r.status, field(doc.documentElement, 'Code') || 'Error', field(doc.documentElement, 'Message') || r.statusText);
  }
  const bytes = new Uint8Array(await r.arrayBuffer());
  const total = /\/(\d+)$/.exec(r.headers.get('content-range') ?? '');
  const size = total ? Number(total[1]) : bytes.length;
  const truncated = size > bytes.length;
  if (bytes.includes(0)) return { text: '', truncated, binary: true, size };
  // A cut at the preview's end may split a character: decode leniently there, strictly elsewhere.
  try {
    const text = new TextDecoder('utf-8', { fatal: true }).decode(bytes, { stream: truncated });
    return { text, truncated, binary: false, size };
  } catch {
    return { text: '', truncated, binary: true, size };
  }
}
