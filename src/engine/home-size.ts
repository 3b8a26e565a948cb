/**
 * How much a home holds, measured cheaply enough to ask after every `run`: the walk is bounded (it
 * stops after MAX_ENTRIES files and says "at least") and its result is kept in
 * `<home>/home-size.json` for MEASURE_EVERY_MS, so a run never walks a huge tree twice in a row.
 * Past a threshold (5 GiB by default; env MLOPS_SFN_HOME_SIZE_NOTICE or `homeSizeNotice` in
 * `<home>/config.json`, e.g. "500MiB", or "off"), `run` says so and names `mlops-sfn gc`.
 */
import { lstatSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const DEFAULT_NOTICE_BYTES = 5 * 1024 ** 3;
export const NOTICE_ENV = 'MLOPS_SFN_HOME_SIZE_NOTICE';
const CACHE_FILE = 'home-size.json';
const CONFIG_FILE = 'config.json';
const MEASURE_EVERY_MS = 10 * 60_000;
const MAX_ENTRIES = 200_000;

export interface HomeSize {
  bytes: number;
  /** False when the walk stopped at its bound: the home holds at least `bytes`. */
  complete: boolean;
  measuredAt: number;
}

const UNITS: Readonly<Record<string, number>> = { b: 1, kb: 1e3, mb: 1e6, gb: 1e9, tb: 1e12, kib: 1024, mib: 1024 ** 2, gib: 1024 ** 3, tib: 1024 ** 4 };

/** "5GiB", "500 MB", "1048576" → bytes; "off" → Infinity; undefined when it is none of those. */
export function parseSize(text: string): number | undefined {
  const t = text.trim().toLowerCase();
  if (t === 'off') return Infinity;
  const m = /^(\d+(?:\.\d+)?)\s*([kmgt]i?b|b)?$/.exec(t);
  if (m === null) return undefined;
  return Math.round(Number(m[1]) * UNITS[m[2] ?? 'b']!);
}

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  const units = ['KiB', 'MiB', 'GiB', 'TiB'];
  let v = n / 1024;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${v >= 100 ? v.toFixed(0) : v.toFixed(1)} ${units[i]}`;
}

/** The threshold and where it came from, or a problem with a setting (then the default applies). */
export function noticeThreshold(home: string, env: NodeJS.ProcessEnv): { bytes: number; problem?: string } {
  const fromEnv = env[NOTICE_ENV];
  if (fromEnv !== undefined && fromEnv !== '') {
    const bytes = parseSize(fromEnv);
    if (bytes !== undefined) return { bytes };
    return { bytes: DEFAULT_NOTICE_BYTES, problem: `${NOTICE_ENV}=${JSON.stringify(fromEnv)} is not a size (write e.g. 5GiB, 500MB or off); using 5 GiB` };
  }
  let config: unknown;
  try {
    config = JSON.parse(readFileSync(join(home, CONFIG_FILE), 'utf8'));
  } catch {
    return { bytes: DEFAULT_NOTICE_BYTES };
  }
  const value = (config as { homeSizeNotice?: unknown } | null)?.homeSizeNotice;
  if (value === undefined) return { bytes: DEFAULT_NOTICE_BYTES };
  const bytes = typeof value === 'string' ? parseSize(value) : typeof value === 'number' && value >= 0 ? value : undefined;
  if (bytes !== undefined) return { bytes };
  return { bytes: DEFAULT_NOTICE_BYTES, problem: `${join(home, CONFIG_FILE)}: homeSizeNotice ${JSON.stringify(value)} is not a size (write e.g. "5GiB" or "off"); using 5 GiB` };
}

/** The home's size, from the cache when it is recent, else by a bounded walk (then cached). */
export function homeSize(home: string, now = Date.now()): HomeSize {
  try {
    const cached = JSON.parse(readFileSync(join(home, CACHE_FILE), 'utf8')) as HomeSize;
    if (typeof cached.bytes === 'number' && typeof cached.measuredAt === 'number' && now - cached.measuredAt < MEASURE_EVERY_MS && cached.measuredAt <= now) return cached;
  } catch {
    // no cache yet, or unreadable: measure
  }
  const measured = { ...folderBytes(home, MAX_ENTRIES), measuredAt: now };
  try {
    const tmp = join(home, `${CACHE_FILE}.${process.pid}.tmp`);
    writeFileSync(tmp, JSON.stringify(measured));
    renameSync(tmp, join(home, CACHE_FILE));
  } catch {
    // a read-only home still gets its answer
  }
  return measured;
}

/**
 * The bytes of the files under `root` (links not counted through, entries that vanish meanwhile
 * skipped), walking at most `maxEntries` entries: `complete` says whether it got through them all.
 * The one folder-size walk of the home (this notice and `gc`).
 */
export function folderBytes(root: string, maxEntries = Infinity): { bytes: number; complete: boolean } {
  let bytes = 0;
  let entries = 0;
  const stack = [root];
  while (stack.length > 0) {
    const dir = stack.pop()!;
    let list;
    try {
      list = readdirSync(dir, { withFileTypes: true });
    } catch {
      continue;
    }
    for (const d of list) {
      if (++entries > maxEntries) return { bytes, complete: false };
      const p = join(dir, d.name);
      if (d.isDirectory()) stack.push(p);
      else {
        try {
          bytes += lstatSync(p).size;
        } catch {
          // removed meanwhile
        }
      }
    }
  }
  return { bytes, complete: true };
}

/** The lines `run` prints after its summary: nothing while the home is small. */
export function homeSizeNotice(home: string, env: NodeJS.ProcessEnv = process.env, now = Date.now()): string[] {
  const threshold = noticeThreshold(home, env);
  const out = threshold.problem ? [`note: ${threshold.problem}`] : [];
  if (threshold.bytes === Infinity) return out;
  const size = homeSize(home, now);
  if (size.bytes < threshold.bytes) return out;
  out.push(
    `note: the home ${home} holds ${size.complete ? '' : 'at least '}${formatBytes(size.bytes)} (over ${formatBytes(threshold.bytes)}); ` +
      `\`mlops-sfn gc --older-than 30d\` shows what old runs it could remove (${NOTICE_ENV} sets this threshold, "off" silences it)`,
  );
  return out;
}
