/** koa-session store.test #63-#69, #80: maxAge, TTLs and early access with a store. */
import Koa from 'koa';
import { session } from 'koa-typed-session';
import { cookieHeader, createTestApp, freezeTime, nextEvent, request, setCookies, sleep } from './support/http';
import { JsonStore } from './support/stores';

function messageApp(app: Koa): Koa {
  app.use((ctx) => {
    if (ctx.method === 'POST') ctx.session!.message = 'hi';
    ctx.body = ctx.session!.message ?? '';
  });
  return app;
}

describe('store mode: maxAge', () => {
  afterEach(() => jest.restoreAllMocks());

  it("ks#63 'session': no expires, the store gets the TTL 'session' and _session", async () => {
    const store = new JsonStore();
    const app = messageApp(createTestApp({ store, maxAge: 'session' }));
    const res = await request(app.callback()).post('/');
    expect(setCookies(res).join()).not.toContain('expires=');
    const set = store.callsOf('set')[0]!;
    expect(set.maxAge).toBe('session');
    expect(set.sess).toEqual({ message: 'hi', _session: true });
    await request(app.callback()).get('/').set('Cookie', cookieHeader(res)).expect('hi');
    expect(store.callsOf('get')[0]!.maxAge).toBe('session');
  });

  it('ks#64 not expired before maxAge', async () => {
    const clock = freezeTime();
    const app = messageApp(createTestApp({ store: new JsonStore(), maxAge: 100 }));
    const res = await request(app.callback()).post('/');
    clock.advance(99);
    await request(app.callback()).get('/').set('Cookie', cookieHeader(res)).expect('hi');
  });

  it('ks#65 expired after maxAge: session:expired with the key, the value and ctx', async () => {
    const store = new JsonStore();
    const app = messageApp(createTestApp({ store, maxAge: 100 }));
    const res = await request(app.callback()).post('/');
    await sleep(200);
    const expired = nextEvent(app, 'session:expired');
    await request(app.callback()).get('/').set('Cookie', cookieHeader(res)).expect('');
    const event = await expired;
    expect(event.key).toMatch(/^\w+-/);
    expect(event.value).toMatchObject({ message: 'hi', _maxAge: 100 });
    expect(event.ctx).toBeDefined();
    expect(event.reason).toBe('expired');
  });

  it('the TTL handed to store.set is maxAge + 10 s', async () => {
    freezeTime();
    const store = new JsonStore();
    const app = messageApp(createTestApp({ store, maxAge: 5000 }));
    await request(app.callback()).post('/');
    expect(store.callsOf('set')[0]!.maxAge).toBe(15_000);
    expect(store.callsOf('set')[0]!.sess).toEqual({ message: 'hi', _expire: Date.now() + 5000, _maxAge: 5000 });
  });

  it('ks#66-#69 ctx.session.maxAge get/set with a store', async () => {
    const store = new JsonStore();
    const app = createTestApp({ store, maxAge: 100 });
    app.use((ctx) => {
      if (ctx.path === '/get') ctx.body = String(ctx.session!.maxAge);
      else if (ctx.path === '/set') {
        ctx.session!.foo = 'bar';
        ctx.session!.maxAge = 200;
        ctx.body = 'ok';
      } else if (ctx.path === '/only') {
        ctx.session!.maxAge = 300;
        ctx.body = 'ok';
      } else {
        ctx.session = { maxAge: 400 };
        ctx.body = 'ok';
      }
    });
    await request(app.callback()).get('/get').expect('100');
    for (const path of ['/set', '/only', '/assign']) {
      const res = await request(app.callback()).get(path);
      expect(setCookies(res)[0]).toMatch(/expires=/);
    }
    expect(store.callsOf('set').map((c) => c.maxAge)).toEqual([10_200, 10_300, 10_400]);
  });

  it('ks#80 a session read before the middleware is replaced by the loaded one', async () => {
    const store = new JsonStore();
    const app = new Koa();
    app.keys = ['a', 'b'];
    app.use(async (ctx, next) => {
      ctx.session!.foo = '123';
      await next();
    });
    app.use(session({ store }, app));
    app.use((ctx) => {
      if (ctx.path === '/set') ctx.session = { foo: 'bar' };
      ctx.body = ctx.session;
    });
    await request(app.callback()).get('/').expect({});
    const set = await request(app.callback()).get('/set').expect({ foo: 'bar' });
    await request(app.callback()).get('/').set('Cookie', cookieHeader(set)).expect({ foo: 'bar' });
  });
});
