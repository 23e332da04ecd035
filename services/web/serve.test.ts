import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestPlatform } from '../../test/support/platform.ts';
import { contentSecurityPolicy, mountWebApp } from './serve.ts';

/**
 * The API serves the built web app at `/` without getting in the way of its own routes:
 * files, index.html for client routes, 404 for everything else that is not the app's.
 */

const INDEX = '<!doctype html><html lang="de"><title>app</title><div id="app"></div></html>';
let dist: string;
let platform: Awaited<ReturnType<typeof createTestPlatform>>;

beforeAll(async () => {
  dist = mkdtempSync(join(tmpdir(), 'swf-dist-'));
  writeFileSync(join(dist, 'index.html'), INDEX);
  mkdirSync(join(dist, 'assets'));
  writeFileSync(join(dist, 'assets', 'index-abc123.js'), 'console.log("app")');
  writeFileSync(join(dist, 'robots.txt'), 'User-agent: *');
  platform = await createTestPlatform({
    env: { WEB_DIST_DIR: dist, MAP_TILE_URL: 'https://tiles.example.org/{z}/{x}/{y}.png' },
  });
});

afterAll(async () => {
  await platform?.dropDatabase();
  rmSync(dist, { recursive: true, force: true });
});

const html = { accept: 'text/html,application/xhtml+xml,*/*;q=0.8' };

describe('the web app on the API', () => {
  it('serves index.html at / with a content security policy and no caching', async () => {
    const response = await platform.app.request('/', { headers: html });
    expect(response.status).toBe(200);
    expect(await response.text()).toBe(INDEX);
    expect(response.headers.get('cache-control')).toBe('no-cache');
    const csp = response.headers.get('content-security-policy')!;
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain('https://tiles.example.org');
  });

  it('serves hashed assets for good and other files plainly', async () => {
    const asset = await platform.app.request('/assets/index-abc123.js');
    expect(asset.status).toBe(200);
    expect(await asset.text()).toBe('console.log("app")');
    expect(asset.headers.get('content-type')).toMatch(/javascript/);
    expect(asset.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    const robots = await platform.app.request('/robots.txt');
    expect(robots.status).toBe(200);
    expect(robots.headers.get('cache-control')).toBeNull();
  });

  it('answers client routes asked for by a browser with index.html, and nothing else', async () => {
    for (const path of ['/bookings/7f0c', '/sites/abc', '/account', '/signin']) {
      const response = await platform.app.request(path, { headers: html });
      expect(response.status, path).toBe(200);
      expect(await response.text()).toBe(INDEX);
    }
    // Not a browser navigation, a missing file, or a traversal attempt: the API's JSON 404.
    for (const [path, headers] of [
      ['/bookings/7f0c', { accept: 'application/json' }],
      ['/assets/missing-123.js', html],
      ['/favicon.ico', html],
      ['/%2e%2e/package.json', html],
    ] as const) {
      const response = await platform.app.request(path, { headers });
      expect(response.status, path).toBe(404);
      expect(await response.json()).toMatchObject({ error: { code: 'NOT_FOUND' } });
    }
  });

  it('leaves GraphQL, health and metrics to the API', async () => {
    const healthz = await platform.app.request('/healthz', { headers: html });
    expect(await healthz.json()).toEqual({ status: 'ok', service: 'api' });
    const metrics = await platform.app.request('/metrics', { headers: html });
    expect(await metrics.text()).toContain('# HELP');
    const graphql = await platform.gql('{ tenants { id } }');
    expect(graphql.data.tenants.length).toBeGreaterThan(0);
    // GraphiQL is off in tests: a browser GET on /graphql still reaches Yoga, not index.html.
    const get = await platform.app.request('/graphql?query=%7B__typename%7D', { headers: html });
    expect(await get.text()).not.toBe(INDEX);
    const nested = await platform.app.request('/graphql/anything', { headers: html });
    expect(nested.status).toBe(404);
  });

  it('tells the app its map settings at /config.json', async () => {
    const response = await platform.app.request('/config.json');
    expect(await response.json()).toEqual({
      mapTileUrl: 'https://tiles.example.org/{z}/{x}/{y}.png',
      mapAttribution: '© OpenStreetMap contributors',
    });
  });
});

describe('without a build', () => {
  it('says how to build the app instead of failing', async () => {
    const app = new Hono();
    mountWebApp(app, { distDir: join(tmpdir(), 'swf-no-such-dist'), mapAttribution: '' });
    const response = await app.request('/', { headers: html });
    expect(response.status).toBe(503);
    expect(await response.text()).toContain('npm run build:web');
  });

  it('allows only its own origin, Stripe and no tile server unless one is configured', () => {
    const csp = contentSecurityPolicy(undefined);
    expect(csp).toContain("script-src 'self' https://js.stripe.com");
    expect(csp).toContain("img-src 'self' data: blob: https://*.stripe.com");
  });
});
