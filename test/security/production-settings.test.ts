import Koa from 'koa';
import { MemoryStore, session, type KoaSessionOptions } from 'koa-typed-session';
import { cookieHeader, request, setCookies } from '../helpers/app';
import { SECRET_NEW, SECRET_OLD } from './security-helpers';

const MINUTE = 60_000;

/** The settings docs/security.md recommends, as a user would write them. */
function productionApp(extra: KoaSessionOptions): Koa {
  const app = new Koa({ proxy: true });
  app.keys = ['current-cookie-key', 'previous-cookie-key'];
  app.use(
    session(
      {
        key: '__Host-sess',
        maxAge: 30 * MINUTE,
        rolling: true,
        absoluteTimeout: 12 * 60 * MINUTE,
        sameSite: 'lax',
        secure: true,
        ...extra,
      },
      app,
    ),
  );
  app.use(async (ctx) => {
    if (ctx.path === '/login') {
      ctx.session!.userId = 42;
      await ctx.session!.regenerate();
    }
    ctx.body = { userId: ctx.session!.userId ?? null };
  });
  return app;
}

describe.each([
  ['store', { store: new MemoryStore() }],
  ['encrypted cookie', { encrypt: { keys: [SECRET_NEW, SECRET_OLD] } }],
] as Array<[string, KoaSessionOptions]>)('recommended production settings (%s)', (_mode, extra) => {
  it('logs in behind a TLS proxy with __Host- secure, httponly, samesite=lax cookies', async () => {
    const app = productionApp(extra);
    const login = await request(app.callback()).get('/login').set('X-Forwarded-Proto', 'https').expect(200);
    const cookies = setCookies(login).filter((c) => c.startsWith('__Host-sess'));
    expect(cookies.length).toBeGreaterThan(0);
    for (const cookie of cookies) {
      expect(cookie).toMatch(/; path=\/;/);
      expect(cookie).not.toMatch(/; domain=/);
      expect(cookie).toMatch(/; samesite=lax; secure; httponly$/);
    }
    const again = await request(app.callback())
      .get('/')
      .set('X-Forwarded-Proto', 'https')
      .set('Cookie', cookieHeader(login))
      .expect(200);
    expect(again.body).toEqual({ userId: 42 });
  });

  it('fails clearly, without a cookie, if the proxy does not say https', async () => {
    const app = productionApp(extra);
    app.silent = true;
    const res = await request(app.callback()).get('/login').expect(500);
    expect(setCookies(res)).toEqual([]);
  });
});
