/**
 * Headless Debian chromium for the web tests, with every request to another host recorded and
 * aborted (the app must work on a closed network), page errors collected, and screenshots written
 * to artifacts/screenshots/ for CI to keep.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Browser, BrowserContext, Page } from 'playwright-core';

export const HAS_CHROMIUM = existsSync('/usr/bin/chromium');
/** Debian's chromium: .ci/run installs it; under CI=true its absence fails the tests. */
export const RUN_BROWSER_TESTS = HAS_CHROMIUM || process.env.CI === 'true';

export const SCREENSHOT_DIR = fileURLToPath(new URL('../../artifacts/screenshots/', import.meta.url));

export interface GuardedPage {
  browser: Browser;
  context: BrowserContext;
  page: Page;
  /** URLs of requests that went (or tried to go) to another host. */
  foreign: string[];
  /** Uncaught exceptions and console errors of the page (failed loads are in `failed`). */
  errors: string[];
  /** `METHOD URL STATUS` of every answer of 400 or more. */
  failed: string[];
  screenshot(name: string): Promise<void>;
  close(): Promise<void>;
}

export async function openGuardedPage(baseUrl: string): Promise<GuardedPage> {
  const { chromium } = await import('playwright-core');
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, acceptDownloads: true });
  const own = new URL(baseUrl).host;
  const foreign: string[] = [];
  const errors: string[] = [];
  const failed: string[] = [];
  await context.route('**/*', (route) => {
    const url = new URL(route.request().url());
    if ((url.protocol === 'http:' || url.protocol === 'https:') && url.host === own) return route.continue();
    foreign.push(url.href);
    return route.abort('blockedbyclient');
  });
  // Requests the route handler never sees (service workers, prefetches) still show up here.
  context.on('request', (request) => {
    const url = new URL(request.url());
    if ((url.protocol === 'http:' || url.protocol === 'https:' || url.protocol === 'ws:' || url.protocol === 'wss:') && url.host !== own && !foreign.includes(url.href)) foreign.push(url.href);
  });
  const page = await context.newPage();
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    // A failed load is also a response event, recorded with its URL in `failed`.
    if (m.type() === 'error' && !m.text().startsWith('Failed to load resource')) errors.push(`console: ${m.text()}`);
  });
  page.on('response', (r) => {
    if (r.status() >= 400) failed.push(`${r.request().method()} ${r.url()} ${r.status()}`);
  });
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  return {
    browser,
    context,
    page,
    foreign,
    errors,
    failed,
    screenshot: async (name) => {
      await page.screenshot({ path: `${SCREENSHOT_DIR}${name}.png`, fullPage: true });
    },
    close: () => browser.close(),
  };
}
