import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type Koa from 'koa';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

/** Where Chromium is expected (Debian's `chromium` package); `CHROMIUM_PATH` overrides it. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

// The flags the issue asks for: no sandbox (CI containers run as root), no background traffic.
const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-quic',
];

/**
 * Launches headless Chromium (a fresh temporary profile each time). A missing browser is a test
 * FAILURE with a message saying how to install it, never a silent skip: CI installs it.
 */
export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(
      `koa-typed-session e2e: Chromium not found at ${CHROMIUM_PATH}. ` +
        '`npm test` installs it when run as root with apt-get (scripts/provision.mjs); otherwise run ' +
        '`sudo apt-get install chromium` or set CHROMIUM_PATH to a Chromium binary.',
    );
  }
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: ARGS, timeout: 15_000 });
}

/** A Koa app listening on 127.0.0.1 on a free port. */
export interface RunningApp {
  baseUrl: string;
  close(): Promise<void>;
}

/** Starts `app` on 127.0.0.1:0 (never a fixed port). */
export async function serve(app: Koa): Promise<RunningApp> {
  const server: Server = await new Promise((resolve, reject) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
    s.once('error', reject);
  });
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** The cookies the browser holds for `baseUrl`, by name. */
export async function cookiesByName(context: BrowserContext, baseUrl: string): Promise<Map<string, string>> {
  const cookies = await context.cookies(baseUrl);
  return new Map(cookies.map((c) => [c.name, c.value]));
}

// Page scripts run in the browser; only their text is sent there. The tsconfig has no DOM lib, so
// declare the one global they use, here, in this module's scope.
declare const document: { cookie: string };

/** `document.cookie` as a script of `page` sees it. */
export async function readDocumentCookie(page: Page): Promise<string> {
  return page.evaluate(() => document.cookie);
}

/** Sets a cookie from a script of `page` (`document.cookie = ...`), as any page script could. */
export async function writeDocumentCookie(page: Page, cookie: string): Promise<void> {
  await page.evaluate((value) => {
    document.cookie = value;
  }, cookie);
}

/** The page counter shown on the home page. */
export async function viewCount(page: Page): Promise<number> {
  return Number(await page.textContent('#views'));
}

const SCREENSHOTS = join(__dirname, '..', '..', 'docs', 'screenshots');

/**
 * Takes a screenshot of `page` and checks that it is a PNG. It is written to docs/screenshots/
 * (which docs/decorators.md links) when the file is missing or `UPDATE_SCREENSHOTS=1`, so that a normal
 * test run does not rewrite the committed images.
 */
export async function screenshot(page: Page, name: string): Promise<Buffer> {
  const png = await page.screenshot({ fullPage: true });
  const file = join(SCREENSHOTS, `${name}.png`);
  if (process.env.UPDATE_SCREENSHOTS === '1' || !existsSync(file)) {
    mkdirSync(SCREENSHOTS, { recursive: true });
    writeFileSync(file, png);
  }
  return png;
}

/** True when `buf` starts with the PNG signature. */
export function isPng(buf: Buffer): boolean {
  return buf.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
}

/** Reads a committed screenshot (for tests that check the docs' links resolve). */
export function readScreenshot(name: string): Buffer {
  return readFileSync(join(SCREENSHOTS, `${name}.png`));
}
