import type { Browser, BrowserContext, Page } from 'playwright-core';
import { MemoryStore, type SessionStore } from 'koa-typed-session';
import { RedisStore } from 'koa-typed-session/redis';
import { createWebApp } from '../../samples/web/create-web-app';
import { uniquePrefix, useRedis } from '../helpers/redis';
import { cookiesByName, launchChromium, screenshot, serve, viewCount, type RunningApp } from './browser';

// Chromium computes a cookie's lifetime as Expires minus the response's Date header (both in whole
// seconds), so a whole number of seconds gives an exact browser-side lifetime.
const SHORT_MAX_AGE = 1000;

/** A store written for koa-session: get/set/destroy only, no "destroy all sessions of a user". */
function basicStore(): SessionStore {
  const records = new Map<string, unknown>();
  return {
    get: (key) => records.get(key),
    set: (key, sess) => void records.set(key, JSON.parse(JSON.stringify(sess))),
    destroy: (key) => void records.delete(key),
  };
}

async function login(page: Page, name: string): Promise<void> {
  await page.goto('/login');
  await page.fill('#name', name);
  await page.click('#login');
  await page.waitForSelector('#user');
}

// Logout, expiry and "log out everywhere", as a browser lives them.
describe('e2e: session lifecycle in Chromium', () => {
  let browser: Browser;
  let cookieApp: RunningApp;
  let shortApp: RunningApp;
  let storeApp: RunningApp;
  let basicStoreApp: RunningApp;
  let redisApp: RunningApp;
  let redis: { url: string; close(): Promise<void> };
  let redisStore: RedisStore;
  const contexts: BrowserContext[] = [];

  async function newContext(app: RunningApp): Promise<BrowserContext> {
    const context = await browser.newContext({ baseURL: app.baseUrl, viewport: { width: 900, height: 640 } });
    contexts.push(context);
    return context;
  }

  beforeAll(async () => {
    browser = await launchChromium();
    cookieApp = await serve(createWebApp());
    shortApp = await serve(createWebApp({ session: { maxAge: SHORT_MAX_AGE } }));
    // "Log out everywhere" needs a store that indexes sessions by user (`userField`).
    storeApp = await serve(createWebApp({ session: { store: new MemoryStore({ userField: 'user' }) } }));
    basicStoreApp = await serve(createWebApp({ session: { store: basicStore() } }));
    redis = await useRedis();
    redisStore = new RedisStore({ url: redis.url, prefix: uniquePrefix('e2e'), userField: 'user' });
    redisApp = await serve(createWebApp({ session: { store: redisStore } }));
  });
  afterAll(async () => {
    await Promise.all([cookieApp, shortApp, storeApp, basicStoreApp, redisApp].map((a) => a?.close()));
    await redisStore?.quit();
    await redis?.close();
    await browser?.close();
  });
  afterEach(async () => {
    await Promise.all(contexts.splice(0).map((c) => c.close()));
  });

  it('logout destroys the session and clears the cookie', async () => {
    const context = await newContext(cookieApp);
    const page = await context.newPage();
    await login(page, 'Grace');
    expect((await cookiesByName(context, cookieApp.baseUrl)).has('koa.sess')).toBe(true);

    const logout = page.waitForResponse((r) => r.url().endsWith('/logout'));
    await page.click('#logout');
    const setCookie = (await (await logout).headerValue('set-cookie')) ?? '';
    expect(setCookie).toMatch(/koa\.sess=;.*expires=Thu, 01 Jan 1970/);
    await page.waitForSelector('#login-link');
    // The page after logout only reads the (empty) session, so nothing is written back.
    expect((await cookiesByName(context, cookieApp.baseUrl)).has('koa.sess')).toBe(false);
    await page.goto('/');
    expect(await viewCount(page)).toBe(1);
  });

  it('an expired session starts fresh: the browser drops the cookie, the server refuses a kept one', async () => {
    const context = await newContext(shortApp);
    const page = await context.newPage();
    await page.goto('/');
    await page.reload();
    expect(await viewCount(page)).toBe(2);
    const kept = await context.cookies(shortApp.baseUrl);

    await page.waitForTimeout(SHORT_MAX_AGE + 400);
    // 1. Chromium enforces the cookie's Expires: it no longer sends it, the visit is a new session.
    const sent = page.waitForRequest((r) => r.url() === `${shortApp.baseUrl}/`);
    await page.reload();
    expect((await (await sent).allHeaders()).cookie ?? '').not.toContain('koa.sess');
    expect(await viewCount(page)).toBe(1);

    // 2. A client that keeps the old cookie anyway is refused by the payload's own expiry.
    await context.clearCookies();
    await context.addCookies(kept.map(({ name, value }) => ({ name, value, url: shortApp.baseUrl })));
    await page.reload();
    expect(await viewCount(page)).toBe(1);
  });

  it('hides "Log out everywhere" when the store cannot do it (cookie mode, a get/set/destroy store)', async () => {
    for (const app of [cookieApp, basicStoreApp]) {
      const page = await (await newContext(app)).newPage();
      await login(page, 'Grace');
      expect(await page.locator('#logout-everywhere').count()).toBe(0);
    }
  });

  it('with a store, the cookie carries only an id and a session survives a reload', async () => {
    const context = await newContext(storeApp);
    const page = await context.newPage();
    await page.goto('/');
    await page.reload();
    expect(await viewCount(page)).toBe(2);
    const id = (await cookiesByName(context, storeApp.baseUrl)).get('koa.sess') ?? '';
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
  });

  it.each([
    ['MemoryStore', () => storeApp],
    ['RedisStore', () => redisApp],
  ])('"Log out everywhere" (%s) ends the sessions of that user in every browser', async (_store, running) => {
    const app = running();
    const laptop = await (await newContext(app)).newPage();
    const phone = await (await newContext(app)).newPage();
    const someoneElse = await (await newContext(app)).newPage();
    await login(laptop, 'Linus');
    await login(phone, 'Linus');
    await login(someoneElse, 'Margaret');
    expect(await laptop.locator('#logout-everywhere').count()).toBe(1);
    await screenshot(laptop, 'home-signed-in');

    await laptop.click('#logout-everywhere');
    await laptop.waitForSelector('#login-link');
    await phone.reload();
    expect(await phone.locator('#login-link').count()).toBe(1);
    await someoneElse.reload();
    expect(await someoneElse.textContent('#user')).toBe('Margaret');
  });
});
