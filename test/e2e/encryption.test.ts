import type { Browser, BrowserContext, Page } from 'playwright-core';
import { createWebApp } from '../../samples/web/create-web-app';
import { cookiesByName, launchChromium, serve, viewCount, type RunningApp } from './browser';

const KEY = 'e2e encryption key: 32 characters or more, never a real one';
const NAME = 'Zanzibar';

/** Every way a reader could try to see data in the cookie value: as is, base64, base64url. */
function readings(value: string): string[] {
  const unescaped = decodeURIComponent(value);
  return [
    unescaped,
    Buffer.from(unescaped, 'base64').toString('latin1'),
    Buffer.from(unescaped, 'base64url').toString('latin1'),
  ];
}

// With `encrypt`, the browser holds a cookie that reveals nothing and cannot be altered.
describe('e2e: encrypted session cookie in Chromium', () => {
  let browser: Browser;
  let app: RunningApp;
  let context: BrowserContext;

  beforeAll(async () => {
    browser = await launchChromium();
    app = await serve(createWebApp({ session: { encrypt: { keys: [KEY] } } }));
  });
  afterAll(async () => {
    await app?.close();
    await browser?.close();
  });
  beforeEach(async () => {
    context = await browser.newContext({ baseURL: app.baseUrl });
  });
  afterEach(async () => {
    await context?.close();
  });

  async function loginWithCart(page: Page): Promise<string> {
    await page.goto('/login');
    await page.fill('#name', NAME);
    await page.click('#login');
    await page.waitForSelector('#user');
    await page.goto('/cart');
    await page.selectOption('#sku', 'socks');
    await page.click('#add-to-cart');
    await page.waitForSelector('td[data-sku="socks"]');
    return (await cookiesByName(context, app.baseUrl)).get('koa.sess') ?? '';
  }

  it('keeps the session working while the cookie value reveals no data', async () => {
    const page = await context.newPage();
    const value = await loginWithCart(page);
    const cookies = await cookiesByName(context, app.baseUrl);
    expect([...cookies.keys()]).toEqual(['koa.sess']); // sealed: no separate signature cookie
    expect(value.length).toBeGreaterThan(40);
    for (const text of readings(value)) {
      for (const secret of [NAME, 'socks', 'views', 'cart', 'user', '_expire', '{"'])
        expect(text).not.toContain(secret);
    }
    await page.goto('/');
    await page.reload();
    expect(await page.textContent('#user')).toBe(NAME);
    expect(await page.textContent('#cart-count')).toBe('1');
  });

  it('gives equal sessions different cookie values (random IV)', async () => {
    const first = await loginWithCart(await context.newPage());
    await context.clearCookies();
    const second = await loginWithCart(await context.newPage());
    expect(second).not.toBe(first);
  });

  it('starts a fresh session when the sealed value is altered, never a 500', async () => {
    const page = await context.newPage();
    const value = await loginWithCart(page);
    const flip = value.at(-5) === 'A' ? 'B' : 'A';
    const altered = `${value.slice(0, -5)}${flip}${value.slice(-4)}`;
    await context.clearCookies();
    await context.addCookies([{ name: 'koa.sess', value: altered, url: app.baseUrl }]);
    const response = await page.goto('/');
    expect(response!.status()).toBe(200);
    expect(await viewCount(page)).toBe(1);
    expect(await page.locator('#user').count()).toBe(0);
  });
});
