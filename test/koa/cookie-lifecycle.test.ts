/** koa-session cookie.test #5-#13, #28, #36, #43: when a cookie session is written. */
import Koa from 'koa';
import { session } from 'koa-typed-session';
import { cookieHeader, cookieValue, createTestApp, request, setCookies } from './support/http';

/** A cookie from a first request that stored `message: 'hello'`. */
async function savedCookie(): Promise<string> {
  const app = createTestApp();
  app.use((ctx) => {
    ctx.session!.message = 'hello';
    ctx.body = 'ok';
  });
  return cookieHeader(await request(app.callback()).get('/'));
}

describe('cookie mode: lifecycle', () => {
  it('ks#5 a value containing ";" round-trips', async () => {
    const app = createTestApp();
    app.use((ctx) => {
      if (ctx.method === 'POST') {
        ctx.session!.string = ';';
        ctx.status = 204;
      } else {
        ctx.body = ctx.session!.string;
      }
    });
    const res = await request(app.callback()).post('/').expect(204);
    expect(setCookies(res).join()).not.toContain('samesite');
    await request(app.callback()).get('/').set('Cookie', cookieHeader(res)).expect(200, ';');
  });

  describe('new session', () => {
    it('ks#6 not accessed: no Set-Cookie', async () => {
      const app = createTestApp();
      app.use((ctx) => {
        ctx.body = 'greetings';
      });
      const res = await request(app.callback()).get('/').expect(200, 'greetings');
      expect(res.headers['set-cookie']).toBeUndefined();
    });

    it('ks#7 accessed but not populated: no Set-Cookie', async () => {
      const app = createTestApp();
      app.use((ctx) => {
        void ctx.session;
        ctx.body = 'greetings';
      });
      const res = await request(app.callback()).get('/').expect(200);
      expect(res.headers['set-cookie']).toBeUndefined();
    });

    it('ks#8 populated: Set-Cookie', async () => {
      const app = createTestApp();
      app.use((ctx) => {
        ctx.session!.message = 'hello';
        ctx.body = '';
      });
      const res = await request(app.callback()).get('/');
      expect(setCookies(res)[0]).toMatch(/^koa\.sess=/);
    });

    it('ks#9 body is the empty session: no Set-Cookie', async () => {
      const app = createTestApp();
      app.use((ctx) => {
        ctx.body = ctx.session;
      });
      const res = await request(app.callback()).get('/').expect(200, {});
      expect(res.headers['set-cookie']).toBeUndefined();
    });
  });

  describe('saved session', () => {
    let cookie: string;
    beforeAll(async () => {
      cookie = await savedCookie();
    });

    it('ks#10 not accessed: no Set-Cookie', async () => {
      const app = createTestApp();
      app.use((ctx) => {
        ctx.body = 'aklsdjflasdjf';
      });
      const res = await request(app.callback()).get('/').set('Cookie', cookie).expect(200);
      expect(res.headers['set-cookie']).toBeUndefined();
    });

    it('ks#11/#12 accessed but not changed: same session, no Set-Cookie', async () => {
      const app = createTestApp();
      app.use((ctx) => {
        ctx.body = String(ctx.session!.message === 'hello' && !ctx.session!.isNew);
      });
      const res = await request(app.callback()).get('/').set('Cookie', cookie).expect(200, 'true');
      expect(res.headers['set-cookie']).toBeUndefined();
    });

    it('ks#13 accessed and changed: Set-Cookie', async () => {
      const app = createTestApp();
      app.use((ctx) => {
        ctx.session!.money = '$$$';
        ctx.body = 'aklsdjflasdjf';
      });
      const res = await request(app.callback()).get('/').set('Cookie', cookie).expect(200);
      expect(setCookies(res)[0]).toMatch(/^koa\.sess=/);
      expect(setCookies(res).join()).not.toContain('samesite');
    });

    it('a loaded session emptied to {} is saved as empty, not removed (as koa-session)', async () => {
      const app = createTestApp();
      app.use((ctx) => {
        delete ctx.session!.message;
        ctx.body = 'ok';
      });
      const res = await request(app.callback()).get('/').set('Cookie', cookie).expect(200);
      const value = cookieValue(res)!;
      expect(JSON.parse(Buffer.from(value, 'base64').toString())).toEqual({
        _expire: expect.any(Number),
        _maxAge: 86_400_000,
      });
    });
  });

  it('ks#28 an error thrown downstream and caught upstream still saves the session', async () => {
    const app = new Koa();
    app.keys = ['a', 'b'];
    app.use(async (ctx, next) => {
      try {
        await next();
      } catch (err) {
        ctx.status = (err as { status: number }).status;
        ctx.body = (err as Error).message;
      }
    });
    app.use(session(app));
    app.use((ctx) => {
      ctx.session!.name = 'funny';
      ctx.throw(401);
    });
    const res = await request(app.callback()).get('/').expect(401);
    expect(setCookies(res)[0]).toMatch(/^koa\.sess=/);
  });

  it('ks#36 ctx.session read before the middleware (cookie mode) works', async () => {
    const app = new Koa();
    app.keys = ['a', 'b'];
    app.use(async (ctx, next) => {
      ctx.session!.foo = 'hi';
      await next();
    });
    app.use(session({}, app));
    app.use((ctx) => {
      ctx.body = ctx.session;
    });
    const first = await request(app.callback()).get('/').expect(200, { foo: 'hi' });
    expect(setCookies(first)[0]).toMatch(/^koa\.sess=/);
    await request(app.callback()).get('/').set('Cookie', cookieHeader(first)).expect(200, { foo: 'hi' });
  });

  it('ks#43 a second session() on the same app does not throw; the first options win', async () => {
    const app = new Koa();
    app.keys = ['a', 'b'];
    app.use(session({ key: 'first' }, app));
    expect(() => app.use(session({ key: 'second' }, app))).not.toThrow();
    app.use((ctx) => {
      ctx.session!.a = 1;
      ctx.body = 'ok';
    });
    const res = await request(app.callback()).get('/').expect(200);
    expect(setCookies(res).map((c) => c.split('=')[0])).toEqual(['first', 'first.sig']);
  });
});
