/**
 * Requests to a Python model server over its keep-alive agent: the per-server token is added,
 * the in-flight count is kept (so an update can drain the server), and the model latency the
 * server measured is taken off the response.
 */
import { request, type Agent, type IncomingHttpHeaders } from 'node:http';

export const TOKEN_HEADER = 'x-mlops-sfn-token';
export const MODEL_LATENCY_HEADER = 'x-mlops-sfn-model-latency-us';

export interface BackendTarget {
  /** The model server's unix socket (host path). */
  readonly socketPath: string;
  readonly token: string;
  readonly agent: Agent;
  /** False once the server process has ended (requests then get ServiceUnavailable). */
  readonly alive?: boolean;
  begin(): void;
  end(): void;
}

export interface BackendRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: Buffer | Uint8Array;
  /** Abort the request (and fail with a timeout error) after this long. */
  timeoutMs?: number;
  signal?: AbortSignal;
}

export interface BackendResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
  /** Microseconds spent in the handlers, as the server measured it (CloudWatch's ModelLatency). */
  modelLatencyUs?: number;
}

export class BackendTimeoutError extends Error {
  constructor(readonly timeoutMs: number) {
    super(`the model server did not answer within ${timeoutMs / 1000} s`);
    this.name = 'BackendTimeoutError';
  }
}

export function httpRequest(target: BackendTarget, req: BackendRequest): Promise<BackendResponse> {
  return new Promise<BackendResponse>((resolve, reject) => {
    target.begin();
    let finished = false;
    const done = (err: Error | undefined, res?: BackendResponse): void => {
      if (finished) return;
      finished = true;
      if (timer) clearTimeout(timer);
      req.signal?.removeEventListener('abort', onAbort);
      target.end();
      if (err) reject(err);
      else resolve(res!);
    };
    const headers: Record<string, string | number> = { ...req.headers, [TOKEN_HEADER]: target.token };
    const body = req.body;
    if (body !== undefined) headers['content-length'] = body.byteLength;
    const r = request(
      { socketPath: target.socketPath, method: req.method, path: req.path, headers, agent: target.agent },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', (e) => done(e));
        res.on('end', () => {
          const latency = res.headers[MODEL_LATENCY_HEADER];
          delete res.headers[MODEL_LATENCY_HEADER];
          done(undefined, {
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: chunks.length === 1 ? chunks[0] : Buffer.concat(chunks),
            modelLatencyUs: typeof latency === 'string' ? Number(latency) : undefined,
          });
        });
      },
    );
    r.setNoDelay(true);
    r.on('error', (e) => done(e));
    const timer = req.timeoutMs
      ? setTimeout(() => {
          r.destroy(new BackendTimeoutError(req.timeoutMs!));
        }, req.timeoutMs)
      : undefined;
    const onAbort = (): void => {
      r.destroy(new Error('aborted'));
    };
    req.signal?.addEventListener('abort', onAbort, { once: true });
    r.end(body);
  });
}
