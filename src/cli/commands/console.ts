/**
 * `mlops-sfn console`: opens the home's web console in a browser. When a `serve` of the home runs,
 * its console is opened; otherwise this command serves the home itself (the local API and the
 * console, like `serve` without a pipeline) until Ctrl-C. Where no browser can be opened (no
 * display, no opener), the URL is printed to open by hand.
 */
import { spawn } from 'node:child_process';
import type { Command } from 'commander';
import { UserError } from '../../core/errors.js';
import { runningServe } from '../../engine/serve-file.js';

interface ConsoleOptions {
  port: string;
  open: boolean;
}

export function registerConsoleCommand(program: Command, getHome: () => string): void {
  program
    .command('console')
    .description("Open the home's web console in a browser (serving the home when no `serve` runs for it)")
    .option('--port <n>', 'port when this command serves the home itself (0: any free port)', '4599')
    .option('--no-open', 'only print the URL')
    .addHelpText('after', '\nExit codes: 0 opened (or stopped by a signal when serving), 2 bad input (flags, port in use).')
    .action(async (opts: ConsoleOptions) => {
      const home = getHome();
      const running = runningServe(home);
      if (running) {
        await show(`${running.url}/`, opts.open, `the console of the serve running for ${home} (pid ${running.pid})`);
        return;
      }
      const port = Number(opts.port);
      if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UserError(`--port must be a port number (0-65535), not ${JSON.stringify(opts.port)}`);
      const { startLocalServer } = await import('../../serve/local-server.js');
      const log = (line: string) => process.stderr.write(`[${new Date().toISOString()}] ${line}\n`);
      const server = await startLocalServer({ home, port, log }).catch((e: unknown) => {
        if ((e as NodeJS.ErrnoException).code === 'EADDRINUSE') throw new UserError(`port ${port} is in use: pass --port <another> (or 0 for any free port)`);
        throw e;
      });
      await show(`${server.url}/`, opts.open, `serving ${home}; Ctrl-C stops`);
      await new Promise<void>((resolve) => {
        const stop = () => {
          process.off('SIGINT', stop).off('SIGTERM', stop);
          resolve();
        };
        process.on('SIGINT', stop).on('SIGTERM', stop);
      });
      await server.close();
    });
}

async function show(url: string, open: boolean, what: string): Promise<void> {
  const opened = open && (await openBrowser(url));
  process.stdout.write(opened ? `opened ${url} (${what})\n` : `console: ${url} (${what}); open it in a browser\n`);
}

/** The platform's opener, with the URL as its one argument (no shell); false when there is none. */
export function openerFor(platform: NodeJS.Platform, env: NodeJS.ProcessEnv): [string, string[]] | undefined {
  if (platform === 'darwin') return ['open', []];
  if (platform === 'win32') return ['rundll32', ['url.dll,FileProtocolHandler']];
  if (!env['DISPLAY'] && !env['WAYLAND_DISPLAY']) return undefined;
  return ['xdg-open', []];
}

function openBrowser(url: string): Promise<boolean> {
  const opener = openerFor(process.platform, process.env);
  if (!opener) return Promise.resolve(false);
  return new Promise((resolve) => {
    const child = spawn(opener[0], [...opener[1], url], { stdio: 'ignore', detached: true });
    child.once('error', () => resolve(false));
    child.once('spawn', () => {
      child.unref();
      resolve(true);
    });
  });
}
