/** koa-session cookie.test #29-#34 and `maxAge: 'session'` in cookie mode. */
import { cookieHeader, cookieValue, createTestApp, freezeTime, request, setCookies, sleep } from './support/http';
import type Koa from 'koa';

function payloadOf(res: { headers: Record<string, unknown> }): Record<string, unknown> {
  const value = cookieValue(res)!;
  return JSON.parse(Buffer.from(value, 'base64').toString()) as Record<string, unknown>;
}

function messageApp(app: Koa): Koa {
  app.use((ctx) => {
    if (ctx.method === 'POST') ctx.session!.message = 'hi';
    ctx.body = ctx.session!.message ?? '';
  });
  return app;
}

describe('maxAge (cookie mode)', () => {
  afterEach(() => jest.restoreAllMocks());

  it('ks#29 does not expire the session before maxAge', async () => {
    const clock = freezeTime();
    const app = messageApp(createTestApp({ maxAge: 100 }));
    const res = await request(app.callback()).post('/');
    clock.advance(99);
    await request(app.callback()).get('/').set('Cookie', cookieHeader(res)).expect('hi');
  });

  it('ks#30 expires the session after maxAge (server-side _expire check)', async () => {
    const app = messageApp(createTestApp({ maxAge: 100 }));
    const res = await request(app.callback()).post('/');
    await sleep(200);
    await request(app.callback()).get('/').set('Cookie', cookieHeader(res)).expect('');
  });

  it('ks#31 ctx.session.maxAge returns the option', async () => {
    const app = createTestApp({ maxAge: 100 });
    app.use((ctx) => {
      ctx.body = String(ctx.session!.maxAge);
    });
    await request(app.callback()).get('/').expect('100');
  });

  it('is undefined by default; the first cookie has no expires but the payload lasts one day', async () => {
    const clock = freezeTime();
    const app = createTestApp();
    app.use((ctx) => {
      ctx.session!.a = 1;
      ctx.body = String(ctx.session!.maxAge);
    });
    const res = await request(app.callback()).get('/').expect('undefined');
    expect(setCookies(res)[0]).not.toContain('expires=');
    expect(payloadOf(res)).toEqual({ a: 1, _expire: clock.now() + 86_400_000, _maxAge: 86_400_000 });
  });

  it('a loaded session carries _maxAge, so later saves send expires (as koa-session)', async () => {
    const clock = freezeTime();
    const app = createTestApp();
    app.use((ctx) => {
      ctx.session!.a = ((ctx.session!.a as number) ?? 0) + 1;
      ctx.body = String(ctx.session!.maxAge);
    });
    const first = await request(app.callback()).get('/');
    const second = await request(app.callback()).get('/').set('Cookie', cookieHeader(first)).expect('86400000');
    expect(setCookies(second)[0]).toContain(`expires=${new Date(clock.now() + 86_400_000).toUTCString()}`);
  });

  it('a number sets expires on the cookie and _expire/_maxAge in the payload', async () => {
    const clock = freezeTime();
    const app = createTestApp({ maxAge: 60_000 });
    app.use((ctx) => {
      ctx.session!.a = 1;
      ctx.body = '';
    });
    const res = await request(app.callback()).get('/');
    const expires = new Date(clock.now() + 60_000).toUTCString();
    expect(setCookies(res)[0]).toContain(`; path=/; expires=${expires}; httponly`);
    expect(setCookies(res)[1]).toContain(`; path=/; expires=${expires}; httponly`);
    expect(payloadOf(res)).toEqual({ a: 1, _expire: clock.now() + 60_000, _maxAge: 60_000 });
  });

  it('ks#32 setting maxAge changes the cookie expiry', async () => {
    const app = createTestApp();
    app.use((ctx) => {
      ctx.session!.foo = 'bar';
      ctx.session!.maxAge = 100;
      ctx.body = 'ok';
    });
    const res = await request(app.callback()).get('/');
    expect(setCookies(res)[0]).toMatch(/expires=/);
  });

  it('ks#33 setting maxAge saves even an unchanged empty session', async () => {
    const app = createTestApp();
    app.use((ctx) => {
      ctx.session!.maxAge = 100;
      ctx.body = 'ok';
    });
    const res = await request(app.callback()).get('/');
    expect(setCookies(res)[0]).toMatch(/expires=/);
  });

  it('ks#34 ctx.session = { maxAge } saves with that maxAge', async () => {
    const app = createTestApp();
    app.use((ctx) => {
      ctx.session = { maxAge: 100 };
      ctx.body = 'ok';
    });
    const res = await request(app.callback()).get('/');
    expect(setCookies(res)[0]).toMatch(/expires=/);
    expect(payloadOf(res)).toMatchObject({ _maxAge: 100 });
  });

  it("'session': no expires, payload has _session and no _expire, the session survives", async () => {
    const app = messageApp(createTestApp({ maxAge: 'session' }));
    const res = await request(app.callback()).post('/');
    expect(setCookies(res).join()).not.toContain('expires=');
    expect(payloadOf(res)).toEqual({ message: 'hi', _session: true });
    const again = messageApp(createTestApp({ maxAge: 'session' }));
    again.use(() => undefined);
    await request(again.callback()).get('/').set('Cookie', cookieHeader(res)).expect('hi');
  });

  it("a per-session maxAge of 'session' sticks across requests", async () => {
    const app = createTestApp({ maxAge: 60_000 });
    app.use((ctx) => {
      if (ctx.path === '/browser') ctx.session!.maxAge = 'session';
      ctx.session!.n = ((ctx.session!.n as number) ?? 0) + 1;
      ctx.body = String(ctx.session!.maxAge);
    });
    const first = await request(app.callback()).get('/browser').expect('session');
    const second = await request(app.callback()).get('/').set('Cookie', cookieHeader(first)).expect('session');
    expect(setCookies(second)[0]).not.toContain('expires=');
  });

  it('0 is treated as one day in the payload, with no expires attribute (as koa-session)', async () => {
    const clock = freezeTime();
    const app = createTestApp({ maxAge: 0 });
    app.use((ctx) => {
      ctx.session!.a = 1;
      ctx.body = '';
    });
    const res = await request(app.callback()).get('/');
    expect(setCookies(res)[0]).not.toContain('expires=');
    expect(payloadOf(res)._expire).toBe(clock.now() + 86_400_000);
  });

  it('a negative number writes an already expired cookie (as koa-session)', async () => {
    const clock = freezeTime();
    const app = createTestApp({ maxAge: -1000 });
    app.use((ctx) => {
      ctx.session!.a = 1;
      ctx.body = '';
    });
    const res = await request(app.callback()).get('/');
    expect(setCookies(res)[0]).toContain(`expires=${new Date(clock.now() - 1000).toUTCString()}`);
  });

  it('legacy `maxage` is used as maxAge, with a deprecation warning', () => {
    const warn = jest.spyOn(process, 'emitWarning').mockImplementation(() => undefined);
    const app = createTestApp({ maxage: 1234 });
    expect(warn).toHaveBeenCalledWith(expect.stringMatching(/`maxage` option has been renamed to `maxAge`/), {
      type: 'DeprecationWarning',
      code: 'KTS_MAXAGE_DEPRECATED',
    });
    app.use((ctx) => {
      ctx.body = String(ctx.session!.maxAge);
    });
    return request(app.callback()).get('/').expect('1234');
  });

  it('legacy `maxage` does not warn in production, and `maxAge` wins when both are given', async () => {
    const warn = jest.spyOn(process, 'emitWarning').mockImplementation(() => undefined);
    const env = process.env.NODE_ENV;
    process.env.NODE_ENV = 'production';
    try {
      createTestApp({ maxage: 1 });
    } finally {
      process.env.NODE_ENV = env;
    }
    expect(warn).not.toHaveBeenCalled();
    const app = createTestApp({ maxage: 1, maxAge: 2 });
    app.use((ctx) => {
      ctx.body = String(ctx.session!.maxAge);
    });
    await request(app.callback()).get('/').expect('2');
  });
});
