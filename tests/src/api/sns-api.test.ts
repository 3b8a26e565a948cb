/**
 * The local SNS through the real AWS SDK v3 client (AWS Query protocol): topics, Publish, SNS's
 * errors; published messages are kept per topic.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CreateTopicCommand, DeleteTopicCommand, GetTopicAttributesCommand, ListTopicsCommand, NotFoundException, PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { apiHarness, clientConfig } from '../../support/local-api.js';

test('SNS client: CreateTopic, ListTopics, GetTopicAttributes, Publish kept per topic, DeleteTopic, and SNS errors', { timeout: 60_000 }, async () => {
  const h = await apiHarness();
  const sns = new SNSClient(clientConfig(h.api));
  try {
    const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: 'approvals', Attributes: { DisplayName: 'Approvals' } }));
    assert.equal(TopicArn, 'arn:aws:sns:us-east-1:111111111111:approvals');
    // CreateTopic is idempotent.
    assert.equal((await sns.send(new CreateTopicCommand({ Name: 'approvals', Attributes: { DisplayName: 'Approvals' } }))).TopicArn, TopicArn);
    await sns.send(new CreateTopicCommand({ Name: 'events.fifo', Attributes: { FifoTopic: 'true' } }));
    assert.deepEqual((await sns.send(new ListTopicsCommand({}))).Topics?.map((t) => t.TopicArn), [TopicArn, 'arn:aws:sns:us-east-1:111111111111:events.fifo']);
    const attrs = await sns.send(new GetTopicAttributesCommand({ TopicArn }));
    assert.equal(attrs.Attributes?.['DisplayName'], 'Approvals');
    assert.equal(attrs.Attributes?.['TopicArn'], TopicArn);

    const published = await sns.send(
      new PublishCommand({ TopicArn, Subject: 'Model census v3', Message: 'approve <me> & "you"', MessageAttributes: { stage: { DataType: 'String', StringValue: 'approval' } } }),
    );
    assert.match(published.MessageId!, /^[0-9a-f-]{36}$/);
    const fifo = await sns.send(new PublishCommand({ TopicArn: 'arn:aws:sns:us-east-1:111111111111:events.fifo', Message: 'm', MessageGroupId: 'g', MessageDeduplicationId: 'd' }));
    assert.match(fifo.SequenceNumber!, /^\d{20}$/);
    const kept = h.services.sns.messages('approvals');
    assert.equal(kept.length, 1);
    assert.equal(kept[0]!.message, 'approve <me> & "you"');
    assert.equal(kept[0]!.subject, 'Model census v3');
    assert.equal(kept[0]!.messageId, published.MessageId);
    assert.deepEqual(JSON.parse(kept[0]!.attributes!), { stage: { DataType: 'String', StringValue: 'approval' } });

    // AWS never creates a topic on Publish.
    await assert.rejects(sns.send(new PublishCommand({ TopicArn: 'arn:aws:sns:us-east-1:111111111111:missing', Message: 'm' })), (e: Error) => {
      assert.ok(e instanceof NotFoundException, e.name);
      assert.equal(e.message, 'Topic does not exist');
      return true;
    });
    const invalid = async (input: ConstructorParameters<typeof PublishCommand>[0], message: string) =>
      assert.rejects(sns.send(new PublishCommand(input)), (e: Error) => {
        assert.equal(e.name, 'InvalidParameterException');
        assert.equal(e.message, message);
        return true;
      });
    await invalid({ TopicArn, Message: '' }, 'Invalid parameter: Empty message');
    await invalid({ TopicArn, Message: 'x'.repeat(262_145) }, 'Invalid parameter: Message too long');
    await invalid({ TopicArn, Message: 'm', Subject: 'two\nlines' }, 'Invalid parameter: Subject');
    await invalid({ TopicArn, Message: '{"email": "x"}', MessageStructure: 'json' }, 'Invalid parameter: Message Structure - No default entry in JSON message body');
    await invalid({ TopicArn: 'arn:aws:sns:us-east-1:111111111111:events.fifo', Message: 'm' }, 'Invalid parameter: The MessageGroupId parameter is required for FIFO topics');
    await invalid({ TopicArn: 'not-an-arn', Message: 'm' }, 'Invalid parameter: TopicArn');
    await assert.rejects(sns.send(new CreateTopicCommand({ Name: 'bad name!' })), /Invalid parameter: Topic Name/);

    await sns.send(new DeleteTopicCommand({ TopicArn }));
    assert.deepEqual((await sns.send(new ListTopicsCommand({}))).Topics?.map((t) => t.TopicArn), ['arn:aws:sns:us-east-1:111111111111:events.fifo']);
  } finally {
    sns.destroy();
    await h.close();
  }
});
