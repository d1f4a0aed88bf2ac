import type { Browser, BrowserContext, Page } from 'playwright-core';
import { createWebApp } from '../../samples/web/create-web-app';
import { cookiesByName, isPng, launchChromium, screenshot, serve, viewCount, type RunningApp } from './browser';

// The demo app in a real browser: what the user sees while navigating, reloading and using tabs.
describe('e2e: navigating the demo app in Chromium', () => {
  let browser: Browser;
  let app: RunningApp;
  let context: BrowserContext;

  beforeAll(async () => {
    browser = await launchChromium();
    app = await serve(createWebApp());
  });
  afterAll(async () => {
    await app?.close();
    await browser?.close();
  });
  beforeEach(async () => {
    context = await browser.newContext({ baseURL: app.baseUrl, viewport: { width: 900, height: 640 } });
  });
  afterEach(async () => {
    await context?.close();
  });

  async function home(page: Page): Promise<number> {
    await page.goto('/');
    return viewCount(page);
  }

  it('keeps the session across link navigation and a reload', async () => {
    const page = await context.newPage();
    expect(await home(page)).toBe(1);
    const cookies = await cookiesByName(context, app.baseUrl);
    expect([...cookies.keys()].sort()).toEqual(['koa.sess', 'koa.sess.sig']);

    await page.click('a[href="/cart"]');
    await page.waitForURL('**/cart');
    await page.click('header a[href="/"]');
    await page.waitForURL(`${app.baseUrl}/`);
    expect(await viewCount(page)).toBe(2);

    await page.reload();
    expect(await viewCount(page)).toBe(3);
    expect(isPng(await screenshot(page, 'home'))).toBe(true);
  });

  it('shares one session between two tabs of the same browser', async () => {
    const first = await context.newPage();
    const second = await context.newPage();
    expect(await home(first)).toBe(1);
    expect(await home(second)).toBe(2);
    await first.reload();
    expect(await viewCount(first)).toBe(3);
    // A second browser (another cookie jar) is another visitor.
    const other = await browser.newContext({ baseURL: app.baseUrl });
    expect(await home(await other.newPage())).toBe(1);
    await other.close();
  });

  it('logs in through the form (the session is regenerated) and keeps the count', async () => {
    const page = await context.newPage();
    await home(page);
    await home(page);
    const before = (await cookiesByName(context, app.baseUrl)).get('koa.sess');

    await page.goto('/login');
    expect(isPng(await screenshot(page, 'login'))).toBe(true);
    await page.fill('#name', "Ada O'Hara");
    await page.click('#login');
    await page.waitForURL(`${app.baseUrl}/`);
    expect(await page.textContent('#user')).toBe("Ada O'Hara");
    expect(await page.textContent('#flash')).toContain("Ada O'Hara");
    expect(await viewCount(page)).toBe(3);
    expect((await cookiesByName(context, app.baseUrl)).get('koa.sess')).not.toBe(before);

    // The flash message is shown once.
    await page.reload();
    expect(await page.locator('#flash').count()).toBe(0);
    expect(await page.textContent('#user')).toBe("Ada O'Hara");
  });

  it('rejects an invalid login name with a message, and the session stays anonymous', async () => {
    const page = await context.newPage();
    await page.goto('/login');
    await page.fill('#name', '<script>alert(1)</script>');
    await page.click('#login');
    expect(await page.textContent('#error')).toMatch(/name/);
    expect(await page.locator('#user').count()).toBe(0);
    // The rejected input is never echoed as markup.
    expect(await page.locator('main script').count()).toBe(0);
  });

  it('keeps a typed cart in the session and refuses invalid lines', async () => {
    const page = await context.newPage();
    await page.goto('/cart');
    expect(await page.locator('#empty-cart').count()).toBe(1);

    await page.selectOption('#sku', 'mug');
    await page.fill('#quantity', '2');
    await page.click('#add-to-cart');
    await page.waitForSelector('#cart');
    await page.selectOption('#sku', 'tea');
    await page.fill('#quantity', '1');
    await page.click('#add-to-cart');
    await page.selectOption('#sku', 'mug');
    await page.fill('#quantity', '1');
    await page.click('#add-to-cart');
    await page.waitForSelector('td[data-sku="tea"]');

    await page.reload();
    expect(await page.textContent('td[data-sku="mug"]')).toBe('3');
    expect(await page.textContent('td[data-sku="tea"]')).toBe('1');
    expect(await page.textContent('#cart-count')).toBe('4');
    expect(isPng(await screenshot(page, 'cart'))).toBe(true);

    // Bypass the browser's own form checks: the server's schema still refuses the line.
    await page.$eval('#quantity', (el) => el.removeAttribute('min'));
    await page.fill('#quantity', '0');
    await page.click('#add-to-cart');
    expect(await page.textContent('#error')).toMatch(/quantity/);
    expect(await page.textContent('td[data-sku="mug"]')).toBe('3');

    await page.click('#clear-cart');
    await page.waitForSelector('#empty-cart');
    expect(await page.textContent('#cart-count')).toBe('0');
  });
});
