/** Cookie attribute options (ks#37-#38 sameSite) and their defaults. */
import { type KoaSessionOptions } from 'koa-typed-session';
import { createTestApp, freezeTime, request, setCookies } from './support/http';

async function cookiesFor(opts: KoaSessionOptions, remove = false): Promise<string[]> {
  const app = createTestApp(opts);
  app.use((ctx) => {
    if (remove) ctx.session = null;
    else ctx.session!.foo = 'bar';
    ctx.body = 'bar';
  });
  return setCookies(await request(app.callback()).get('/').expect('bar'));
}

describe('cookie attributes', () => {
  afterEach(() => jest.restoreAllMocks());

  it('defaults: path=/ and httponly, nothing else', async () => {
    const [value, sig] = await cookiesFor({});
    expect(value).toMatch(/^koa\.sess=[^;]+; path=\/; httponly$/);
    expect(sig).toMatch(/^koa\.sess\.sig=[^;]+; path=\/; httponly$/);
  });

  it.each([
    ['none', 'samesite=none'],
    ['lax', 'samesite=lax'],
    ['strict', 'samesite=strict'],
    ['Lax', 'samesite=lax'],
  ] as const)('ks#37/#38 sameSite %s', async (sameSite, expected) => {
    const [value] = await cookiesFor({ sameSite });
    expect(value).toContain(`path=/; ${expected}; httponly`);
  });

  it('ctx.sessionOptions.sameSite true means strict, false omits it (as the cookies package and koa-session)', async () => {
    for (const [sameSite, expected] of [
      [true, /; samesite=strict;/],
      [false, /^(?!.*samesite)/],
    ] as const) {
      const app = createTestApp();
      app.use((ctx) => {
        ctx.sessionOptions.sameSite = sameSite;
        ctx.session!.a = 1;
        ctx.body = 'ok';
      });
      expect(setCookies(await request(app.callback()).get('/'))[0]).toMatch(expected);
    }
  });

  it('key names both cookies', async () => {
    const cookies = await cookiesFor({ key: 'koa:sess' });
    expect(cookies.map((c) => c.split('=')[0])).toEqual(['koa:sess', 'koa:sess.sig']);
  });

  it('httpOnly: false drops the attribute', async () => {
    expect((await cookiesFor({ httpOnly: false }))[0]).toMatch(/^koa\.sess=[^;]+; path=\/$/);
  });

  it('every attribute, in the order the cookies package writes them, on both cookies', async () => {
    const clock = freezeTime();
    const expires = new Date(clock.now() + 1000).toUTCString();
    const cookies = await cookiesFor({
      maxAge: 1000,
      domain: 'example.com',
      path: '/app',
      priority: 'high',
      sameSite: 'none',
      partitioned: true,
    });
    for (const cookie of cookies) {
      expect(cookie.slice(cookie.indexOf(';'))).toBe(
        `; path=/app; expires=${expires}; domain=example.com; priority=high; samesite=none; httponly; partitioned`,
      );
    }
  });

  it('the clearing cookies keep domain and path', async () => {
    const cookies = await cookiesFor({ domain: 'example.com', path: '/app' }, true);
    for (const cookie of cookies)
      expect(cookie).toMatch(
        /=[^;]*; path=\/app; expires=Thu, 01 Jan 1970 00:00:00 GMT; domain=example\.com; httponly$/,
      );
  });

  it('expires (a Date) is used when maxAge is not a number, and overridden when it is', async () => {
    const clock = freezeTime();
    const date = new Date(Date.UTC(2031, 5, 1));
    expect((await cookiesFor({ expires: date }))[0]).toContain(`expires=${date.toUTCString()}`);
    expect((await cookiesFor({ expires: date, maxAge: 5000 }))[0]).toContain(
      `expires=${new Date(clock.now() + 5000).toUTCString()}`,
    );
  });

  it('priority is lower-cased', async () => {
    expect((await cookiesFor({ priority: 'low' }))[0]).toContain('; priority=low;');
  });
});
