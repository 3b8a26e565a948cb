/**
 * Writes captured invocations to S3 the way SageMaker lays them out:
 *
 *   <DestinationS3Uri>/<EndpointName>/<VariantName>/yyyy/mm/dd/hh/<MM>-<SS>-<mmm>-<uuid>.jsonl
 *
 * (UTC; the file name is the minute, second and millisecond of the file's first record and a random
 * UUID, as in real capture listings such as `.../AllTraffic/2021/02/03/13/12-26-957-d5938b7b-....jsonl`).
 * Real endpoints deliver about one file per minute per instance; so a file here takes records for
 * `rollMs` (60 s) from its first one, and never past the end of its hour, then the next record opens
 * a new file.
 *
 * Capture is off the request path: `add` only formats the line and queues it (microseconds). A
 * timer rewrites each file that gained records every `flushMs` (1 s), so captures can be read at
 * once rather than a minute later; S3 objects are written whole, so the open file is put again with
 * its records so far (bounded by `maxFileBytes`, after which a new file opens). `close()` writes
 * what is pending; a process killed outright loses at most the last `flushMs` of records (AWS
 * warns that capture too can drop records under pressure).
 */
import { randomUUID } from 'node:crypto';
import type { S3Store } from '../../s3/index.js';
import type { CaptureSettings } from './capture-config.js';
import { captureLine, type CapturedExchange } from './capture-record.js';

export interface CaptureWriterOptions {
  s3: Pick<S3Store, 'putObject'>;
  /** Epoch milliseconds (default Date.now). */
  now?: () => number;
  /** How often open files are written (default 1,000 ms). */
  flushMs?: number;
  /** How long a file takes records from its first one (default 60,000 ms). */
  rollMs?: number;
  /** A file this large takes no more records (default 4 MiB). */
  maxFileBytes?: number;
  /** A file could not be written (a missing bucket, a full disk); default: one line on stderr per destination. */
  onError?: (uri: string, error: Error) => void;
  /** Decides sampling (default Math.random): a record is kept when random() * 100 < the percentage. */
  random?: () => number;
}

interface OpenFile {
  bucket: string;
  key: string;
  openedAt: number;
  hour: number;
  lines: string[];
  bytes: number;
  /** Records not yet in S3. */
  dirty: boolean;
  /** No more records: written one last time, then forgotten. */
  closed: boolean;
  writing?: Promise<void>;
}

const HOUR_MS = 3_600_000;

function pad(n: number, width = 2): string {
  return String(n).padStart(width, '0');
}

/** The key of a capture file opened at `at` (epoch ms). */
export function captureFileKey(prefix: string, endpoint: string, variant: string, at: number, id: string = randomUUID()): string {
  const d = new Date(at);
  const folder = `${d.getUTCFullYear()}/${pad(d.getUTCMonth() + 1)}/${pad(d.getUTCDate())}/${pad(d.getUTCHours())}`;
  const name = `${pad(d.getUTCMinutes())}-${pad(d.getUTCSeconds())}-${pad(d.getUTCMilliseconds(), 3)}-${id}.jsonl`;
  return `${prefix === '' ? '' : prefix + '/'}${endpoint}/${variant}/${folder}/${name}`;
}

export class CaptureWriter {
  private readonly files = new Map<string, OpenFile>();
  private readonly finishing = new Set<OpenFile>();
  private timer: NodeJS.Timeout | undefined;
  private readonly now: () => number;
  private readonly flushMs: number;
  private readonly rollMs: number;
  private readonly maxFileBytes: number;
  private readonly random: () => number;
  private readonly reported = new Set<string>();
  private closing = false;

  constructor(private readonly opts: CaptureWriterOptions) {
    this.now = opts.now ?? Date.now;
    this.flushMs = opts.flushMs ?? 1000;
    this.rollMs = opts.rollMs ?? 60_000;
    this.maxFileBytes = opts.maxFileBytes ?? 4 * 1024 * 1024;
    this.random = opts.random ?? Math.random;
  }

  /**
   * Queues one invocation of an endpoint's variant when capture is on and it is sampled; returns
   * whether it was kept. Never throws for the caller's request: capture failures go to onError.
   */
  add(endpoint: string, variant: string, s: CaptureSettings, exchange: CapturedExchange): boolean {
    if (!s.enabled || this.closing || (!s.captureInput && !s.captureOutput)) return false;
    if (s.samplingPercentage < 100 && !(this.random() * 100 < s.samplingPercentage)) return false;
    const line = captureLine(exchange, s) + '\n';
    const slot = `${s.bucket}\0${s.prefix}\0${endpoint}\0${variant}`;
    const at = exchange.at;
    let file = this.files.get(slot);
    if (file && (at - file.openedAt >= this.rollMs || Math.floor(at / HOUR_MS) !== file.hour || file.bytes >= this.maxFileBytes)) {
      this.retire(slot, file);
      file = undefined;
    }
    if (!file) {
      file = { bucket: s.bucket, key: captureFileKey(s.prefix, endpoint, variant, at), openedAt: at, hour: Math.floor(at / HOUR_MS), lines: [], bytes: 0, dirty: false, closed: false };
      this.files.set(slot, file);
    }
    file.lines.push(line);
    file.bytes += line.length;
    file.dirty = true;
    this.timer ??= setInterval(() => void this.tick(), this.flushMs).unref();
    return true;
  }

  /** Writes every file that gained records since it was last written, and waits for the writes. */
  async flush(): Promise<void> {
    await this.tick();
    await Promise.all([...this.files.values(), ...this.finishing].map((f) => f.writing));
    // Records added while a write was in flight are written now.
    if ([...this.files.values(), ...this.finishing].some((f) => f.dirty)) await this.flush();
  }

  /** Writes what is pending and stops the timer; later records are not captured. */
  async close(): Promise<void> {
    this.closing = true;
    for (const [slot, f] of this.files) this.retire(slot, f);
    await this.flush();
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  private retire(slot: string, f: OpenFile): void {
    this.files.delete(slot);
    f.closed = true;
    this.finishing.add(f);
  }

  private async tick(): Promise<void> {
    const at = this.now();
    for (const [slot, f] of this.files) {
      if (at - f.openedAt >= this.rollMs || Math.floor(at / HOUR_MS) !== f.hour) this.retire(slot, f);
    }
    const writes: Promise<void>[] = [];
    for (const f of [...this.files.values(), ...this.finishing]) {
      if (!f.writing && f.dirty) writes.push(this.write(f));
      else if (!f.writing && f.closed) this.finishing.delete(f);
    }
    await Promise.all(writes);
    if (this.files.size === 0 && this.finishing.size === 0 && this.timer) {
      clearInterval(this.timer);
      this.timer = undefined;
    }
  }

  private write(f: OpenFile): Promise<void> {
    f.dirty = false;
    const body = Buffer.from(f.lines.join(''), 'utf8');
    f.writing = this.opts.s3
      .putObject({ Bucket: f.bucket, Key: f.key, Body: body, ContentType: 'application/octet-stream' })
      .then(
        () => undefined,
        (e: unknown) => this.report(`s3://${f.bucket}/${f.key}`, e instanceof Error ? e : new Error(String(e))),
      )
      .finally(() => {
        f.writing = undefined;
        if (f.closed && !f.dirty) this.finishing.delete(f);
      });
    return f.writing;
  }

  private report(uri: string, e: Error): void {
    if (this.opts.onError) return this.opts.onError(uri, e);
    const where = uri.slice(0, uri.indexOf('/', 5) + 1 || undefined);
    if (this.reported.has(where)) return;
    this.reported.add(where);
    process.stderr.write(`mlops-sfn: endpoint data capture could not write ${uri}: ${e.message}\n`);
  }
}
