/**
 * Shared by the local API tests: local services over a temp home with a test Lambda pair and a model
 * server double that echoes what it was sent, the Step Functions service, the API on a free port, and
 * SDK client settings for it.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Json, JsonObject } from '../../src/core/json.js';
import type { Hosting, JobOutcome, ModelServerHandle, ModelSpec } from '../../src/emulators/sagemaker/contracts.js';
import { LocalStepFunctions, type LocalStepFunctionsOptions } from '../../src/engine/step-functions/index.js';
import { openLocalServices, type LocalServices } from '../../src/engine/local-services.js';
import { LambdaFunctionError, LambdaFunctions } from '../../src/integrations/lambda.js';
import { startLocalApi, type LocalApi } from '../../src/api/local-api.js';

export const ROLE = 'arn:aws:iam::111111111111:role/test-role';

/** What an SDK client needs to talk to the local API. */
export function clientConfig(api: LocalApi) {
  return {
    endpoint: api.url,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    // StartSyncExecution's "sync-" host prefix cannot apply to an IP address endpoint.
    disableHostPrefix: true,
    maxAttempts: 1,
  };
}

/**
 * Model servers answering /invocations with a JSON echo of the request. A body of "fail" gets a
 * 500 "boom" (a model error); the custom attributes come back with ";seen" appended.
 */
export class EchoHosting implements Hosting {
  private readonly servers = new Set<Server>();

  async startServer(model: ModelSpec): Promise<ModelServerHandle> {
    const server = createServer((req, res) => {
      if (req.url === '/ping') return res.writeHead(200).end();
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        if (body === 'fail') return res.writeHead(500, { 'content-type': 'text/plain' }).end('boom');
        const headers: Record<string, string> = { 'content-type': 'application/json' };
        const custom = req.headers['x-amzn-sagemaker-custom-attributes'];
        if (typeof custom === 'string') headers['x-amzn-sagemaker-custom-attributes'] = `${custom};seen`;
        res.writeHead(200, headers).end(JSON.stringify({ model: model.name, body, contentType: req.headers['content-type'] ?? null, accept: req.headers['accept'] ?? null }));
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    this.servers.add(server);
    return {
      url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
      update: async () => {},
      stop: async () => {
        this.servers.delete(server);
        server.closeAllConnections();
        await new Promise((r) => server.close(r));
      },
    };
  }

  async runTransform(): Promise<JobOutcome> {
    return { status: 'Failed', failureReason: 'not in these tests', startTime: Date.now(), endTime: Date.now() };
  }
}

export interface ApiHarness {
  home: string;
  services: LocalServices;
  sfn: LocalStepFunctions;
  api: LocalApi;
  /** Task tokens the `park` Lambda received. */
  tokens: string[];
  /** Internal errors the API logged. */
  logged: string[];
  close(): Promise<void>;
}

export async function apiHarness(sfnOptions: LocalStepFunctionsOptions = {}): Promise<ApiHarness> {
  const home = mkdtempSync(join(tmpdir(), 'mlops-api-'));
  const lambda = new LambdaFunctions();
  const tokens: string[] = [];
  lambda.register('park', (event: Json) => {
    tokens.push(String((event as JsonObject)['token']));
    return null;
  });
  lambda.register('echo', (event: Json) => ({ got: event }));
  lambda.register('fails', () => {
    throw new LambdaFunctionError('ValueError', 'bad value', ['  File "handler.py", line 3']);
  });
  const services = openLocalServices(home, { fsync: false, lambda, hosting: new EchoHosting() });
  const sfn = new LocalStepFunctions(services, { pollMs: 20, ...sfnOptions });
  const logged: string[] = [];
  const api = await startLocalApi({ services, stepFunctions: sfn, log: (l) => logged.push(l) });
  return {
    home,
    services,
    sfn,
    api,
    tokens,
    logged,
    async close() {
      await api.close();
      await sfn.close();
      await services.close();
      rmSync(home, { recursive: true, force: true });
    },
  };
}

/** Polls until `check` returns a value (SDK calls are async). */
export async function eventually<T>(what: string, check: () => Promise<T | undefined>, ms = 5000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await check();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}
