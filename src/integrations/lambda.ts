import { randomUUID } from 'node:crypto';
import type { Json, JsonObject } from '../core/json.js';
import { isJsonObject } from '../core/json.js';
import { StatesError, States } from '../asl/errors.js';
import type { TaskRequest } from '../asl/task-invoker.js';
import type { ParsedResource } from './resource-arn.js';
import type { Integration } from './integration.js';
import { LAMBDA_TASK_ERRORS } from '../core/error-catalogue.js';

/** What a local handler receives as its second argument (a subset of Lambda's context). */
export interface LambdaContext {
  functionName: string;
  awsRequestId: string;
  invokedFunctionArn: string;
  signal: AbortSignal;
}

export type LambdaHandler = (event: Json, context: LambdaContext) => Json | Promise<Json>;

/**
 * An error a handler raises, shaped like Lambda's function error payload. Plain JS errors are
 * reported with their `name` as errorType, as the Node.js runtime does (a class that does not set
 * `name` reports "Error"; ours set the catalogue's name, e.g. Pipeline.InvalidTriggerEvent).
 */
export class LambdaFunctionError extends Error {
  constructor(
    readonly errorType: string,
    readonly errorMessage: string,
    readonly stackTrace: string[] = [],
  ) {
    super(errorMessage);
  }
}

/** Local Lambda functions, addressed by name, partial ARN or full ARN (with optional qualifier). */
/** Which runtime a local function stands for: it decides how its result and errors are serialised. */
export type LambdaRuntimeStyle = 'nodejs' | 'python';

export class LambdaFunctions {
  private readonly byName = new Map<string, LambdaHandler>();
  private readonly styles = new Map<string, LambdaRuntimeStyle>();
  private readonly registeredAt = new Map<string, number>();

  constructor(
    private readonly region = 'us-east-1',
    private readonly accountId = '111111111111',
  ) {}

  register(nameOrArn: string, handler: LambdaHandler, style: LambdaRuntimeStyle = 'nodejs'): void {
    this.byName.set(functionName(nameOrArn), handler);
    this.styles.set(functionName(nameOrArn), style);
    this.registeredAt.set(functionName(nameOrArn), Date.now());
  }

  /** The registered functions, by name: what Lambda's ListFunctions / GetFunction describe. */
  list(): { name: string; arn: string; style: LambdaRuntimeStyle; registeredAt: number }[] {
    return [...this.byName.keys()].sort().map((name) => ({ name, arn: this.arn(name), style: this.styles.get(name) ?? 'nodejs', registeredAt: this.registeredAt.get(name) ?? 0 }));
  }

  /** The response body as the function's runtime writes it (Python's json.dumps spaces its separators). */
  serialise(nameOrArn: string, payload: Json): string {
    return this.styles.get(functionName(nameOrArn)) === 'python' ? pythonStyleJson(payload) : JSON.stringify(payload);
  }

  has(nameOrArn: string): boolean {
    return this.byName.has(functionName(nameOrArn));
  }

  arn(name: string): string {
    return `arn:aws:lambda:${this.region}:${this.accountId}:function:${functionName(name)}`;
  }

  /** Invokes a function; resolves with its parsed result or rejects with AWS's task error. */
  async invoke(nameOrArn: string, event: Json, signal: AbortSignal, legacy: boolean): Promise<Json> {
    const name = functionName(nameOrArn);
    const handler = this.byName.get(name);
    const requestId = randomUUID();
    if (!handler) {
      const arn = `${this.arn(name)}:$LATEST`;
      throw new StatesError(
        LAMBDA_TASK_ERRORS.ResourceNotFound,
        `Function not found: ${arn} (Service: AWSLambda; Status Code: 404; Error Code: ResourceNotFoundException; Request ID: ${requestId}; Proxy: null)`,
      );
    }
    try {
      const result = await handler(event, { functionName: name, awsRequestId: requestId, invokedFunctionArn: this.arn(name), signal });
      // A Lambda result travels as JSON: undefined becomes null, and non-JSON values are normalised.
      return result === undefined ? null : (JSON.parse(JSON.stringify(result)) as Json);
    } catch (e) {
      if (e instanceof StatesError) throw e;
      const fe =
        e instanceof LambdaFunctionError
          ? e
          : new LambdaFunctionError(e instanceof Error ? e.name : 'Error', e instanceof Error ? e.message : String(e), stackOf(e));
      const payload = { errorMessage: fe.errorMessage, errorType: fe.errorType, requestId, stackTrace: fe.stackTrace };
      // The legacy Lambda resource reports the payload as the Python runtime prints it
      // (", " and ": " separators); the optimised integration passes it on compactly.
      const cause = legacy ? pythonStyleJson(payload) : JSON.stringify(payload);
      throw new StatesError(fe.errorType, cause);
    }
  }
}

function stackOf(e: unknown): string[] {
  return e instanceof Error && e.stack ? e.stack.split('\n').slice(1).map((l) => l.trim()) : [];
}

/**
 * JSON as Python's default json.dumps writes it (the Python runtime serialises a function's result
 * and error with it): ", " and ": " separators, and ensure_ascii, so every character beyond ASCII
 * is a \uXXXX escape (a surrogate pair beyond the BMP). Lambda's Content-Length counts these bytes.
 */
export function pythonStyleJson(v: Json): string {
  if (Array.isArray(v)) return `[${v.map(pythonStyleJson).join(', ')}]`;
  if (isJsonObject(v)) return `{${Object.entries(v).map(([k, x]) => `${asciiJson(k)}: ${pythonStyleJson(x)}`).join(', ')}}`;
  return typeof v === 'string' ? asciiJson(v) : JSON.stringify(v);
}

function asciiJson(s: string): string {
  const text = JSON.stringify(s);
  return /[^\x00-\x7f]/.test(text) ? text.replace(/[^\x00-\x7f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`) : text;
}

/** "my-fn", "123456789012:function:my-fn", or the full ARN (optionally with :qualifier) → "my-fn". */
export function functionName(nameOrArn: string): string {
  const m = /(?:^|:)function:([A-Za-z0-9_-]+)(?::[A-Za-z0-9_$-]+)?$/.exec(nameOrArn);
  return m ? m[1]! : nameOrArn;
}

/** The Lambda service integration: the legacy function ARN resource and arn:aws:states:::lambda:invoke. */
export class LambdaIntegration implements Integration {
  constructor(private readonly functions: LambdaFunctions) {}

  supports(r: ParsedResource): boolean {
    return r.legacyLambda || (r.service === 'lambda' && r.action === 'invoke');
  }

  async invoke(r: ParsedResource, req: TaskRequest): Promise<Json> {
    if (r.legacyLambda) return this.functions.invoke(r.action, req.parameters, req.signal, true);
    const p = isJsonObject(req.parameters) ? req.parameters : {};
    const fn = p['FunctionName'];
    if (typeof fn !== 'string') {
      throw new StatesError(States.Runtime, "The field 'FunctionName' is required and must be a string");
    }
    // A string Payload is sent as the raw request body, which the function runtime parses as JSON.
    let event: Json = p['Payload'] ?? {};
    if (typeof event === 'string') {
      try {
        event = JSON.parse(event) as Json;
      } catch {
        /* not JSON: the function receives the string itself */
      }
    }
    const payload = await this.functions.invoke(fn, event, req.signal, false);
    return invokeResult(payload, this.functions.serialise(fn, payload), p);
  }
}

/** The optimised integration's result: Lambda's Invoke response as Step Functions returns it. */
function invokeResult(payload: Json, body: string, params: JsonObject): JsonObject {
  const requestId = randomUUID();
  const allHeaders: JsonObject = {
    'X-Amz-Executed-Version': ['$LATEST'],
    'x-amzn-Remapped-Content-Length': ['0'],
    Connection: ['keep-alive'],
    'x-amzn-RequestId': [requestId],
    'Content-Length': [String(Buffer.byteLength(body))],
    Date: [new Date().toUTCString()],
    'X-Amzn-Trace-Id': [`Root=1-${randomUUID().slice(0, 8)}`],
    'Content-Type': ['application/json'],
  };
  const headers: JsonObject = Object.fromEntries(Object.entries(allHeaders).map(([k, v]) => [k, (v as string[])[0]!]));
  const result: JsonObject = { ExecutedVersion: '$LATEST' };
  if (params['LogType'] === 'Tail') {
    const log = Buffer.from(`START RequestId: ${requestId}\nEND RequestId: ${requestId}\n`).toString('base64');
    result['LogResult'] = log;
    allHeaders['X-Amz-Log-Result'] = [log];
    headers['X-Amz-Log-Result'] = log;
  }
  result['Payload'] = payload;
  result['SdkHttpMetadata'] = { AllHttpHeaders: allHeaders, HttpHeaders: headers, HttpStatusCode: 200 };
  result['SdkResponseMetadata'] = { RequestId: requestId };
  result['StatusCode'] = 200;
  return result;
}
