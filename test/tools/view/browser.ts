/**
 * Headless Chromium for the viewer's end-to-end tests: playwright-core drives the browser
 * binary the @sparticuz/chromium package carries, so a fresh clone needs nothing installed by
 * hand. Each page records its console errors and uncaught exceptions, which a test asserts are
 * none, and screenshots go to .capsim/screenshots/ (ignored by git).
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import sparticuz from '@sparticuz/chromium';
import { chromium, type Browser, type Page } from 'playwright-core';

export const SCREENSHOTS = fileURLToPath(new URL('../../../.capsim/screenshots/', import.meta.url));

/**
 * The package's arguments are made for a serverless function; three of them are left out:
 * --single-process ends the whole browser when its first page closes, and the other two would
 * let a page do what a user's browser refuses (a file:// page reading files with fetch, or
 * mixed content), so an export that only worked because of them would pass unnoticed.
 */
const LEFT_OUT = new Set(['--single-process', '--disable-web-security', '--allow-running-insecure-content']);

export async function launch(): Promise<Browser> {
  return chromium.launch({ executablePath: await sparticuz.executablePath(), args: sparticuz.args.filter((a) => !LEFT_OUT.has(a)) });
}

export interface WatchedPage {
  page: Page;
  /** Console errors and uncaught exceptions, as text. */
  errors: string[];
}

export async function openPage(browser: Browser): Promise<WatchedPage> {
  const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
  const errors: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') errors.push(`console ${m.type()}: ${m.text()}`);
  });
  page.on('pageerror', (e) => errors.push(`page error: ${e.message}`));
  return { page, errors };
}

export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  const path = join(SCREENSHOTS, `${name}.png`);
  await page.screenshot({ path });
  return path;
}

/** Waits until the page shows position `pos` (of the branch `pulls`, when given). */
export async function atPosition(page: Page, pos: number): Promise<void> {
  await page.waitForFunction((p) => {
    const v = (window as unknown as { capsimView?: { frame: { pos: number } | null } }).capsimView;
    return v?.frame?.pos === p;
  }, pos);
}
