/**
 * Checks of Step Functions requests as the service makes them, with AWS's error names: required
 * members, ARN forms, names, sizes, JSON payloads, page sizes and tokens.
 */
import { nameProblem, parseArn } from '../../core/arn.js';
import { invalidArn, invalidName, invalidToken, StepFunctionsError, validationError } from './errors.js';

/** 256 KiB: the limit on execution input, task output and history payloads. */
export const MAX_PAYLOAD_BYTES = 262_144;
/** CreateStateMachine's limit on the definition. */
export { MAX_DEFINITION_CHARS } from '../../asl/validation/index.js';
export const MAX_ERROR_CHARS = 256;
export const MAX_CAUSE_CHARS = 32_768;
/** The largest task token Step Functions hands out or accepts. */
export const MAX_TASK_TOKEN_CHARS = 2048;

export function required(value: unknown, member: string): string {
  if (value === undefined || value === null) throw validationError(member, undefined, 'Member must not be null');
  if (typeof value !== 'string') throw new StepFunctionsError('ValidationException', `Member '${member}' must be a string`);
  return value;
}

export function optionalString(value: unknown, member: string): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw new StepFunctionsError('ValidationException', `Member '${member}' must be a string`);
  return value;
}

export type StatesResourceType = 'stateMachine' | 'execution' | 'activity';

/** Parses a Step Functions ARN of the expected resource type: `arn:<partition>:states:<region>:<account>:<type>:<name>[:<name>]`. */
export function parseStatesArn(arn: string, expected: StatesResourceType): { machineName: string; executionName?: string } {
  const parts0 = parseArn(arn);
  const m = parts0?.service === 'states' ? /^([A-Za-z]+):(.+)$/.exec(parts0.resource) : null;
  if (!m) throw invalidArn(`Invalid ARN prefix: ${arn}`);
  const type = m[1]!;
  if (type !== expected) throw invalidArn(`Resource type not valid in this context: ${type}`);
  const parts = m[2]!.split(':');
  if (expected === 'stateMachine') {
    // A version or alias qualifier (name:1, name:prod) is not something the local service keeps.
    if (parts.length !== 1) throw invalidArn(`Invalid ARN prefix: ${arn}`);
    return { machineName: parts[0]! };
  }
  if (expected === 'activity') {
    if (parts.length !== 1) throw invalidArn(`Invalid ARN prefix: ${arn}`);
    return { machineName: parts[0]! };
  }
  if (parts.length !== 2) throw invalidArn(`Invalid ARN prefix: ${arn}`);
  return { machineName: parts[0]!, executionName: parts[1]! };
}

/**
 * A state machine ARN, possibly qualified: `...:stateMachine:<name>` (the machine itself),
 * `...:stateMachine:<name>:<number>` (a published version) or `...:stateMachine:<name>:<alias>`.
 */
export interface MachineArn {
  /** The unqualified ARN of the state machine. */
  machineArn: string;
  version?: number;
  alias?: string;
}

export function parseMachineArn(arn: string): MachineArn {
  const parts0 = parseArn(arn);
  const m = parts0?.service === 'states' ? /^([A-Za-z]+):(.+)$/.exec(parts0.resource) : null;
  if (!m) throw invalidArn(`Invalid ARN prefix: ${arn}`);
  if (m[1] !== 'stateMachine') throw invalidArn(`Resource type not valid in this context: ${m[1]!}`);
  const parts = m[2]!.split(':');
  if (parts.length > 2 || parts.some((p) => p === '')) throw invalidArn(`Invalid ARN prefix: ${arn}`);
  const machineArn = parts.length === 1 ? arn : arn.slice(0, arn.lastIndexOf(':'));
  if (parts.length === 1) return { machineArn };
  const q = parts[1]!;
  return /^\d+$/.test(q) ? { machineArn, version: Number(q) } : { machineArn, alias: q };
}

export function checkName(name: string): void {
  if (nameProblem(name, 'name') !== undefined) throw invalidName(name);
}

export function checkLength(value: string | undefined, member: string, max: number, sensitive = false): void {
  if (value !== undefined && value.length > max) {
    throw validationError(member, value, `Member must have length less than or equal to ${max}`, sensitive);
  }
}

/** The size limit counts UTF-8 bytes, as AWS's payload quota does. */
export function checkPayloadSize(value: string, member: string): void {
  if (value.length > MAX_PAYLOAD_BYTES / 4 && Buffer.byteLength(value, 'utf8') > MAX_PAYLOAD_BYTES) {
    throw validationError(member, value, `Member must have length less than or equal to ${MAX_PAYLOAD_BYTES}`, true);
  }
}

/** Parses a JSON payload; the error text is the parser's, as AWS quotes Jackson's. */
export function parseJson(text: string): { ok: true; value: unknown } | { ok: false; message: string } {
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch (e) {
    return { ok: false, message: e instanceof Error ? e.message : String(e) };
  }
}

/** maxResults: 0 or absent means the default page; AWS caps it at 1000. */
export function pageSize(value: unknown, fallback = 100): number {
  if (value === undefined || value === null || value === 0) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > 1000) {
    throw validationError('maxResults', value, 'Member must have value less than or equal to 1000');
  }
  return value;
}

/** Opaque pagination tokens: what to continue after, bound to the query they came from. */
export function encodeToken(query: string, position: unknown): string {
  return Buffer.from(JSON.stringify({ q: query, p: position })).toString('base64url');
}

export function decodeToken<T>(token: unknown, query: string): T | undefined {
  if (token === undefined || token === null) return undefined;
  if (typeof token !== 'string' || token.length > 1024) throw invalidToken(`Invalid Token: '${String(token).slice(0, 100)}'`);
  try {
    const parsed = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as { q?: unknown; p?: unknown };
    if (parsed.q === query && parsed.p !== undefined) return parsed.p as T;
  } catch {
    /* falls through */
  }
  throw invalidToken(`Invalid Token: '${token.slice(0, 100)}'`);
}
