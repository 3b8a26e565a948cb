/**
 * The endpoint's stable address: a small HTTP server on 127.0.0.1 that forwards each request to
 * whichever Python model server is current. Keeping the address here lets `update` start a new
 * model server, switch to it and drain the old one without any client noticing.
 *
 * Only requests whose Host (and Origin, when sent) name the loopback interface are served, so a
 * web page cannot reach the endpoint through DNS rebinding.
 */
import { createServer, request, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ERROR_TYPE_HEADER, SageMakerRuntimeError } from '../runtime-errors.js';
import { MODEL_LATENCY_HEADER, TOKEN_HEADER, type BackendTarget } from './backend-http.js';

/** SageMaker runtime's own request headers, which it passes on to the serving container. */
export const SAGEMAKER_REQUEST_HEADERS = [
  'x-amzn-sagemaker-custom-attributes',
  'x-amzn-sagemaker-target-model',
  'x-amzn-sagemaker-target-variant',
  'x-amzn-sagemaker-target-container-hostname',
  'x-amzn-sagemaker-inference-id',
  'x-amzn-sagemaker-enable-explanations',
  'x-amzn-sagemaker-session-id',
] as const;

/**
 * The headers SageMaker passes to a serving container (it strips every other one), plus the body's
 * framing. "Expect: 100-continue" is answered here by Node, so it is not passed on.
 */
const FORWARDED = new Set<string>(['content-type', 'contenttype', 'accept', 'content-length', 'transfer-encoding', ...SAGEMAKER_REQUEST_HEADERS]);

// `<name>.localhost` is loopback too (RFC 6761): S3's virtual-hosted requests use it.
const LOOPBACK_HOST = /^(127\.0\.0\.1|(?:[a-z0-9-]+\.)*localhost|\[::1\])(:\d+)?$/i;
const LOOPBACK_ORIGIN = /^https?:\/\/(127\.0\.0\.1|localhost|\[::1\])(:\d+)?$/i;

export function isLoopbackRequest(headers: IncomingMessage['headers']): boolean {
  const host = headers.host;
  if (host !== undefined && !LOOPBACK_HOST.test(host)) return false;
  const origin = headers.origin;
  return origin === undefined || LOOPBACK_ORIGIN.test(origin);
}

export class FrontProxy {
  private readonly server: Server;
  private port = 0;

  constructor(
    private readonly current: () => BackendTarget,
    /** nginx's proxy_read_timeout in the container (SAGEMAKER_MODEL_SERVER_TIMEOUT, 60 s): then 504. */
    private readonly timeoutMs = 60_000,
    /** Why requests cannot be served while the model server is down (it is being replaced). */
    private readonly unavailable: () => string = () => 'The model server is not running.',
  ) {
    this.server = createServer({ noDelay: true, keepAlive: true }, (req, res) => this.forward(req, res));
    // Longer than any client's idle keep-alive, so the server never closes a socket a client is reusing.
    this.server.keepAliveTimeout = 120_000;
    this.server.headersTimeout = 125_000;
    this.server.requestTimeout = 0;
  }

  async listen(): Promise<string> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(0, '127.0.0.1', () => resolve());
    });
    this.port = (this.server.address() as AddressInfo).port;
    return `http://127.0.0.1:${this.port}`;
  }

  private forward(req: IncomingMessage, res: ServerResponse): void {
    // No page is served from a model server's port, so any browser Origin (even another local
    // port's) is a page that should not reach the model: SDKs and the local API send none.
    if (!isLoopbackRequest(req.headers) || req.headers.origin !== undefined) {
      res.writeHead(403, { 'content-type': 'text/plain; charset=utf-8' }).end('Forbidden: not a loopback Host/Origin\n');
      req.resume();
      return;
    }
    const backend = this.current();
    if (backend.alive === false) {
      this.answerUnavailable(res);
      req.resume();
      return;
    }
    const headers: Record<string, string | string[]> = {};
    for (const [k, v] of Object.entries(req.headers)) if (v !== undefined && FORWARDED.has(k)) headers[k] = v;
    headers[TOKEN_HEADER] = backend.token;
    backend.begin();
    let ended = false;
    const end = (): void => {
      if (!ended) {
        ended = true;
        backend.end();
      }
    };
    const upstream = request(
      { socketPath: backend.socketPath, method: req.method, path: req.url, headers, agent: backend.agent },
      (up) => {
        const out: Record<string, string | string[]> = {};
        for (const [k, v] of Object.entries(up.headers)) {
          if (v === undefined || k === MODEL_LATENCY_HEADER || k === 'connection' || k === 'keep-alive') continue;
          out[k] = v;
        }
        res.writeHead(up.statusCode ?? 502, out);
        up.pipe(res);
        up.on('end', end);
        up.on('error', end);
      },
    );
    upstream.setNoDelay(true);
    let timedOut = false;
    upstream.setTimeout(this.timeoutMs, () => {
      timedOut = true;
      upstream.destroy();
    });
    upstream.on('error', (e) => {
      end();
      if (res.headersSent) res.destroy();
      else if (timedOut) res.writeHead(504, { 'content-type': 'text/plain; charset=utf-8' }).end('The model server did not answer in time\n');
      else {
        // A server that crashed mid-request resets the connection a moment before its exit is seen.
        setTimeout(() => {
          if (res.destroyed) return;
          if (backend.alive === false) this.answerUnavailable(res);
          else res.writeHead(502, { 'content-type': 'text/plain; charset=utf-8' }).end(`The model server is not reachable: ${e.message}\n`);
        }, 100).unref();
      }
    });
    res.on('close', end);
    req.pipe(upstream);
  }

  /** SageMaker runtime's answer while an endpoint's instance is unhealthy, not the container's. */
  private answerUnavailable(res: ServerResponse): void {
    const err = new SageMakerRuntimeError('ServiceUnavailable', this.unavailable());
    res.writeHead(err.statusCode, { 'content-type': 'application/json', [ERROR_TYPE_HEADER]: err.code }).end(JSON.stringify(err.body()));
  }

  async close(): Promise<void> {
    await new Promise<void>((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }
}
