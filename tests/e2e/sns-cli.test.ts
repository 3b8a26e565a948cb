/**
 * `mlops-sfn sns` as a user runs it: create a topic, publish to it from `exec` (sns:publish), read
 * the messages back; mistakes are one line, exit 2.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(fileURLToPath(new URL('.', import.meta.url)), '../../..');
const cli = join(root, 'dist/src/cli/main.js');

test('sns create-topic, exec publishing to it, sns messages and topics', { timeout: 60_000 }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'mlops-sfn-sns-'));
  const mlops = (args: string[]) => spawnSync(process.execPath, [cli, '--home', join(dir, 'home'), ...args], { cwd: root, encoding: 'utf8', timeout: 30_000 });
  try {
    const created = mlops(['sns', 'create-topic', 'alerts']);
    assert.equal(created.status, 0, created.stderr);
    assert.equal(created.stdout.trim(), 'arn:aws:sns:us-east-1:111111111111:alerts');
    const def = join(dir, 'd.json');
    writeFileSync(
      def,
      JSON.stringify({
        StartAt: 'Notify',
        States: { Notify: { Type: 'Task', Resource: 'arn:aws:states:::sns:publish', Parameters: { TopicArn: created.stdout.trim(), Subject: 'done', 'Message.$': '$' }, ResultSelector: { 'id.$': '$.MessageId' }, End: true } },
      }),
    );
    const input = join(dir, 'in.json');
    writeFileSync(input, '{"model": "census"}');
    const run = mlops(['exec', def, '--input', input]);
    assert.equal(run.status, 0, run.stderr);
    const { id } = JSON.parse(run.stdout) as { id: string };
    const listed = mlops(['sns', 'messages', 'alerts', '--json']);
    assert.equal(listed.status, 0, listed.stderr);
    const messages = JSON.parse(listed.stdout) as { MessageId: string; Subject: string; Message: string }[];
    assert.equal(messages.length, 1);
    assert.equal(messages[0]!.MessageId, id);
    assert.equal(messages[0]!.Subject, 'done');
    assert.deepEqual(JSON.parse(messages[0]!.Message), { model: 'census' });
    assert.match(mlops(['sns', 'messages', 'alerts']).stdout, /done\n\{"model":"census"\}/);
    assert.match(mlops(['sns', 'topics']).stdout, /arn:aws:sns:us-east-1:111111111111:alerts {2}1 message\(s\)/);

    const missing = mlops(['sns', 'messages', 'nope']);
    assert.equal(missing.status, 2);
    assert.match(missing.stderr, /Topic does not exist in .*home \(`mlops-sfn sns topics` lists them\)/);
    assert.equal(missing.stderr.trim().split('\n').length, 1);
    const bad = mlops(['sns', 'create-topic', 'bad name']);
    assert.equal(bad.status, 2);
    assert.match(bad.stderr, /Invalid parameter: Topic Name/);
    // Publishing to a topic nobody created fails as on AWS: no topic is made on the way.
    writeFileSync(def, JSON.stringify({ StartAt: 'N', States: { N: { Type: 'Task', Resource: 'arn:aws:states:::sns:publish', Parameters: { TopicArn: 'arn:aws:sns:us-east-1:111111111111:other', Message: 'm' }, End: true } } }));
    const failed = mlops(['exec', def]);
    assert.equal(failed.status, 1);
    assert.match(failed.stderr, /error: SNS\.NotFoundException/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
