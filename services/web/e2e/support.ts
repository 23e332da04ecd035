import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { type ServerType, serve } from '@hono/node-server';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';

export type { Page };

import { build } from 'vite';
import { createTestPlatform } from '../../../test/support/platform.ts';

/**
 * The real thing for browser tests: the web app built by Vite into a temporary folder, the
 * whole API on a fresh PostgreSQL database served over HTTP, and a headless Chromium.
 */

export const CHROMIUM = '/usr/bin/chromium';
export const PHONE = { width: 390, height: 844 };
export const DESKTOP = { width: 1280, height: 900 };
/** Screenshots land here (gitignored) for a person to look at. */
export const ARTIFACTS = resolve('test-artifacts/web');
/** How long a page may take to show an expected element; waits return as soon as it is there. */
export const UI_DEADLINE_MS = 20_000;
/**
 * The unlock waits for the lock's answer up to this long before DeviceUnreachableError:
 * long enough for a simulated lock's ack on a busy test machine, short enough to wait out.
 */
export const LOCK_TIMEOUT_MS = 3_000;

export type WebPlatform = Awaited<ReturnType<typeof createTestPlatform>>;

export interface WebWorld {
  platform: WebPlatform;
  baseUrl: string;
  browser: Browser;
  newPage(options?: { viewport?: { width: number; height: number }; token?: string }): Promise<Page>;
  screenshot(page: Page, name: string): Promise<string>;
  close(): Promise<void>;
}

/** Builds the app (always from the current sources, never a stale dist) into a temp folder. */
export async function buildWebApp(outDir: string): Promise<void> {
  await build({
    configFile: resolve('services/web/vite.config.ts'),
    logLevel: 'warn',
    build: { outDir, emptyOutDir: true },
  });
}

export async function startWebWorld(env: Record<string, string> = {}): Promise<WebWorld> {
  const outDir = mkdtempSync(join(tmpdir(), 'swf-web-'));
  await buildWebApp(outDir);
  const platform = await createTestPlatform({
    env: { WEB_DIST_DIR: outDir, LOCK_COMMAND_TIMEOUT_MS: String(LOCK_TIMEOUT_MS), ...env },
  });
  const server = await new Promise<ServerType>((done) => {
    const s = serve({ fetch: platform.app.fetch, port: 0, hostname: '127.0.0.1' }, () => done(s));
  });
  const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
  const contexts: BrowserContext[] = [];
  mkdirSync(ARTIFACTS, { recursive: true });

  return {
    platform,
    baseUrl,
    browser,
    async newPage(options = {}) {
      const context = await browser.newContext({
        viewport: options.viewport ?? PHONE,
        baseURL: baseUrl,
        locale: 'de-DE',
      });
      contexts.push(context);
      if (options.token) {
        await context.addInitScript((token: string) => {
          if (!sessionStorage.getItem('swf.test.tokenSet')) {
            localStorage.setItem('swf.token', token);
            sessionStorage.setItem('swf.test.tokenSet', '1');
          }
        }, options.token);
      }
      const page = await context.newPage();
      page.setDefaultTimeout(UI_DEADLINE_MS);
      // Stripe.js comes from Stripe's servers; tests never reach out to the internet.
      await page.route(/^https?:\/\/(?!127\.0\.0\.1)/, (route) => route.abort());
      return page;
    },
    async screenshot(page, name) {
      const path = join(ARTIFACTS, `${name}.png`);
      await page.screenshot({ path, fullPage: true });
      return path;
    },
    async close() {
      for (const context of contexts) await context.close().catch(() => {});
      await browser.close();
      // SSE connections never end by themselves; drop them so close() returns.
      if ('closeAllConnections' in server) server.closeAllConnections();
      await new Promise<void>((done) => server.close(() => done()));
      await platform.dropDatabase();
      rmSync(outDir, { recursive: true, force: true });
    },
  };
}

interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[] }[];
}

const axeSource = readFileSync(resolve('node_modules/axe-core/axe.min.js'), 'utf8');

/** Runs axe-core in the page (WCAG 2.1 A/AA rules) and returns the serious and critical findings. */
export async function seriousAxeViolations(page: Page): Promise<AxeViolation[]> {
  // evaluate, not a <script> tag: the app's Content-Security-Policy forbids inline scripts.
  await page.evaluate(axeSource);
  const violations = (await page.evaluate(`axe.run(document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] },
    }).then((r) => r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help,
      nodes: v.nodes.map((n) => ({ target: n.target })) })))`)) as AxeViolation[];
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}
