/**
 * The job's log, like its CloudWatch stream: stdout and stderr lines appended to `logFile` as they
 * arrive (each stream split into lines on its own, so a line is never torn between the two), and
 * handed to listeners (live progress, MetricDefinitions, the sandbox's own error lines), with
 * control characters escaped as CloudWatch shows them.
 */
import { createWriteStream, type WriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { StringDecoder } from 'node:string_decoder';

/** CloudWatch Logs caps an event at 256 KiB; longer lines are cut into several. */
export const MAX_LINE_CHARS = 256 * 1024;

export type LineListener = (line: string, stream: 'stdout' | 'stderr') => void;

export class LogSink {
  private readonly listeners: LineListener[] = [];

  private constructor(private readonly out: WriteStream) {}

  static async open(file: string): Promise<LogSink> {
    await mkdir(dirname(file), { recursive: true });
    const out = createWriteStream(file, { flags: 'a' });
    await new Promise<void>((resolve, reject) => {
      out.once('open', () => resolve());
      out.once('error', reject);
    });
    return new LogSink(out);
  }

  onLine(listener: LineListener): void {
    this.listeners.push(listener);
  }

  write(line: string, stream: 'stdout' | 'stderr'): void {
    this.out.write(line + '\n');
    for (const l of this.listeners) {
      try {
        l(line, stream);
      } catch {
        // A failing listener (e.g. the caller's onLog) must not lose the log or the job.
      }
    }
  }

  /** A writer for one of the process's streams: feed it chunks, then end it. */
  lines(stream: 'stdout' | 'stderr'): LineSplitter {
    return new LineSplitter((line) => this.write(line, stream));
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.out.end(() => resolve()));
  }
}

/**
 * A job's output as its CloudWatch stream shows it: control characters written as `#` and three
 * octal digits (a tab is `#011`, an escape `#033`). SageMaker's metric definitions for its
 * built-in algorithms match that form (`.*\[[0-9]+\].*#011validation-auc:(...)`), so lines are
 * logged and matched escaped.
 */
export function escapeControlCharacters(line: string): string {
  // eslint-disable-next-line no-control-regex
  return line.replace(/[\x00-\x1f\x7f]/g, (c) => '#' + c.charCodeAt(0).toString(8).padStart(3, '0'));
}

export class LineSplitter {
  private readonly decoder = new StringDecoder('utf8');
  private partial = '';

  constructor(private readonly emit: (line: string) => void) {}

  push(chunk: Buffer): void {
    let text = this.partial + this.decoder.write(chunk);
    let nl: number;
    while ((nl = text.indexOf('\n')) >= 0) {
      this.emitLine(text.slice(0, nl));
      text = text.slice(nl + 1);
    }
    while (text.length > MAX_LINE_CHARS) {
      this.emit(text.slice(0, MAX_LINE_CHARS));
      text = text.slice(MAX_LINE_CHARS);
    }
    this.partial = text;
  }

  end(): void {
    const rest = this.partial + this.decoder.end();
    this.partial = '';
    if (rest !== '') this.emitLine(rest);
  }

  private emitLine(line: string): void {
    const l = escapeControlCharacters(line.endsWith('\r') ? line.slice(0, -1) : line);
    for (let i = 0; i < l.length; i += MAX_LINE_CHARS) this.emit(l.slice(i, i + MAX_LINE_CHARS));
    if (l.length === 0) this.emit('');
  }
}
