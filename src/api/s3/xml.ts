/**
 * S3's REST-XML: response documents built from plain values, request documents (DeleteObjects,
 * CompleteMultipartUpload, CreateBucketConfiguration) parsed with fast-xml-parser. Request
 * documents with a DOCTYPE are refused, so no entity can expand (S3 refuses them too).
 */
import { XMLParser } from 'fast-xml-parser';
import { S3Error } from '../../emulators/s3/index.js';

export const S3_NAMESPACE = 'http://s3.amazonaws.com/doc/2006-03-01/';

/** An element's content: text, or child elements in order (an array value repeats the element). */
export type XmlValue = string | number | boolean | Date | undefined | XmlFields | XmlValue[];
export interface XmlFields {
  [name: string]: XmlValue;
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };

/** Escapes text; control characters that XML 1.0 cannot carry as text become character references. */
export function xmlText(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ESCAPES[c]!).replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, (c) => `&#x${c.charCodeAt(0).toString(16)};`);
}

/** S3's timestamps in XML: ISO 8601 with milliseconds. */
export function xmlDate(d: Date): string {
  return d.toISOString();
}

function render(name: string, value: XmlValue, out: string[]): void {
  if (value === undefined) return;
  if (Array.isArray(value)) {
    for (const v of value) render(name, v, out);
    return;
  }
  out.push(`<${name}>`);
  if (value instanceof Date) out.push(xmlDate(value));
  else if (typeof value === 'object') for (const [k, v] of Object.entries(value)) render(k, v, out);
  else out.push(xmlText(String(value)));
  out.push(`</${name}>`);
}

/** A whole response document, root element in S3's namespace (null: none); undefined fields are left out. */
export function xmlDocument(root: string, fields: XmlFields, namespace: string | null = S3_NAMESPACE): string {
  const out = ['<?xml version="1.0" encoding="UTF-8"?>\n', namespace ? `<${root} xmlns="${namespace}">` : `<${root}>`];
  for (const [k, v] of Object.entries(fields)) render(k, v, out);
  out.push(`</${root}>`);
  return out.join('');
}

const MALFORMED = 'The XML you provided was not well-formed or did not validate against our published schema';

const parser = new XMLParser({
  ignoreAttributes: true,
  parseTagValue: false,
  trimValues: false,
  processEntities: true,
  htmlEntities: false,
  isArray: (name) => name === 'Object' || name === 'Part',
});

/** Parses a request document and returns its root element's content, or throws MalformedXML. */
export function parseRequestXml(body: Buffer, root: string): Record<string, unknown> {
  const text = body.toString('utf8');
  if (/<!DOCTYPE|<!ENTITY/i.test(text)) throw new S3Error('MalformedXML', MALFORMED, 400);
  let doc: Record<string, unknown>;
  try {
    doc = parser.parse(text, true) as Record<string, unknown>;
  } catch {
    throw new S3Error('MalformedXML', MALFORMED, 400);
  }
  const content = doc[root];
  if (typeof content !== 'object' || content === null) throw new S3Error('MalformedXML', MALFORMED, 400);
  return content as Record<string, unknown>;
}

export function malformedXml(): S3Error {
  return new S3Error('MalformedXML', MALFORMED, 400);
}
