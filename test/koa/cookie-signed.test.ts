/** koa-session cookie.test #1-#4: signing, app.keys and the app argument. */
import Koa from 'koa';
import { session, SessionConfigError } from 'koa-typed-session';
import { cookieHeader, createTestApp, request, setCookies } from './support/http';

describe('cookie mode: signed and app.keys', () => {
  it('ks#1 signed=true with app.keys works', async () => {
    const app = createTestApp();
    app.use((ctx) => {
      ctx.session!.message = 'hi';
      ctx.body = ctx.session;
    });
    const res = await request(app.callback()).get('/').expect(200, { message: 'hi' });
    const cookies = setCookies(res);
    expect(cookies).toHaveLength(2);
    expect(cookies[0]).toMatch(/^koa\.sess=[A-Za-z0-9+/=]+; path=\/; httponly$/);
    expect(cookies[1]).toMatch(/^koa\.sess\.sig=[\w-]{27}; path=\/; httponly$/);
  });

  it('ks#2 (differs: SessionConfigError at startup, koa-session answers 500) signed=true without app.keys', () => {
    const app = new Koa();
    let error: unknown;
    try {
      session({}, app);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(SessionConfigError);
    expect((error as SessionConfigError).option).toBe('signed');
    expect((error as Error).message).toMatch(/^koa-typed-session: option `signed` .*app\.keys/);
  });

  it('also rejects an empty app.keys array at startup', () => {
    const app = new Koa();
    app.keys = [];
    expect(() => session(app)).toThrow(SessionConfigError);
  });

  it('ks#3 throws a TypeError when the app is missing', () => {
    const create = session as unknown as (...args: unknown[]) => unknown;
    expect(() => create()).toThrow(TypeError);
    expect(() => create({})).toThrow('app instance required: `session(opts, app)`');
  });

  it('ks#4 signed=false without app.keys works', async () => {
    const app = createTestApp({ signed: false }, null);
    app.use((ctx) => {
      ctx.session!.message = 'hi';
      ctx.body = ctx.session;
    });
    const res = await request(app.callback()).get('/').expect(200, { message: 'hi' });
    expect(setCookies(res)).toHaveLength(1);
    expect(setCookies(res)[0]).toMatch(/^koa\.sess=/);
  });

  it('accepts a Keygrip-like object as app.keys', async () => {
    const app = new Koa();
    const keys = {
      sign: (data: string) => `sig-${data.length}`,
      index: (data: string, sig: string) => (sig === `sig-${data.length}` ? 0 : -1),
    };
    (app as unknown as { keys: unknown }).keys = keys;
    app.use(session(app));
    app.use((ctx) => {
      ctx.session!.n = ((ctx.session!.n as number) ?? 0) + 1;
      ctx.body = String(ctx.session!.n);
    });
    const first = await request(app.callback()).get('/').expect('1');
    const cookie = cookieHeader(first);
    expect(cookie).toMatch(/koa\.sess\.sig=sig-\d+/);
    await request(app.callback()).get('/').set('Cookie', cookie).expect('2');
  });
});
