/**
 * Shared by the console's browser tests: Debian's Chromium driven by playwright-core (a fresh
 * profile per launch), the console's bundle built from source, and `mlops-sfn serve` started as a
 * child process of a temp home. Tests skip with a clear message when Chromium is absent.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { CLI } from '../../support/cli.js';

export const root = resolve(fileURLToPath(new URL('.', import.meta.url)), '../../../..');
export const cli = CLI;
export const CHROMIUM = '/usr/bin/chromium';

/** Why browser tests cannot run here, or undefined when they can. */
export function skipReason(): string | undefined {
  return existsSync(CHROMIUM) ? undefined : `Chromium is not installed at ${CHROMIUM} (bash scripts/install-system-packages.sh installs it)`;
}

/** Builds the console bundle once per test process (esbuild, well under a second). */
let built = false;
export function buildConsole(): void {
  if (built) return;
  const r = spawnSync(process.execPath, [join(root, 'scripts/build-console.mjs')], { cwd: root, encoding: 'utf8', timeout: 120_000 });
  if (r.status !== 0) throw new Error(`building the console failed:\n${r.stderr}${r.stdout}`);
  built = true;
}

export interface Browser {
  page: Page;
  context: BrowserContext;
  /** Errors the page threw or logged (a test asserts there are none). */
  errors: string[];
  close(): Promise<void>;
}

export async function launch(): Promise<Browser> {
  const profile = mkdtempSync(join(tmpdir(), 'mlops-sfn-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    viewport: { width: 1440, height: 900 },
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  const page = context.pages()[0] ?? (await context.newPage());
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(`console: ${m.text()}`);
  });
  return {
    page,
    context,
    errors,
    async close() {
      await context.close().catch(() => undefined);
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** Where screenshots go: docs/console when CONSOLE_SCREENSHOTS=1 (to refresh the README's), else a temp folder. */
export function screenshotDir(): string {
  const dir = process.env['CONSOLE_SCREENSHOTS'] === '1' ? join(root, 'docs/console') : join(tmpdir(), 'mlops-sfn-console-shots');
  mkdirSync(dir, { recursive: true });
  return dir;
}

export interface Serve {
  url: string;
  home: string;
  child: ChildProcess;
  log: () => string;
  stop(): Promise<void>;
}

export async function waitFor<T>(what: string, probe: () => T | undefined | Promise<T | undefined>, ms: number): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** `mlops-sfn serve [pipeline] --port 0 --no-schedule` on a home; resolves once serve.json names its URL. */
export async function startServe(home: string, args: string[] = []): Promise<Serve> {
  const child = spawn(process.execPath, [cli, '--home', home, 'serve', ...args, '--port', '0'], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  child.stdout!.on('data', (d: Buffer) => (log += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (log += d.toString()));
  const exited = new Promise<void>((r) => child.on('exit', () => r()));
  const serveFile = join(home, 'serve.json');
  const url = await waitFor(
    'serve.json',
    () => {
      if (child.exitCode !== null) throw new Error(`serve exited:\n${log}`);
      return existsSync(serveFile) ? (JSON.parse(readFileSync(serveFile, 'utf8')) as { url: string }).url : undefined;
    },
    120_000,
  );
  return {
    url,
    home,
    child,
    log: () => log,
    async stop() {
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}

/** A copy of examples/census with its YAML changed by `edit` (e.g. manual approval). */
export function censusCopy(edit: (yaml: string) => string = (y) => y): string {
  const dir = mkdtempSync(join(tmpdir(), 'mlops-sfn-console-census-'));
  cpSync(join(root, 'examples/census'), dir, { recursive: true });
  const yaml = join(dir, 'pipeline.yaml');
  writeFileSync(yaml, edit(readFileSync(yaml, 'utf8')));
  return dir;
}

export function mlops(home: string, args: string[]): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [cli, '--home', home, ...args], { cwd: root, encoding: 'utf8', timeout: 120_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

export const sdkConfig = (url: string) => ({ endpoint: url, region: 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'x' }, maxAttempts: 1 });
