/**
 * SNS over the AWS Query protocol: `POST /` with a form body (`Action=Publish&TopicArn=...`), signed
 * for the `sns` service, answered in SNS's XML (`<PublishResponse>...`, errors as `<ErrorResponse>`),
 * over the topics the `sns:publish` Task integration publishes to: CreateTopic, ListTopics,
 * GetTopicAttributes, DeleteTopic, Publish. Nothing is delivered (no subscriptions); the messages are
 * kept per topic (`mlops-sfn sns messages <topic>`).
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { SnsError, type MessageAttribute, type PublishInput, type SnsService } from '../emulators/sns/index.js';
import { send, signedService } from './http-io.js';

const XMLNS = 'http://sns.amazonaws.com/doc/2010-03-31/';
export const SNS_BODY_LIMIT = 1024 * 1024;

/** A request signed for SNS (SigV4's credential scope names the service). */
export function isSnsRequest(req: IncomingMessage): boolean {
  return req.method === 'POST' && signedService(req) === 'sns';
}

function escapeXml(s: string): string {
  return s.replace(/[<>&'"\r]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', "'": '&apos;', '"': '&quot;', '\r': '&#13;' })[c]!);
}

/** `<Action>Response>` with its result members, pretty-printed as SNS does. */
function xmlAnswer(action: string, result: string, requestId: string): string {
  return (
    `<${action}Response xmlns="${XMLNS}">\n` +
    (result ? `  <${action}Result>\n${result}  </${action}Result>\n` : '') +
    `  <ResponseMetadata>\n    <RequestId>${requestId}</RequestId>\n  </ResponseMetadata>\n</${action}Response>\n`
  );
}

function member(name: string, value: string, indent = '    '): string {
  return `${indent}<${name}>${escapeXml(value)}</${name}>\n`;
}

/** `Prefix.entry.N.key/value` (or `.Name`/`.Value.*`) members of a query map. */
function queryMap(form: URLSearchParams, prefix: string): Map<string, Map<string, string>> {
  const out = new Map<string, Map<string, string>>();
  for (const [k, v] of form) {
    const m = new RegExp(`^${prefix}\\.entry\\.(\\d+)\\.(.+)$`).exec(k);
    if (!m) continue;
    const e = out.get(m[1]!) ?? new Map<string, string>();
    e.set(m[2]!, v);
    out.set(m[1]!, e);
  }
  return out;
}

function get(form: URLSearchParams, k: string): string | undefined {
  return form.get(k) ?? undefined;
}

function run(sns: SnsService, action: string, form: URLSearchParams): string {
  switch (action) {
    case 'CreateTopic': {
      const attributes: Record<string, string> = {};
      for (const e of queryMap(form, 'Attributes').values()) if (e.get('key') !== undefined) attributes[e.get('key')!] = e.get('value') ?? '';
      return member('TopicArn', sns.createTopic(get(form, 'Name'), attributes).TopicArn);
    }
    case 'ListTopics': {
      const out = sns.listTopics(get(form, 'NextToken'));
      const topics = out.Topics.map((t) => `      <member>\n        <TopicArn>${escapeXml(t.TopicArn)}</TopicArn>\n      </member>\n`).join('');
      return `    <Topics>\n${topics}    </Topics>\n` + (out.NextToken ? member('NextToken', out.NextToken) : '');
    }
    case 'GetTopicAttributes': {
      const attrs = Object.entries(sns.getTopicAttributes(get(form, 'TopicArn')).Attributes)
        .map(([k, v]) => `      <entry>\n        <key>${escapeXml(k)}</key>\n        <value>${escapeXml(v)}</value>\n      </entry>\n`)
        .join('');
      return `    <Attributes>\n${attrs}    </Attributes>\n`;
    }
    case 'DeleteTopic':
      sns.deleteTopic(get(form, 'TopicArn'));
      return '';
    case 'Publish': {
      const attributes: Record<string, MessageAttribute> = {};
      for (const e of queryMap(form, 'MessageAttributes').values()) {
        const name = e.get('Name');
        if (name === undefined) continue;
        attributes[name] = {
          DataType: e.get('Value.DataType') ?? '',
          ...(e.get('Value.StringValue') !== undefined ? { StringValue: e.get('Value.StringValue')! } : {}),
          ...(e.get('Value.BinaryValue') !== undefined ? { BinaryValue: e.get('Value.BinaryValue')! } : {}),
        };
      }
      const input: Record<string, unknown> = {};
      for (const k of ['TopicArn', 'TargetArn', 'PhoneNumber', 'Message', 'Subject', 'MessageStructure', 'MessageGroupId', 'MessageDeduplicationId']) {
        const v = get(form, k);
        if (v !== undefined) input[k] = v;
      }
      if (Object.keys(attributes).length) input['MessageAttributes'] = attributes;
      const out = sns.publish(input as PublishInput);
      return member('MessageId', out.MessageId) + (out.SequenceNumber ? member('SequenceNumber', out.SequenceNumber) : '');
    }
  }
  throw new SnsError('InvalidAction', `The action ${action} is not valid for this web service.`);
}

export function handleSns(sns: SnsService, body: Buffer, res: ServerResponse): void {
  const form = new URLSearchParams(body.toString('utf8'));
  const action = form.get('Action') ?? '';
  const requestId = randomUUID();
  try {
    const result = run(sns, action, form);
    send(res, 200, { 'Content-Type': 'text/xml', 'x-amzn-RequestId': requestId }, xmlAnswer(action, result, requestId));
  } catch (e) {
    if (!(e instanceof SnsError)) throw e;
    const xml =
      `<ErrorResponse xmlns="${XMLNS}">\n  <Error>\n    <Type>Sender</Type>\n    <Code>${e.code}</Code>\n    <Message>${escapeXml(e.message)}</Message>\n  </Error>\n` +
      `  <RequestId>${requestId}</RequestId>\n</ErrorResponse>\n`;
    send(res, e.statusCode, { 'Content-Type': 'text/xml', 'x-amzn-RequestId': requestId }, xml);
  }
}
