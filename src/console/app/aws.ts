/**
 * The console's only way to the data: the local API in AWS's protocols (the same calls an AWS SDK
 * makes) and, for what AWS has no API for, the console's JSON endpoints under /console/api/.
 * Requests go to the page's own origin, which is the only origin the API accepts from a browser.
 */

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly type: string,
    message: string,
  ) {
    super(message);
  }
}

async function answer<T>(r: Response): Promise<T> {
  const text = await r.text();
  let body: unknown;
  try {
    body = text === '' ? {} : JSON.parse(text);
  } catch {
    throw new ApiError(r.status, 'NotJson', text.slice(0, 300) || r.statusText);
  }
  if (!r.ok) {
    const o = (body ?? {}) as { __type?: string; message?: string; Message?: string };
    const type = (o.__type ?? 'Error').replace(/^.*#/, '');
    throw new ApiError(r.status, type, o.message ?? o.Message ?? r.statusText);
  }
  return body as T;
}

async function awsJson<T>(target: string, version: '1.0' | '1.1', body: object): Promise<T> {
  const r = await fetch('/', {
    method: 'POST',
    headers: { 'X-Amz-Target': target, 'Content-Type': `application/x-amz-json-${version}` },
    body: JSON.stringify(body),
  });
  return answer<T>(r);
}

/** Step Functions (AWS JSON 1.0), e.g. sfn('ListExecutions', {stateMachineArn}). */
export function sfn<T = Record<string, unknown>>(action: string, input: object = {}): Promise<T> {
  return awsJson<T>(`AWSStepFunctions.${action}`, '1.0', input);
}

/** SageMaker Describe and List actions (AWS JSON 1.1). */
export function sagemaker<T = Record<string, unknown>>(action: string, input: object = {}): Promise<T> {
  return awsJson<T>(`SageMaker.${action}`, '1.1', input);
}

/** SageMaker runtime InvokeEndpoint: the model's answer as text, with the round trip's latency. */
export async function invokeEndpoint(name: string, body: string, contentType: string, accept: string): Promise<{ status: number; body: string; ms: number }> {
  const t0 = performance.now();
  const r = await fetch(`/endpoints/${encodeURIComponent(name)}/invocations`, { method: 'POST', headers: { 'Content-Type': contentType, Accept: accept }, body });
  const text = await r.text();
  return { status: r.status, body: text, ms: performance.now() - t0 };
}

export async function consoleGet<T>(path: string): Promise<T> {
  return answer<T>(await fetch(`/console/api/${path}`));
}

export async function consolePost<T>(path: string, body: object): Promise<T> {
  return answer<T>(await fetch(`/console/api/${path}`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) }));
}

/** AWS JSON dates arrive as epoch seconds. */
export const toMs = (seconds: number | undefined): number | undefined => (seconds === undefined ? undefined : seconds * 1000);

export function formatTime(ms: number | undefined): string {
  if (ms === undefined) return '–';
  const d = new Date(ms);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

export interface StateMachineItem {
  stateMachineArn: string;
  name: string;
  type: string;
  creationDate: number;
}

export interface ExecutionItem {
  executionArn: string;
  stateMachineArn: string;
  name: string;
  status: string;
  startDate: number;
  stopDate?: number;
}

/** Every page of a List* call (nextToken), up to `max` items. */
export async function listAll<T>(call: (token?: string) => Promise<{ items: T[]; nextToken?: string }>, max = 100_000): Promise<T[]> {
  const out: T[] = [];
  let token: string | undefined;
  do {
    const page = await call(token);
    out.push(...page.items);
    token = page.nextToken;
  } while (token && out.length < max);
  return out;
}
