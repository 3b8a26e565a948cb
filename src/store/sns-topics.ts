/**
 * The local SNS's storage: topics and every message published to them (kept, since nothing is
 * delivered locally: this is where a test or a person reads what a state machine sent).
 */
import type Database from 'better-sqlite3';

export interface SnsTopicRow {
  arn: string;
  name: string;
  /** Attributes as given at CreateTopic (JSON object text). */
  attributes: string;
  createdAt: number;
}

export interface SnsMessageRow {
  seq: number;
  topicArn: string;
  messageId: string;
  subject?: string;
  message: string;
  /** MessageAttributes as given (JSON object text). */
  attributes?: string;
  publishedAt: number;
}

interface RawMessage {
  seq: number;
  topic_arn: string;
  message_id: string;
  subject: string | null;
  message: string;
  attributes: string | null;
  published_at: number;
}

export class SnsTopics {
  constructor(private readonly db: Database.Database) {}

  /** Inserts the topic unless it exists; answers the stored one either way. */
  ensureTopic(arn: string, name: string, attributes: string, createdAt: number): SnsTopicRow {
    this.db.prepare('INSERT OR IGNORE INTO sns_topics (arn, name, attributes, created_at) VALUES (?, ?, ?, ?)').run(arn, name, attributes, createdAt);
    return this.getTopic(arn)!;
  }

  getTopic(arn: string): SnsTopicRow | undefined {
    const r = this.db.prepare('SELECT arn, name, attributes, created_at FROM sns_topics WHERE arn = ?').get(arn) as { arn: string; name: string; attributes: string; created_at: number } | undefined;
    return r && { arn: r.arn, name: r.name, attributes: r.attributes, createdAt: r.created_at };
  }

  listTopics(): SnsTopicRow[] {
    return (this.db.prepare('SELECT arn, name, attributes, created_at FROM sns_topics ORDER BY arn').all() as { arn: string; name: string; attributes: string; created_at: number }[]).map((r) => ({
      arn: r.arn,
      name: r.name,
      attributes: r.attributes,
      createdAt: r.created_at,
    }));
  }

  /** Deletes the topic; its messages stay readable until the topic name is used again. */
  deleteTopic(arn: string): void {
    this.db.transaction(() => {
      this.db.prepare('DELETE FROM sns_topics WHERE arn = ?').run(arn);
      this.db.prepare('DELETE FROM sns_messages WHERE topic_arn = ?').run(arn);
    })();
  }

  /** Keeps a published message; answers its sequence number. */
  addMessage(m: Omit<SnsMessageRow, 'seq'>): number {
    const r = this.db
      .prepare('INSERT INTO sns_messages (topic_arn, message_id, subject, message, attributes, published_at) VALUES (?, ?, ?, ?, ?, ?)')
      .run(m.topicArn, m.messageId, m.subject ?? null, m.message, m.attributes ?? null, m.publishedAt);
    return Number(r.lastInsertRowid);
  }

  /** A topic's messages, oldest first. */
  messages(topicArn: string, limit = 1000): SnsMessageRow[] {
    const rows = this.db.prepare('SELECT * FROM sns_messages WHERE topic_arn = ? ORDER BY seq LIMIT ?').all(topicArn, limit) as RawMessage[];
    return rows.map((r) => ({
      seq: r.seq,
      topicArn: r.topic_arn,
      messageId: r.message_id,
      ...(r.subject !== null ? { subject: r.subject } : {}),
      message: r.message,
      ...(r.attributes !== null ? { attributes: r.attributes } : {}),
      publishedAt: r.published_at,
    }));
  }
}
