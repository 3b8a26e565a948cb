/**
 * InvokeEndpoint's hop to the container, by URL: POST <url>/invocations with the caller's body,
 * Content-Type, Accept and custom attributes, over one shared keep-alive agent. For callers that
 * only know an endpoint's address (the CLI, other processes); in-process callers holding the
 * server handle can use its `invoke` and skip the front. `invokeRuntimeApi` sends the same call to
 * a local SageMaker runtime API instead (InvokeEndpoint's own route, e.g. `mlops-sfn serve`).
 */
import { Agent, request } from 'node:http';
import type { InvokeRequest, InvokeResult } from './contracts.js';
import { ERROR_TYPE_HEADER } from './runtime-errors.js';

const agent = new Agent({ keepAlive: true, maxSockets: 64 });

export function invokeModelServer(url: string, req: InvokeRequest): Promise<InvokeResult> {
  return postInvocation(new URL('invocations', url.endsWith('/') ? url : url + '/'), req);
}

/** SageMaker runtime's InvokeEndpoint route on a local runtime API (`serve`): POST /endpoints/<name>/invocations. */
export function invokeRuntimeApi(apiUrl: string, endpointName: string, req: InvokeRequest): Promise<InvokeResult> {
  return postInvocation(new URL(`endpoints/${encodeURIComponent(endpointName)}/invocations`, apiUrl.endsWith('/') ? apiUrl : apiUrl + '/'), req);
}

/** POSTs one invocation body to `target` and reads the whole answer. */
export function postInvocation(target: URL, req: InvokeRequest): Promise<InvokeResult> {
  const url = target.href;
  if (target.protocol !== 'http:') return Promise.reject(new Error(`not an http URL: ${url}`));
  const headers: Record<string, string | number> = { 'content-length': req.body.byteLength };
  if (req.contentType !== undefined) headers['content-type'] = req.contentType;
  if (req.accept !== undefined) headers['accept'] = req.accept;
  if (req.customAttributes !== undefined) headers['x-amzn-sagemaker-custom-attributes'] = req.customAttributes;
  if (req.inferenceId !== undefined) headers['x-amzn-sagemaker-inference-id'] = req.inferenceId;
  return new Promise<InvokeResult>((resolve, reject) => {
    const r = request(target, { method: 'POST', headers, agent }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('error', reject);
      res.on('end', () => {
        const errorType = res.headers[ERROR_TYPE_HEADER];
        resolve({
          status: res.statusCode ?? 0,
          contentType: typeof res.headers['content-type'] === 'string' ? res.headers['content-type'] : '',
          body: Buffer.concat(chunks),
          ...(typeof errorType === 'string' ? { errorType } : {}),
        });
      });
    });
    r.setNoDelay(true);
    r.setTimeout(req.timeoutMs ?? 60_000, () => r.destroy(new Error(`the model server did not answer within ${(req.timeoutMs ?? 60_000) / 1000} s`)));
    r.on('error', reject);
    r.end(req.body);
  });
}
