/**
 * SNS Publish as a Task against the local SNS: the optimized integration
 * (`arn:aws:states:::sns:publish`, also `.waitForTaskToken`), whose result is `{MessageId}` with the
 * SDK's HTTP metadata and whose errors are `SNS.<Exception>`; and the AWS SDK integration
 * (`arn:aws:states:::aws-sdk:sns:publish`: `{MessageId}`, errors `Sns.<Exception>`). A Message given
 * as JSON is sent as its JSON text, as Step Functions does. The topic must exist (AWS never creates
 * one on Publish): create it through the local API's CreateTopic or `mlops-sfn sns create-topic`.
 */
import { randomUUID } from 'node:crypto';
import { isJsonObject, type Json, type JsonObject } from '../core/json.js';
import { StatesError } from '../asl/errors.js';
import type { TaskRequest } from '../asl/task-invoker.js';
import { SnsError, type MessageAttribute, type SnsService } from '../emulators/sns/index.js';
import { parametersRejected } from './aws-sdk-output.js';
import type { Integration } from './integration.js';
import type { ParsedResource } from './resource-arn.js';
import { httpDate, javaV1Cause, sdkHttpMetadata } from './sdk-http-metadata.js';
import { snsTaskError } from '../core/error-catalogue.js';

const MEMBERS = ['TopicArn', 'TargetArn', 'PhoneNumber', 'Message', 'Subject', 'MessageStructure', 'MessageAttributes', 'MessageGroupId', 'MessageDeduplicationId'];

export class SnsIntegration implements Integration {
  constructor(
    private readonly sns: SnsService,
    private readonly now: () => number = Date.now,
  ) {}

  supports(r: ParsedResource): boolean {
    if (r.action !== 'publish') return false;
    return (r.service === 'sns' && (r.pattern === 'request-response' || r.pattern === 'waitForTaskToken')) || (r.service === 'aws-sdk:sns' && r.pattern !== 'sync' && r.pattern !== 'sync:2');
  }

  async invoke(r: ParsedResource, req: TaskRequest): Promise<Json> {
    const optimized = r.service === 'sns';
    const p = req.parameters;
    if (!isJsonObject(p)) throw parametersRejected(p, 'The Parameters must be a JSON object');
    for (const k of Object.keys(p)) if (!MEMBERS.includes(k)) throw parametersRejected(p, `The field "${k}" is not supported by Step Functions`);
    const text = (k: string): string | undefined => {
      const v = p[k];
      if (v === undefined || v === null) return undefined;
      if (typeof v === 'string') return v;
      if (k === 'Message') return JSON.stringify(v);
      throw parametersRejected(p, `The value for the field '${k}' must be a STRING`);
    };
    const attributes = p['MessageAttributes'];
    if (attributes !== undefined && !isJsonObject(attributes)) throw parametersRejected(p, "The value for the field 'MessageAttributes' must be an OBJECT");
    const requestId = randomUUID();
    let out: { MessageId: string; SequenceNumber?: string };
    try {
      out = this.sns.publish({
        ...opt('TopicArn', text('TopicArn')),
        ...opt('TargetArn', text('TargetArn')),
        ...opt('PhoneNumber', text('PhoneNumber')),
        ...opt('Message', text('Message')),
        ...opt('Subject', text('Subject')),
        ...opt('MessageStructure', text('MessageStructure')),
        ...opt('MessageGroupId', text('MessageGroupId')),
        ...opt('MessageDeduplicationId', text('MessageDeduplicationId')),
        ...(attributes ? { MessageAttributes: attributes as unknown as Record<string, MessageAttribute> } : {}),
      });
    } catch (e) {
      if (!(e instanceof SnsError)) throw e;
      if (optimized) throw new StatesError(snsTaskError(e.code, true), javaV1Cause(e.message, 'AmazonSNS', e.statusCode, e.code, requestId));
      throw new StatesError(snsTaskError(e.code, false), `${e.message} (Service: Sns, Status Code: ${e.statusCode}, Request ID: ${requestId})`);
    }
    if (!optimized) return out as unknown as JsonObject;
    const body = publishResponseXml(out.MessageId, requestId);
    return {
      ...out,
      ...sdkHttpMetadata(
        [
          ['x-amzn-RequestId', requestId],
          ['Content-Length', String(Buffer.byteLength(body))],
          ['Date', httpDate(this.now())],
          ['Content-Type', 'text/xml'],
        ],
        requestId,
      ),
    };
  }
}

function opt<K extends string>(k: K, v: string | undefined): { [P in K]?: string } {
  return (v === undefined ? {} : { [k]: v }) as { [P in K]?: string };
}

/** SNS's Publish answer, byte for byte as SNS writes it (its length is the recorded Content-Length). */
export function publishResponseXml(messageId: string, requestId: string): string {
  return (
    '<PublishResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/">\n' +
    '  <PublishResult>\n' +
    `    <MessageId>${messageId}</MessageId>\n` +
    '  </PublishResult>\n' +
    '  <ResponseMetadata>\n' +
    `    <RequestId>${requestId}</RequestId>\n` +
    '  </ResponseMetadata>\n' +
    '</PublishResponse>\n'
  );
}
