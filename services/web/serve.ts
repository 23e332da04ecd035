import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import { serveStatic } from '@hono/node-server/serve-static';
import type { Context, Env, Hono, MiddlewareHandler } from 'hono';

export interface WebAppOptions {
  /** The `vite build` output (index.html plus hashed files under assets/). */
  distDir: string;
  /** Optional tile URL template for the app's Leaflet map; unset, the app draws its own plot. */
  mapTileUrl?: string | undefined;
  mapAttribution: string;
}

/** What the browser app reads at start; everything else it asks GraphQL. */
export interface WebClientConfig {
  mapTileUrl: string | null;
  mapAttribution: string;
}

/** Paths that belong to the API; the app never answers them, even for a browser. */
export const API_PATH_PREFIXES = ['/graphql', '/healthz', '/readyz', '/metrics', '/config.json'];

/** Hashed file names change with their content, so browsers may keep them for good. */
const IMMUTABLE = 'public, max-age=31536000, immutable';

/**
 * Where the page may load from: its own origin, Stripe.js (payments) and, when configured,
 * the map tile server. Styles stay inline-capable because Stripe and Leaflet set them.
 */
export function contentSecurityPolicy(mapTileUrl: string | undefined): string {
  const tiles = mapTileUrl ? ` ${new URL(mapTileUrl.replace(/\{[a-z]\}/g, 'a')).origin}` : '';
  return [
    "default-src 'self'",
    "script-src 'self' https://js.stripe.com",
    "style-src 'self' 'unsafe-inline'",
    `img-src 'self' data: blob:${tiles} https://*.stripe.com`,
    "connect-src 'self' https://api.stripe.com",
    'frame-src https://js.stripe.com https://hooks.stripe.com',
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
}

function isApiPath(path: string): boolean {
  return API_PATH_PREFIXES.some((prefix) => path === prefix || path.startsWith(`${prefix}/`));
}

/**
 * A client route (e.g. /bookings/…) asked for by a browser: no file extension, and the
 * request wants HTML. Anything else that matched no file stays a 404 for the API's handler.
 */
function isClientRoute(c: Context): boolean {
  const last = c.req.path.split('/').pop() ?? '';
  return !last.includes('.') && (c.req.header('accept') ?? '').includes('text/html');
}

/**
 * Serves the browser app at `/` on an API Hono app: its files, `/config.json`, and
 * index.html for client routes (the app routes with the History API). Mount it after every
 * other GET route: it only answers what they left, and passes on what is not the app's.
 */
export function mountWebApp<E extends Env>(app: Hono<E>, options: WebAppOptions): void {
  const distDir = resolve(options.distDir);
  // serveStatic takes a root relative to the working directory.
  const root = relative(process.cwd(), distDir) || '.';
  const csp = contentSecurityPolicy(options.mapTileUrl);
  const clientConfig: WebClientConfig = {
    mapTileUrl: options.mapTileUrl ?? null,
    mapAttribution: options.mapAttribution,
  };

  // Made on first use: the build may land after the API started (and serveStatic complains
  // about a missing root at creation).
  let files: MiddlewareHandler<E> | undefined;
  const staticFiles = () => {
    if (!files && existsSync(distDir)) {
      files = serveStatic<E>({ root });
    }
    return files;
  };

  const indexHtml = async (c: Context<E>) => {
    let html: string;
    try {
      html = await readFile(join(distDir, 'index.html'), 'utf8');
    } catch {
      return c.html(
        '<!doctype html><html lang="de"><meta charset="utf-8"><title>Mobilität Südwestfalen</title>' +
          '<p>Die Web-App ist noch nicht gebaut / The web app is not built: <code>npm run build:web</code></p></html>',
        503,
      );
    }
    // index.html names the current hashed files: never cache it, or a deploy strands clients.
    return c.html(html, 200, { 'Cache-Control': 'no-cache', 'Content-Security-Policy': csp });
  };

  app.get('/config.json', (c) => c.json(clientConfig, 200, { 'Cache-Control': 'no-cache' }));
  app.get('*', async (c, next) => {
    if (isApiPath(c.req.path)) return next();
    if (c.req.path === '/' || c.req.path === '/index.html') return indexHtml(c);
    const found = await staticFiles()?.(c, async () => {});
    if (found) {
      if (c.req.path.startsWith('/assets/')) found.headers.set('Cache-Control', IMMUTABLE);
      return found;
    }
    if (isClientRoute(c)) return indexHtml(c);
    return next();
  });
}
