/**
 * bwrap's `--json-status-fd`: JSON lines telling the host pid of the sandbox's init (`child-pid`,
 * so its session can be signalled) and, only when the command actually ran, its `exit-code`.
 */
import type { Readable } from 'node:stream';

export class BwrapStatus {
  /** The host pid of the namespace's init, once bwrap has reported it. */
  initPid: number | undefined;
  /** The command's exit code; undefined when the command never ran (bwrap or its exec failed). */
  exitCode: number | undefined;
  private pending = '';
  private readonly initListeners: (() => void)[] = [];

  constructor(fd: Readable) {
    fd.setEncoding('utf8').on('data', (d: string) => this.feed(d));
  }

  /** Called once bwrap reports its init's pid. */
  onInit(listener: () => void): void {
    this.initListeners.push(listener);
  }

  private feed(chunk: string): void {
    this.pending += chunk;
    let nl: number;
    while ((nl = this.pending.indexOf('\n')) >= 0) {
      const line = this.pending.slice(0, nl).trim();
      this.pending = this.pending.slice(nl + 1);
      if (line !== '') this.read(line);
    }
  }

  private read(line: string): void {
    let doc: { 'child-pid'?: unknown; 'exit-code'?: unknown };
    try {
      doc = JSON.parse(line) as typeof doc;
    } catch {
      return; // Not a status document; ignore.
    }
    if (typeof doc['child-pid'] === 'number') {
      this.initPid = doc['child-pid'];
      for (const l of this.initListeners) l();
    }
    if (typeof doc['exit-code'] === 'number') this.exitCode = doc['exit-code'];
  }
}
