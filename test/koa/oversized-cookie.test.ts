/** Cookies over the 4096-byte browser limit, on the way in and on the way out. */
import { SessionCookieError } from 'koa-typed-session';
import { createTestApp, flushEvents, recordEvents, request, setCookies, signedCookieHeader } from './support/http';
import { JsonStore } from './support/stores';

describe('oversized cookies', () => {
  afterEach(() => jest.restoreAllMocks());

  it("a signed session cookie over 4096 bytes on the way in: fresh session, session:invalid 'oversized'", async () => {
    const app = createTestApp();
    const events = recordEvents(app);
    app.use((ctx) => {
      ctx.body = String(ctx.session!.isNew);
    });
    const cookie = signedCookieHeader({ big: 'x'.repeat(5000) });
    await request(app.callback()).get('/').set('Cookie', cookie).expect(200, 'true');
    await flushEvents();
    expect(events.map((e) => [e.name, e.payload.reason])).toEqual([['session:invalid', 'oversized']]);
  });

  it('a store id over 4096 bytes is never looked up', async () => {
    const store = new JsonStore();
    const app = createTestApp({ store, signed: false });
    app.use((ctx) => {
      ctx.body = String(ctx.session!.isNew);
    });
    await request(app.callback())
      .get('/')
      .set('Cookie', `koa.sess=${'k'.repeat(5000)}`)
      .expect(200, 'true');
    expect(store.callsOf('get')).toEqual([]);
  });

  it('a Cookie header larger than Node accepts is answered 431 by Node, and the app keeps serving', async () => {
    const app = createTestApp();
    app.use((ctx) => {
      ctx.body = String(ctx.session!.isNew);
    });
    const server = app.listen(0, '127.0.0.1');
    try {
      const agent = request(server);
      await agent
        .get('/')
        .set('Cookie', `koa.sess=${'a'.repeat(20_000)}`)
        .expect(431);
      await agent.get('/').expect(200, 'true');
    } finally {
      server.close();
    }
  });

  it('session data making the cookie exceed 4096 bytes fails with a clear SessionCookieError, nothing sent', async () => {
    const app = createTestApp();
    app.silent = true;
    const errored = new Promise<Error>((resolve) => app.on('error', resolve));
    app.use((ctx) => {
      ctx.session!.big = 'x'.repeat(4000);
      ctx.body = 'ok';
    });
    const res = await request(app.callback()).get('/').expect(500);
    expect(res.headers['set-cookie']).toBeUndefined();
    const err = await errored;
    expect(err).toBeInstanceOf(SessionCookieError);
    expect((err as SessionCookieError).code).toBe('ERR_SESSION_COOKIE_TOO_LARGE');
    expect(err.message).toMatch(
      /^koa-typed-session: the session cookie `koa\.sess` would be \d+ bytes, over the browser limit of 4096.*use a store/,
    );
  });

  it("oversizedCookie: 'warn' sends the cookie and warns", async () => {
    const warn = jest.spyOn(process, 'emitWarning').mockImplementation(() => undefined);
    const app = createTestApp({ oversizedCookie: 'warn' });
    app.use((ctx) => {
      ctx.session!.big = 'x'.repeat(4000);
      ctx.body = 'ok';
    });
    const res = await request(app.callback()).get('/').expect(200);
    expect(setCookies(res)[0]!.length).toBeGreaterThan(4096);
    expect(warn).toHaveBeenCalledWith(
      expect.stringMatching(/^koa-typed-session: the session cookie `koa\.sess` would be \d+ bytes/),
      { type: 'KoaTypedSessionWarning', code: 'KTS_COOKIE_TOO_LARGE' },
    );
  });

  it('a cookie just under the limit is sent', async () => {
    const app = createTestApp();
    app.use((ctx) => {
      ctx.session!.big = 'x'.repeat(2900);
      ctx.body = 'ok';
    });
    const res = await request(app.callback()).get('/').expect(200);
    expect(Buffer.byteLength(setCookies(res)[0]!)).toBeLessThanOrEqual(4096);
  });

  it('in store mode the data size does not matter (the cookie holds only the id)', async () => {
    const app = createTestApp({ store: new JsonStore() });
    app.use((ctx) => {
      ctx.session!.big = 'x'.repeat(10_000);
      ctx.body = 'ok';
    });
    await request(app.callback()).get('/').expect(200);
  });
});
