/**
 * `mlops-sfn sns`: the home's local SNS topics and what was published to them. Nothing is delivered
 * locally (subscriptions are not emulated), so this is where a person or a test reads the messages a
 * state machine's `sns:publish` tasks sent. Topics can also be created here (Publish needs one, as on
 * AWS), or through the local API's CreateTopic (`aws sns create-topic` against `serve`).
 */
import type { Command } from 'commander';
import { LOCAL_LOCATION } from '../../core/arn.js';
import { UserError } from '../../core/errors.js';
import { SnsError, SnsService } from '../../emulators/sns/index.js';
import { Store } from '../../store/index.js';

function withSns<T>(home: string, fn: (sns: SnsService) => T): T {
  const store = Store.open(home);
  try {
    return fn(new SnsService(store, LOCAL_LOCATION));
  } catch (e) {
    if (e instanceof SnsError) throw new UserError(e.code === 'NotFound' ? `${e.message} in ${home} (\`mlops-sfn sns topics\` lists them)` : e.message);
    throw e;
  } finally {
    store.close();
  }
}

export function registerSnsCommand(program: Command, getHome: () => string): void {
  const sns = program.command('sns').description("The local SNS topics and the messages published to them (state machines' sns:publish tasks)");
  sns
    .command('topics')
    .description('List the topics with how many messages each holds')
    .option('--json', 'print the topics as JSON')
    .action((opts: { json?: boolean }) => {
      const rows = withSns(getHome(), (s) => s.topics().map((t) => ({ topicArn: t.arn, messages: s.messages(t.arn, 1_000_000).length })));
      if (opts.json) process.stdout.write(JSON.stringify(rows, null, 2) + '\n');
      else process.stdout.write((rows.length ? rows.map((r) => `${r.topicArn}  ${r.messages} message(s)`).join('\n') : 'no topics (create one with `mlops-sfn sns create-topic <name>`)') + '\n');
    });
  sns
    .command('create-topic')
    .description('Create a topic (as SNS CreateTopic; an existing one is kept)')
    .argument('<name>', 'the topic name (a FIFO topic ends with .fifo)')
    .action((name: string) => {
      const out = withSns(getHome(), (s) => s.createTopic(name, name.endsWith('.fifo') ? { FifoTopic: 'true' } : {}));
      process.stdout.write(`${out.TopicArn}\n`);
    });
  sns
    .command('messages')
    .description('Print the messages published to a topic, oldest first')
    .argument('<topic>', 'the topic name or ARN')
    .option('--limit <n>', 'at most this many messages', '1000')
    .option('--json', 'print the messages as JSON (MessageId, Subject, Message, MessageAttributes, Timestamp)')
    .action((topic: string, opts: { limit: string; json?: boolean }) => {
      const limit = Number(opts.limit);
      if (!Number.isInteger(limit) || limit < 1) throw new UserError(`--limit must be a whole number of at least 1, not ${JSON.stringify(opts.limit)}`);
      const rows = withSns(getHome(), (s) => s.messages(topic, limit));
      if (opts.json) {
        const out = rows.map((m) => ({
          MessageId: m.messageId,
          ...(m.subject !== undefined ? { Subject: m.subject } : {}),
          Message: m.message,
          ...(m.attributes !== undefined ? { MessageAttributes: JSON.parse(m.attributes) as unknown } : {}),
          Timestamp: new Date(m.publishedAt).toISOString(),
        }));
        process.stdout.write(JSON.stringify(out, null, 2) + '\n');
        return;
      }
      if (rows.length === 0) {
        process.stdout.write(`no messages on ${topic}\n`);
        return;
      }
      for (const m of rows) process.stdout.write(`${new Date(m.publishedAt).toISOString()}  ${m.messageId}${m.subject !== undefined ? `  ${m.subject}` : ''}\n${m.message}\n\n`);
    });
}
