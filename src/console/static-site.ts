/**
 * Serves the console's built files (dist/src/console/static/, made by scripts/build-console.mjs):
 * the page at `/` and its assets under `/assets/`. Only files present in that folder when the
 * server starts are served, by exact name, so no request path can reach anything else. The page
 * runs under a strict Content-Security-Policy: scripts only from this origin, no inline script.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join } from 'node:path';
import { packageFile } from '../core/package-root.js';

// Found from the package root, not this module's URL: the command runs from a bundle in dist/cli/.
export const STATIC_DIR = packageFile('dist', 'src', 'console', 'static');

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.map': 'application/json',
};

const CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "worker-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

export interface StaticSite {
  /** Answers GET `/` and `/assets/<file>`; false when the request is not the site's. */
  handle(req: IncomingMessage, res: ServerResponse, path: string): boolean;
}

export function staticSite(dir = STATIC_DIR): StaticSite {
  const files = new Map<string, Buffer>();
  if (existsSync(dir)) for (const name of readdirSync(dir)) if (TYPES[extname(name)]) files.set(name, readFileSync(join(dir, name)));
  return {
    handle(req, res, path) {
      if (req.method !== 'GET' && req.method !== 'HEAD') return false;
      const name = path === '/' || path === '/index.html' ? 'index.html' : path.startsWith('/assets/') ? path.slice('/assets/'.length) : undefined;
      if (name === undefined) return false;
      req.resume();
      const body = files.get(name);
      if (!body) {
        const missing = name === 'index.html' ? 'The console is not built: run `npm run build` in the mlops-sfn package.\n' : 'Not found\n';
        res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8', 'X-Content-Type-Options': 'nosniff' }).end(missing);
        return true;
      }
      res.writeHead(200, {
        'Content-Type': TYPES[extname(name)]!,
        'Content-Length': body.length,
        'Cache-Control': 'no-cache',
        'X-Content-Type-Options': 'nosniff',
        'Content-Security-Policy': CSP,
        'Referrer-Policy': 'no-referrer',
        'X-Frame-Options': 'DENY',
      });
      res.end(req.method === 'HEAD' ? undefined : body);
      return true;
    },
  };
}
