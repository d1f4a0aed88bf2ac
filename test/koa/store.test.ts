/** koa-session store.test #44-#62, #71, #76: external store mode. */
import Koa from 'koa';
import { session } from 'koa-typed-session';
import { cookieHeader, createTestApp, nextEvent, request, setCookies } from './support/http';
import { JsonStore } from './support/stores';

function messageApp(store: JsonStore, opts = {}): Koa {
  const app = createTestApp({ store, ...opts });
  app.use((ctx) => {
    if (ctx.method === 'POST') {
      ctx.session!.message = 'hello';
      ctx.status = 204;
    } else if (ctx.path === '/check') {
      ctx.body = String(ctx.session!.message === 'hello');
    } else if (ctx.path === '/change') {
      ctx.session!.money = '$$$';
      ctx.body = 'changed';
    } else {
      ctx.body = 'untouched';
    }
  });
  return app;
}

describe('store mode', () => {
  it('ks#44 a value containing ";" round-trips', async () => {
    const store = new JsonStore();
    const app = createTestApp({ store });
    app.use((ctx) => {
      if (ctx.method === 'POST') {
        ctx.session!.string = ';';
        ctx.status = 204;
      } else ctx.body = ctx.session!.string;
    });
    const res = await request(app.callback()).post('/').expect(204);
    await request(app.callback()).get('/').set('Cookie', cookieHeader(res)).expect(';');
  });

  it('ks#45 (differs: options are copied, not live) changing options.store afterwards has no effect', async () => {
    const store = new JsonStore();
    const options: { store?: JsonStore } = { store };
    const app = createTestApp(options);
    app.use((ctx) => {
      if (ctx.method === 'POST') {
        ctx.session!.string = ';';
        ctx.status = 204;
      } else ctx.body = ctx.session!.isNew ? 'new session create' : ctx.session!.string;
    });
    const res = await request(app.callback()).post('/').expect(204);
    delete options.store;
    await request(app.callback()).get('/').set('Cookie', cookieHeader(res)).expect(';');
    expect(options).toEqual({});
  });

  describe('new session', () => {
    it('ks#46 not accessed: no Set-Cookie, no store call', async () => {
      const store = new JsonStore();
      const res = await request(messageApp(store).callback()).get('/').expect('untouched');
      expect(res.headers['set-cookie']).toBeUndefined();
      expect(store.calls).toEqual([]);
    });

    it('ks#47 accessed, not populated: no Set-Cookie', async () => {
      const store = new JsonStore();
      const app = createTestApp({ store });
      app.use((ctx) => {
        ctx.body = String(ctx.session!.populated);
      });
      const res = await request(app.callback()).get('/').expect('false');
      expect(res.headers['set-cookie']).toBeUndefined();
    });

    it('ks#48 populated: Set-Cookie carries the store key; the store holds the data', async () => {
      const store = new JsonStore();
      const res = await request(messageApp(store).callback()).post('/').expect(204);
      const cookie = setCookies(res)[0]!;
      const key = /^koa\.sess=([^;]+);/.exec(cookie)![1]!;
      expect(key).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      expect(store.record(key)).toEqual({ message: 'hello', _expire: expect.any(Number), _maxAge: 86_400_000 });
      expect(store.callsOf('set')[0]!.maxAge).toBe(86_400_000 + 10_000);
    });

    it('ks#49 body is the empty session: no Set-Cookie', async () => {
      const store = new JsonStore();
      const app = createTestApp({ store });
      app.use((ctx) => {
        ctx.body = ctx.session;
      });
      const res = await request(app.callback()).get('/').expect({});
      expect(res.headers['set-cookie']).toBeUndefined();
      expect(store.calls).toEqual([]);
    });
  });

  describe('saved session', () => {
    let store: JsonStore;
    let cookie: string;
    beforeEach(async () => {
      store = new JsonStore();
      cookie = cookieHeader(await request(messageApp(store).callback()).post('/'));
      store.calls.length = 0;
    });

    it('ks#50 not accessed: no Set-Cookie (the store is still read eagerly, as koa-session)', async () => {
      const res = await request(messageApp(store).callback()).get('/').set('Cookie', cookie).expect('untouched');
      expect(res.headers['set-cookie']).toBeUndefined();
      expect(store.calls.map((c) => c.op)).toEqual(['get']);
      expect(store.calls[0]!.maxAge).toBeUndefined();
    });

    it('ks#51/#52 accessed, not changed: same session, no Set-Cookie, no store write', async () => {
      const res = await request(messageApp(store).callback()).get('/check').set('Cookie', cookie).expect('true');
      expect(res.headers['set-cookie']).toBeUndefined();
      expect(store.callsOf('set')).toEqual([]);
    });

    it('ks#53 accessed and changed: Set-Cookie with the same key, store.set(changed: true)', async () => {
      const res = await request(messageApp(store).callback()).get('/change').set('Cookie', cookie).expect('changed');
      expect(setCookies(res)[0]!.split(';')[0]).toBe(cookie.split('; ')[0]);
      expect(store.callsOf('set')[0]!.options).toMatchObject({ changed: true, rolling: false });
    });

    it('ks#54 null: clearing cookie and store.destroy(key, { ctx })', async () => {
      const app = createTestApp({ store });
      app.use((ctx) => {
        ctx.session = null;
        ctx.body = String(ctx.session === null);
      });
      const res = await request(app.callback()).get('/').set('Cookie', cookie).expect(200, 'true');
      expect(setCookies(res)[0]).toMatch(/^koa\.sess=; path=\/; expires=Thu, 01 Jan 1970/);
      const destroy = store.callsOf('destroy');
      expect(destroy).toHaveLength(1);
      expect(destroy[0]!.key).toBe(/koa\.sess=([^;]+)/.exec(cookie)![1]);
      expect(destroy[0]!.options.ctx).toBeDefined();
      expect(store.data.size).toBe(0);
    });
  });

  it('ks#55 an empty object: no Set-Cookie', async () => {
    const store = new JsonStore();
    const app = createTestApp({ store });
    app.use((ctx) => {
      ctx.session = {};
      ctx.body = 'ok';
    });
    const res = await request(app.callback()).get('/');
    expect(res.headers['set-cookie']).toBeUndefined();
  });

  it('ks#56 an object: Set-Cookie', async () => {
    const store = new JsonStore();
    const app = createTestApp({ store });
    app.use((ctx) => {
      ctx.session = { message: 'hello' };
      ctx.body = 'ok';
    });
    const res = await request(app.callback()).get('/');
    expect(setCookies(res)[0]).toMatch(/^koa\.sess=/);
  });

  it('ks#57 anything else: 500', async () => {
    const app = createTestApp({ store: new JsonStore() });
    app.silent = true;
    app.use((ctx) => {
      (ctx as unknown as { session: unknown }).session = 'asdf';
    });
    await request(app.callback()).get('/').expect(500);
  });

  it('ks#58-#61 inspect, length, populated and save() work with a store', async () => {
    const store = new JsonStore();
    const app = createTestApp({ store });
    app.use(async (ctx) => {
      if (ctx.path === '/save') {
        await ctx.session!.save();
        ctx.body = 'hello';
        return;
      }
      ctx.session!.foo = 'bar';
      ctx.body = { json: ctx.session!.toJSON(), length: ctx.session!.length, populated: ctx.session!.populated };
    });
    const res = await request(app.callback())
      .get('/')
      .expect({ json: { foo: 'bar' }, length: 1, populated: true });
    expect(setCookies(res)[0]).toMatch(/^koa\.sess=.+;/);
    const saved = await request(app.callback()).get('/save').expect('hello');
    expect(setCookies(saved)[0]).toMatch(/^koa\.sess=.+;/);
    expect(store.callsOf('set')[1]!.options.changed).toBe(false);
  });

  it('ks#61 save() not awaited still reaches the response (commits are serialised)', async () => {
    const store = new JsonStore();
    const app = createTestApp({ store, genid: async () => 'async-id' });
    app.use((ctx) => {
      void ctx.session!.save();
      ctx.body = 'hello';
    });
    const res = await request(app.callback()).get('/').expect('hello');
    expect(setCookies(res)[0]).toMatch(/^koa\.sess=async-id;/);
    expect(store.callsOf('set')).toHaveLength(1);
  });

  it('ks#62 an error thrown downstream and caught upstream still saves the session', async () => {
    const store = new JsonStore();
    const app = new Koa();
    app.keys = ['a', 'b'];
    app.use(async (ctx, next) => {
      try {
        await next();
      } catch (err) {
        ctx.status = (err as { status: number }).status;
      }
    });
    app.use(session({ store }, app));
    app.use((ctx) => {
      ctx.session!.name = 'funny';
      ctx.throw(401);
    });
    const res = await request(app.callback()).get('/').expect(401);
    expect(setCookies(res)[0]).toMatch(/^koa\.sess=/);
  });

  // An id of the default genid's shape (uuid): one of another shape is never asked of the store.
  const UNKNOWN_ID = '6f1c2f0e-3c1a-4b8e-9d7a-0e5b4c3d2a19';

  it('ks#71 an unknown store id: new session under a fresh id, session:missed', async () => {
    const store = new JsonStore();
    const app = createTestApp({ store, signed: false });
    const missed = nextEvent(app, 'session:missed');
    app.use((ctx) => {
      ctx.session!.a = 1;
      ctx.body = `${ctx.session!.isNew} ${ctx.sessionId === UNKNOWN_ID}`;
    });
    const res = await request(app.callback()).get('/').set('Cookie', `koa.sess=${UNKNOWN_ID}`).expect('true false');
    const event = await missed;
    expect(event.key).toBe(UNKNOWN_ID);
    expect(event.ctx).toBeDefined();
    expect(setCookies(res)[0]).not.toContain(UNKNOWN_ID);
    expect(store.data.has(UNKNOWN_ID)).toBe(false);
  });

  it('ks#76 prefix is prepended to generated ids', async () => {
    const store = new JsonStore();
    const app = createTestApp({ store, prefix: 'sess:' });
    app.use((ctx) => {
      if (ctx.method === 'POST') {
        ctx.session!.string = ';';
        ctx.status = 204;
      } else ctx.body = ctx.session!.string;
    });
    const res = await request(app.callback()).post('/').expect(204);
    expect(setCookies(res)[0]).toMatch(/^koa\.sess=sess:[0-9a-f-]{36};/);
    await request(app.callback()).get('/').set('Cookie', cookieHeader(res)).expect(';');
  });

  it('genid receives ctx and is ignored-prefix when given', async () => {
    const store = new JsonStore();
    const genid = jest.fn((ctx: { path: string }) => `id-${ctx.path.slice(1)}`);
    const app = createTestApp({ store, prefix: 'ignored:', genid });
    app.use((ctx) => {
      ctx.session!.a = 1;
      ctx.body = ctx.sessionId;
    });
    await request(app.callback()).get('/x').expect('id-x');
  });
});
