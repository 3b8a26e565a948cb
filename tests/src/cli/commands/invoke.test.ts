import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import { Command } from 'commander';
import { UserError } from '../../../../src/core/errors.js';
import { createHosting, type LocalModelServer } from '../../../../src/emulators/sagemaker/hosting/index.js';
import { fixtures, testHome, type TestHome } from '../../../support/hosting.js';
import { invokeCommand, registerInvokeCommand } from '../../../../src/cli/commands/invoke.js';

function capture(): { stdout: PassThrough; text: () => string } {
  const stdout = new PassThrough();
  const chunks: Buffer[] = [];
  stdout.on('data', (c: Buffer) => chunks.push(c));
  return { stdout, text: () => Buffer.concat(chunks).toString() };
}

describe('mlops-sfn invoke', { timeout: 120_000 }, () => {
  let t: TestHome;
  let server: LocalModelServer;
  const resolve = async (name: string): Promise<string> => {
    if (name !== 'census') throw new UserError(`Could not find endpoint "${name}".`);
    return server.url;
  };

  before(async () => {
    t = await testHome();
    const model = await t.put('model/model.tar.gz', fixtures().file('model.tar.gz'));
    // Without bubblewrap, so this path (SAGEMAKER_BASE_DIR, a process group) is exercised too.
    server = await createHosting({ sandbox: 'none' }).startServer({ name: 'm', image: 'sagemaker-scikit-learn:1.2-1-cpu-py3', modelDataUrl: model, environment: {} }, t.hostingContext('cli'));
  });
  after(async () => {
    await server.stop();
    t.cleanup();
  });

  it('prints the response body exactly as the model answered', async () => {
    const body = join(t.home, 'rows.csv');
    writeFileSync(body, '1,2,0,0\n-1,-2,0,0\n');
    const out = capture();
    const code = await invokeCommand('census', { body, contentType: 'text/csv', accept: 'text/csv' }, resolve, { stdin: Readable.from([]), stdout: out.stdout });
    assert.equal(code, 0);
    assert.equal(out.text(), '1\n0\n');
  });

  it('reads the body from standard input with --body -', async () => {
    const out = capture();
    await invokeCommand('census', { body: '-', contentType: 'application/json' }, resolve, { stdin: Readable.from([Buffer.from('[[1, 2, 0, 0]]')]), stdout: out.stdout });
    assert.equal(out.text(), '[1]');
  });

  it("reports a model error with SageMaker runtime's ModelError message and exit code 1", async () => {
    const out = capture();
    await assert.rejects(
      invokeCommand('census', { body: '-', contentType: 'text/csv' }, resolve, { stdin: Readable.from([Buffer.from('1,2,0,0')]), stdout: out.stdout }),
      (e: unknown) => {
        assert.ok(e instanceof UserError);
        assert.equal(e.exitCode, 1);
        assert.match(e.message, /^An error occurred \(ModelError\) when calling the InvokeEndpoint operation: Received server error \(500\) from primary with message "<!DOCTYPE HTML/);
        assert.match(e.message, /logEventViewer:group=\/aws\/sagemaker\/Endpoints\/census in account 111111111111 for more information\.$/);
        return true;
      },
    );
    assert.equal(out.text(), '');
  });

  it('fails with a one-line error for an unknown endpoint or a missing body file', async () => {
    const io = { stdin: Readable.from([]), stdout: capture().stdout };
    await assert.rejects(invokeCommand('nope', { body: '-' }, resolve, io), /Could not find endpoint "nope"/);
    await assert.rejects(invokeCommand('census', { body: join(t.home, 'missing.csv') }, resolve, io), (e: unknown) => e instanceof UserError && e.exitCode === 2 && /no such file/.test(e.message));
  });

  it('registers the command with its options', () => {
    const program = new Command('mlops-sfn');
    registerInvokeCommand(program, async () => 0);
    const cmd = program.commands.find((c) => c.name() === 'invoke');
    assert.ok(cmd);
    assert.deepEqual(cmd.options.map((o) => o.long), ['--body', '--content-type', '--accept', '--custom-attributes', '--inference-id']);
  });
});
