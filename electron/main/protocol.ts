// Serves the built renderer (dist/renderer) at engram://app/ with a strict Content-Security-Policy header.
// A privileged custom scheme instead of file:// gives the page a real origin, so 'self' means our files and nothing else.
import { protocol } from 'electron';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize, sep } from 'node:path';

export const SCHEME = 'engram';
export const ORIGIN = `${SCHEME}://app`;
export const INDEX_URL = `${ORIGIN}/index.html`;

/** Only our own files, images also as data:/blob: (thumbnails), no network. Both this header and the
 *  renderer's meta CSP apply, so this one is never looser; style props set from script are still allowed. */
export const CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "media-src 'self' blob:",
  "worker-src 'self' blob:",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-src 'none'",
  "frame-ancestors 'none'",
].join('; ');

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.ttf': 'font/ttf',
  '.wasm': 'application/wasm',
  '.map': 'application/json',
};

/** Must run before app 'ready'. */
export function registerScheme(): void {
  protocol.registerSchemesAsPrivileged([{ scheme: SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } }]);
}

/** Must run after app 'ready'. `root` is the dist/renderer folder. */
export function serveRenderer(root: string): void {
  const base = normalize(root + sep);
  protocol.handle(SCHEME, async (request) => {
    const url = new URL(request.url);
    if (url.host !== 'app') return new Response('not found', { status: 404 });
    let rel = decodeURIComponent(url.pathname);
    // Client-side routes have no extension: they all get the app shell.
    if (rel === '/' || !extname(rel)) rel = '/index.html';
    const file = normalize(join(base, rel));
    if (!file.startsWith(base)) return new Response('forbidden', { status: 403 });
    try {
      const body = await readFile(file);
      return new Response(body, {
        headers: {
          'content-type': MIME[extname(file).toLowerCase()] ?? 'application/octet-stream',
          'content-security-policy': CSP,
          'x-content-type-options': 'nosniff',
        },
      });
    } catch {
      return new Response('not found', { status: 404 });
    }
  });
}
