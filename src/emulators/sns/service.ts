/**
 * The local SNS: topics in the home's state database and every message published to them, kept in
 * order and listed per topic (nothing is delivered: subscriptions are not emulated). CreateTopic,
 * ListTopics, GetTopicAttributes, DeleteTopic and Publish with SNS's checks and messages; a topic
 * must exist before it is published to, as on AWS (Publish never creates one).
 */
import { randomUUID } from 'node:crypto';
import { formatArn, type AwsLocation } from '../../core/arn.js';
import type { SnsMessageRow, SnsTopicRow, Store } from '../../store/index.js';
import { AwsError } from '../../core/errors.js';
import type { SnsErrorCode } from '../../core/error-catalogue.js';

export class SnsError extends AwsError {
  constructor(
    /** SNS's error code (the SDKs' exception is `<code>Exception`, e.g. NotFound → NotFoundException). */
    readonly code: SnsErrorCode,
    message: string,
    statusCode = 400,
  ) {
    super(code, message, statusCode);
  }
}

export interface MessageAttribute {
  DataType: string;
  StringValue?: string;
  BinaryValue?: string;
}

export interface PublishInput {
  TopicArn?: string;
  TargetArn?: string;
  PhoneNumber?: string;
  Message?: string;
  Subject?: string;
  MessageStructure?: string;
  MessageAttributes?: Record<string, MessageAttribute>;
  MessageGroupId?: string;
  MessageDeduplicationId?: string;
}

const TOPIC_NAME = /^[A-Za-z0-9_-]{1,256}$/;
/** SNS's message limit: 256 KiB. */
const MAX_MESSAGE_BYTES = 262_144;

function invalid(what: string): SnsError {
  return new SnsError('InvalidParameter', `Invalid parameter: ${what}`);
}

export class SnsService {
  constructor(
    private readonly store: Store,
    private readonly location: AwsLocation,
    private readonly now: () => number = Date.now,
  ) {}

  topicArn(name: string): string {
    return formatArn(this.location, 'sns', name);
  }

  createTopic(name: string | undefined, attributes: Record<string, string> = {}): { TopicArn: string } {
    if (name === undefined || name === '') throw invalid('Topic Name');
    const fifo = name.endsWith('.fifo');
    const base = fifo ? name.slice(0, -5) : name;
    if (!TOPIC_NAME.test(base) || name.length > 256) throw invalid('Topic Name');
    if (fifo !== (attributes['FifoTopic'] === 'true')) {
      throw invalid(fifo ? 'Topic Name: A FIFO topic needs the FifoTopic attribute set to true' : 'Topic Name: Fifo Topic names must end with .fifo and must be made up of only uppercase and lowercase ASCII letters, numbers, underscores, and hyphens, and must be between 1 and 256 characters long.');
    }
    const arn = this.topicArn(name);
    const row = this.store.sns.ensureTopic(arn, name, JSON.stringify(attributes), this.now());
    // CreateTopic is idempotent, but not with different attributes.
    if (row.attributes !== JSON.stringify(attributes) && Object.keys(attributes).length > 0) {
      throw invalid('Attributes: Topic already exists with different attributes');
    }
    return { TopicArn: arn };
  }

  listTopics(nextToken?: string): { Topics: { TopicArn: string }[]; NextToken?: string } {
    const all = this.store.sns.listTopics();
    const from = nextToken === undefined ? 0 : Number.parseInt(nextToken, 10);
    if (!Number.isInteger(from) || from < 0) throw invalid('NextToken');
    const page = all.slice(from, from + 100);
    return { Topics: page.map((t) => ({ TopicArn: t.arn })), ...(from + 100 < all.length ? { NextToken: String(from + 100) } : {}) };
  }

  getTopicAttributes(arn: string | undefined): { Attributes: Record<string, string> } {
    const t = this.topic(arn);
    return {
      Attributes: {
        ...(JSON.parse(t.attributes) as Record<string, string>),
        TopicArn: t.arn,
        Owner: this.location.accountId,
        SubscriptionsConfirmed: '0',
        SubscriptionsPending: '0',
        SubscriptionsDeleted: '0',
      },
    };
  }

  deleteTopic(arn: string | undefined): Record<string, never> {
    this.checkArn(arn, 'TopicArn');
    this.store.sns.deleteTopic(arn!);
    return {};
  }

  publish(input: PublishInput): { MessageId: string; SequenceNumber?: string } {
    const targets = [input.TopicArn, input.TargetArn, input.PhoneNumber].filter((t) => t !== undefined);
    if (targets.length === 0) throw invalid('TopicArn or TargetArn Reason: no value for required parameter');
    if (targets.length > 1) throw invalid('TopicArn or TargetArn Reason: Only one of TopicArn, TargetArn or PhoneNumber may be given');
    if (input.PhoneNumber !== undefined) throw new SnsError('InvalidParameter', 'Invalid parameter: PhoneNumber Reason: the local SNS sends no SMS; publish to a topic');
    const arn = (input.TopicArn ?? input.TargetArn)!;
    const topic = this.topic(arn, input.TopicArn !== undefined ? 'TopicArn' : 'TargetArn');
    const message = input.Message;
    if (message === undefined || message === '') throw invalid('Empty message');
    if (Buffer.byteLength(message, 'utf8') > MAX_MESSAGE_BYTES) throw invalid('Message too long');
    if (input.Subject !== undefined && (input.Subject === '' || input.Subject.length > 100 || !/^[\x20-\x7e]*$/.test(input.Subject))) throw invalid('Subject');
    if (input.MessageStructure !== undefined) {
      if (input.MessageStructure !== 'json') throw invalid('MessageStructure');
      let parsed: unknown;
      try {
        parsed = JSON.parse(message);
      } catch {
        throw invalid('Message Structure - JSON message body failed to parse');
      }
      if (parsed === null || typeof parsed !== 'object' || typeof (parsed as Record<string, unknown>)['default'] !== 'string') {
        throw invalid('Message Structure - No default entry in JSON message body');
      }
    }
    for (const [name, a] of Object.entries(input.MessageAttributes ?? {})) {
      if (!a || typeof a.DataType !== 'string' || !/^(String|Number|Binary|String\.Array)(\..+)?$/.test(a.DataType)) {
        throw invalid(`The message attribute '${name}' has an invalid message attribute type, the set of supported type prefixes is Binary, Number, and String.`);
      }
      if (a.DataType.startsWith('Binary') ? a.BinaryValue === undefined : a.StringValue === undefined) {
        throw invalid(`The message attribute '${name}' must contain non-empty message attribute value for message attribute type '${a.DataType.split('.')[0]}'.`);
      }
    }
    const fifo = topic.name.endsWith('.fifo');
    if (fifo && input.MessageGroupId === undefined) throw invalid('The MessageGroupId parameter is required for FIFO topics');
    if (!fifo && input.MessageDeduplicationId !== undefined) throw invalid('MessageDeduplicationId Reason: The request includes MessageDeduplicationId parameter that is not valid for this topic type');
    const messageId = randomUUID();
    const seq = this.store.sns.addMessage({
      topicArn: topic.arn,
      messageId,
      ...(input.Subject !== undefined ? { subject: input.Subject } : {}),
      message,
      ...(input.MessageAttributes ? { attributes: JSON.stringify(input.MessageAttributes) } : {}),
      publishedAt: this.now(),
    });
    return { MessageId: messageId, ...(fifo ? { SequenceNumber: String(seq).padStart(20, '0') } : {}) };
  }

  /** What was published to a topic (by ARN or name), oldest first: the local stand-in for a subscriber. */
  messages(topic: string, limit?: number): SnsMessageRow[] {
    const arn = topic.startsWith('arn:') ? topic : this.topicArn(topic);
    this.topic(arn);
    return this.store.sns.messages(arn, limit);
  }

  topics(): SnsTopicRow[] {
    return this.store.sns.listTopics();
  }

  private checkArn(arn: string | undefined, field: string): void {
    if (arn === undefined || !/^arn:[a-z-]+:sns:[a-z0-9-]+:\d{12}:[A-Za-z0-9_.-]+$/.test(arn)) throw invalid(field);
  }

  private topic(arn: string | undefined, field = 'TopicArn'): SnsTopicRow {
    this.checkArn(arn, field);
    const t = this.store.sns.getTopic(arn!);
    if (!t) throw new SnsError('NotFound', 'Topic does not exist', 404);
    return t;
  }
}
