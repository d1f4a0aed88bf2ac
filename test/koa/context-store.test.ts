/** koa-session contextstore.test #81-#113: a `ContextStore` class instantiated per request. */
import Koa from 'koa';
import { session, SessionConfigError } from 'koa-typed-session';
import { cookieHeader, createTestApp, freezeTime, request, setCookies } from './support/http';
import { contextStoreClass } from './support/stores';

function genid(ctx: Koa.Context): string {
  const sid = `${Date.now()}_suffix`;
  ctx.state.sid = sid;
  return sid;
}

function app(opts = {}): { app: Koa; shared: Map<string, string> } {
  const shared = new Map<string, string>();
  return { app: createTestApp({ ContextStore: contextStoreClass(shared), genid, ...opts }), shared };
}

describe('ContextStore', () => {
  it('ks#81 a value containing ";" round-trips', async () => {
    const { app: a } = app();
    a.use((ctx) => {
      if (ctx.method === 'POST') {
        ctx.session!.string = ';';
        ctx.status = 204;
      } else ctx.body = ctx.session!.string;
    });
    const res = await request(a.callback()).post('/').expect(204);
    await request(a.callback()).get('/').set('Cookie', cookieHeader(res)).expect(';');
  });

  it('ks#82/#83/#86 a new session not accessed, or empty: no Set-Cookie', async () => {
    const { app: a } = app();
    a.use((ctx) => {
      if (ctx.path === '/touch') void ctx.session;
      if (ctx.path === '/body') ctx.body = ctx.session;
      else ctx.body = 'ok';
    });
    for (const path of ['/', '/touch', '/body']) {
      const res = await request(a.callback()).get(path).expect(200);
      expect(res.headers['set-cookie']).toBeUndefined();
    }
  });

  it('ks#84/#85 populated: the sid from genid (run before the handler) is the cookie', async () => {
    const { app: a, shared } = app();
    a.use((ctx) => {
      ctx.session!.message = 'hello';
      ctx.body = String(ctx.state.sid);
    });
    const res = await request(a.callback()).get('/');
    expect(res.text).toMatch(/^\d+_suffix$/);
    expect(setCookies(res)[0]).toContain(`koa.sess=${res.text};`);
    expect(shared.has(res.text)).toBe(true);
  });

  it('ks#87-#90 saved session: not accessed / unchanged / changed', async () => {
    const { app: a } = app();
    a.use((ctx) => {
      if (ctx.path === '/set') ctx.session!.message = 'hello';
      else if (ctx.path === '/check') ctx.body = String(ctx.session!.message === 'hello');
      else if (ctx.path === '/change') ctx.session!.money = '$$$';
      ctx.body ??= 'ok';
    });
    const cookie = cookieHeader(await request(a.callback()).get('/set'));
    const untouched = await request(a.callback()).get('/').set('Cookie', cookie);
    expect(untouched.headers['set-cookie']).toBeUndefined();
    const same = await request(a.callback()).get('/check').set('Cookie', cookie).expect('true');
    expect(same.headers['set-cookie']).toBeUndefined();
    const changed = await request(a.callback()).get('/change').set('Cookie', cookie);
    expect(setCookies(changed)[0]).toMatch(/^koa\.sess=/);
  });

  it('ks#91-#94 null / {} / object / anything else', async () => {
    const { app: a } = app();
    a.silent = true;
    a.use((ctx) => {
      const target = ctx as unknown as { session: unknown };
      if (ctx.path === '/null') target.session = null;
      else if (ctx.path === '/empty') target.session = {};
      else if (ctx.path === '/object') target.session = { message: 'hello' };
      else target.session = 'asdf';
      ctx.body = 'ok';
    });
    expect(setCookies(await request(a.callback()).get('/null'))[0]).toMatch(/^koa\.sess=;/);
    expect((await request(a.callback()).get('/empty')).headers['set-cookie']).toBeUndefined();
    expect(setCookies(await request(a.callback()).get('/object'))[0]).toMatch(/^koa\.sess=\d+_suffix/);
    await request(a.callback()).get('/else').expect(500);
  });

  it('ks#95-#98 inspect / length / populated / save()', async () => {
    const { app: a } = app();
    a.use(async (ctx) => {
      if (ctx.path === '/save') {
        await ctx.session!.save();
        ctx.body = 'hello';
        return;
      }
      ctx.session!.foo = 'bar';
      ctx.body = [ctx.session!.toJSON(), ctx.session!.length, ctx.session!.populated];
    });
    const res = await request(a.callback())
      .get('/')
      .expect([{ foo: 'bar' }, 1, true]);
    expect(setCookies(res)[0]).toMatch(/^koa\.sess=.+;/);
    expect(setCookies(await request(a.callback()).get('/save').expect('hello'))[0]).toMatch(/^koa\.sess=.+;/);
  });

  it('ks#99 an error downstream caught upstream still saves (default genid)', async () => {
    const a = new Koa();
    a.keys = ['a', 'b'];
    a.use(async (ctx, next) => {
      try {
        await next();
      } catch (err) {
        ctx.status = (err as { status: number }).status;
      }
    });
    a.use(session({ ContextStore: contextStoreClass() }, a));
    a.use((ctx) => {
      ctx.session!.name = 'funny';
      ctx.throw(401);
    });
    expect(setCookies(await request(a.callback()).get('/').expect(401))[0]).toMatch(/^koa\.sess=/);
  });

  it('ks#100/#101 autoCommit: false writes only when manuallyCommit() is called', async () => {
    const { app: a } = app({ autoCommit: false });
    a.use(async (ctx) => {
      ctx.session!.message = 'hi';
      if (ctx.path === '/commit') await ctx.session!.manuallyCommit();
      ctx.body = 200;
    });
    expect((await request(a.callback()).post('/').expect(200)).headers['set-cookie']).toBeUndefined();
    expect(setCookies(await request(a.callback()).post('/commit').expect(200))[0]).toMatch(/^koa\.sess=/);
  });

  it("ks#102/#103 maxAge 'session' never sends expires across several changes", async () => {
    const { app: a } = app({ maxAge: 'session' });
    a.use((ctx) => {
      ctx.session!.n = ((ctx.session!.n as number) ?? 0) + 1;
      ctx.body = `hi ${ctx.session!.n}`;
    });
    let cookie = '';
    for (const expected of ['hi 1', 'hi 2', 'hi 3']) {
      const res = await request(a.callback()).get('/').set('Cookie', cookie).expect(expected);
      expect(setCookies(res).join()).not.toContain('expires=');
      cookie = cookieHeader(res);
    }
  });

  it('ks#104 an improper maxAge string throws at startup', () => {
    expect(() => app({ maxAge: 'not the right string' })).toThrow(SessionConfigError);
    expect(() => app({ maxAge: 'not the right string' })).toThrow(/Invalid input/);
  });

  it('ks#105-#110 maxAge expiry and the maxAge accessor', async () => {
    const clock = freezeTime();
    const { app: a } = app({ maxAge: 100 });
    a.use((ctx) => {
      if (ctx.method === 'POST') ctx.session!.message = 'hi';
      if (ctx.path === '/max') {
        ctx.session!.maxAge = 200;
        ctx.body = 'ok';
        return;
      }
      ctx.body = ctx.session!.message ?? String(ctx.session!.maxAge);
    });
    const res = await request(a.callback()).post('/');
    await request(a.callback()).get('/').set('Cookie', cookieHeader(res)).expect('hi');
    clock.advance(1); // genid is Date.now(): a distinct id for the next new session
    expect(setCookies(await request(a.callback()).get('/max'))[0]).toMatch(/expires=/);
    clock.advance(100);
    await request(a.callback()).get('/').set('Cookie', cookieHeader(res)).expect('100');
    jest.restoreAllMocks();
  });

  it('ks#111 an unknown id (store returns nothing) gives a new session', async () => {
    const { app: a } = app({ signed: false });
    a.use((ctx) => {
      ctx.body = String(ctx.session!.isNew);
    });
    await request(a.callback()).get('/').set('Cookie', 'koa.sess=invalid-key').expect('true');
  });

  it('ks#113 ctx.session can be mocked', async () => {
    const { app: a } = app();
    Object.defineProperty(a.context, 'session', { value: { foo: 'bar' }, configurable: true });
    a.use((ctx) => {
      ctx.body = ctx.session;
    });
    await request(a.callback()).get('/').expect({ foo: 'bar' });
  });

  it('a new instance is constructed with ctx on each request, and takes precedence over store', async () => {
    const seen: unknown[] = [];
    const Base = contextStoreClass();
    class Tracking extends Base {
      constructor(ctx: unknown) {
        super(ctx);
        seen.push(ctx);
      }
    }
    const store = { get: jest.fn(), set: jest.fn(), destroy: jest.fn() };
    const a = createTestApp({ ContextStore: Tracking, store });
    a.use((ctx) => {
      ctx.session!.a = 1;
      ctx.body = 'ok';
    });
    const res = await request(a.callback()).get('/');
    await request(a.callback()).get('/').set('Cookie', cookieHeader(res));
    expect(seen).toHaveLength(2);
    expect(seen[0]).not.toBe(seen[1]);
    expect(store.set).not.toHaveBeenCalled();
  });
});
