import type { Browser, BrowserContext } from 'playwright-core';
import { createWebApp } from '../../samples/web/create-web-app';
import {
  cookiesByName,
  launchChromium,
  readDocumentCookie,
  serve,
  viewCount,
  writeDocumentCookie,
  type RunningApp,
} from './browser';

const b64 = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64');

// What the browser enforces about the session cookie, and what a forged cookie gets.
describe('e2e: the session cookie in Chromium', () => {
  let browser: Browser;
  let app: RunningApp;
  let readable: RunningApp; // the same app with httpOnly: false, so that page scripts can write it
  let context: BrowserContext;

  beforeAll(async () => {
    browser = await launchChromium();
    app = await serve(createWebApp());
    readable = await serve(createWebApp({ session: { httpOnly: false } }));
  });
  afterAll(async () => {
    await app?.close();
    await readable?.close();
    await browser?.close();
  });
  beforeEach(async () => {
    context = await browser.newContext();
  });
  afterEach(async () => {
    await context?.close();
  });

  it('is HttpOnly, SameSite=Lax, Path=/, not Secure over http, and expires with maxAge', async () => {
    const page = await context.newPage();
    await page.goto(`${app.baseUrl}/`);
    const [cookie] = (await context.cookies(app.baseUrl)).filter((c) => c.name === 'koa.sess');
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Lax', path: '/', secure: false });
    const day = 86_400;
    expect(cookie!.expires).toBeGreaterThan(Date.now() / 1000 + day - 60);
    expect(cookie!.expires).toBeLessThan(Date.now() / 1000 + day + 60);
  });

  it('cannot be read (or overwritten) by page scripts through document.cookie', async () => {
    const page = await context.newPage();
    await page.goto(`${app.baseUrl}/`);
    await page.goto(`${app.baseUrl}/`);
    expect(await viewCount(page)).toBe(2);
    expect(await readDocumentCookie(page)).not.toContain('koa.sess');
    // A script writing a cookie of the same name does not replace an HttpOnly one.
    await writeDocumentCookie(
      page,
      `koa.sess=${b64({ views: 1000, _expire: Date.now() + 1e9, _maxAge: 1e9 })}; path=/`,
    );
    await page.reload();
    expect(await viewCount(page)).toBe(3);
  });

  it('is readable by scripts when httpOnly is false (the contrast)', async () => {
    const page = await context.newPage();
    await page.goto(`${readable.baseUrl}/`);
    expect(await readDocumentCookie(page)).toMatch(/koa\.sess=/);
  });

  it('starts a fresh session when a page script tampers with a readable cookie', async () => {
    const page = await context.newPage();
    await page.goto(`${readable.baseUrl}/`);
    await page.reload();
    expect(await viewCount(page)).toBe(2);
    const forged = b64({ views: 1000, user: 'admin', _expire: Date.now() + 1e9, _maxAge: 1e9 });
    await writeDocumentCookie(page, `koa.sess=${forged}; path=/`);
    expect(await readDocumentCookie(page)).toContain(forged);
    const response = await page.reload();
    expect(response!.status()).toBe(200);
    expect(await viewCount(page)).toBe(1);
    expect(await page.locator('#user').count()).toBe(0);
    // The server replaced the forged value with a new signed session.
    expect((await cookiesByName(context, readable.baseUrl)).get('koa.sess')).not.toBe(forged);
  });

  it('starts a fresh session for a forged cookie set into the browser, never a 500', async () => {
    const page = await context.newPage();
    await page.goto(`${app.baseUrl}/`);
    await page.reload();
    const jar = await cookiesByName(context, app.baseUrl);
    const url = app.baseUrl;
    const cases: Array<Record<string, string>> = [
      { 'koa.sess': b64({ views: 1000, _expire: Date.now() + 1e9, _maxAge: 1e9 }) }, // data changed, old signature
      { 'koa.sess.sig': 'AAAAAAAAAAAAAAAAAAAAAAAAAAA' }, // signature changed
      { 'koa.sess': '%%%not-base64%%%', 'koa.sess.sig': 'x' }, // garbage
    ];
    for (const change of cases) {
      await context.clearCookies();
      const cookies = { ...Object.fromEntries(jar), ...change };
      await context.addCookies(Object.entries(cookies).map(([name, value]) => ({ name, value, url })));
      const response = await page.goto(`${app.baseUrl}/`);
      expect(response!.status()).toBe(200);
      expect(await viewCount(page)).toBe(1);
    }
  });
});
