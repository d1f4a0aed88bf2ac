/** koa-session cookie.test #35, store.test #70 and the fixation fixes around store ids. */
import type Koa from 'koa';
import { cookieHeader, createTestApp, request, setCookies } from './support/http';
import { JsonStore } from './support/stores';

function idOf(res: { headers: Record<string, unknown> }): string {
  return /^koa\.sess=([^;]*)/.exec(setCookies(res)[0]!)![1]!;
}

function regenerateApp(app: Koa): Koa {
  app.use(async (ctx, next) => {
    ctx.session = { message: 'hi' };
    if ((ctx.get('Cookie') ?? '').includes('koa.sess')) await ctx.session!.regenerate();
    await next();
  });
  app.use((ctx) => {
    ctx.body = ctx.session!.message;
  });
  return app;
}

describe('regenerate()', () => {
  afterEach(() => jest.restoreAllMocks());

  it('ks#35 cookie mode: a new cookie with the same content', async () => {
    let now = 1_000_000;
    jest.spyOn(Date, 'now').mockImplementation(() => now);
    const app = regenerateApp(createTestApp());
    const first = await request(app.callback()).get('/').expect('hi');
    now += 1000;
    const second = await request(app.callback()).get('/').set('Cookie', cookieHeader(first)).expect('hi');
    expect(setCookies(second)[0]).toMatch(/^koa\.sess=/);
    expect(setCookies(second).join(';')).not.toBe(setCookies(first).join(';'));
  });

  it('ks#70 store mode: a new key, the same content, the old record destroyed', async () => {
    const store = new JsonStore();
    const app = regenerateApp(createTestApp({ store }));
    const first = await request(app.callback()).get('/').expect('hi');
    const second = await request(app.callback()).get('/').set('Cookie', cookieHeader(first)).expect('hi');
    expect(idOf(second)).not.toBe(idOf(first));
    expect([...store.data.keys()]).toEqual([idOf(second)]);
    expect(store.record(idOf(second))).toMatchObject({ message: 'hi' });
  });

  it('(differs: koa-session destroys first) writes the new record before destroying the old one', async () => {
    const store = new JsonStore();
    const app = regenerateApp(createTestApp({ store }));
    const first = await request(app.callback()).get('/');
    store.calls.length = 0;
    await request(app.callback()).get('/').set('Cookie', cookieHeader(first));
    expect(store.calls.map((c) => `${c.op}:${c.key === idOf(first) ? 'old' : 'new'}`)).toEqual([
      'get:old',
      'set:new',
      'destroy:old',
    ]);
  });

  it('(differs: koa-session destroys a never-stored id) on a first visit it destroys nothing', async () => {
    const store = new JsonStore();
    const app = createTestApp({ store });
    app.use(async (ctx) => {
      ctx.session!.a = 1;
      await ctx.session!.regenerate();
      ctx.body = 'ok';
    });
    await request(app.callback()).get('/');
    expect(store.calls.map((c) => c.op)).toEqual(['set']);
  });

  it('(differs: koa-session reports the old id) externalKey and ctx.sessionId are the new id after regenerate()', async () => {
    const store = new JsonStore();
    const app = createTestApp({ store });
    app.use(async (ctx) => {
      if (ctx.path === '/login') {
        const before = ctx.sessionId;
        await ctx.session!.regenerate();
        ctx.body = { before, after: ctx.sessionId, external: ctx.session!.externalKey };
        return;
      }
      ctx.session!.a = 1;
      ctx.body = {};
    });
    const first = await request(app.callback()).get('/');
    const res = await request(app.callback()).get('/login').set('Cookie', cookieHeader(first));
    const body = res.body as { before: string; after: string; external: string };
    expect(body.before).toBe(idOf(first));
    expect(body.after).toBe(idOf(res));
    expect(body.external).toBe(idOf(res));
    expect(body.after).not.toBe(body.before);
  });

  it('regenerate(callback) calls back after the new id is saved', async () => {
    const store = new JsonStore();
    const app = createTestApp({ store });
    app.use(async (ctx) => {
      ctx.session!.a = 1;
      await new Promise<void>((resolve, reject) => {
        const returned = ctx.session!.regenerate((err?: unknown) => (err ? reject(err) : resolve()));
        expect(returned).toBeUndefined();
      });
      ctx.body = String(store.data.has(ctx.sessionId!));
    });
    await request(app.callback()).get('/').expect('true');
  });

  it('regenerate() followed by auto-commit writes once', async () => {
    const store = new JsonStore();
    const app = createTestApp({ store });
    app.use(async (ctx) => {
      ctx.session!.a = 1;
      await ctx.session!.regenerate();
      ctx.body = 'ok';
    });
    await request(app.callback()).get('/');
    expect(store.callsOf('set')).toHaveLength(1);
  });

  it('(differs: koa-session keeps the old id) ctx.session = null then an object saves under a new id and destroys the old', async () => {
    const store = new JsonStore();
    const app = createTestApp({ store });
    app.use((ctx) => {
      if (ctx.path === '/reset') {
        ctx.session = null;
        ctx.session = { user: 'new' };
      } else ctx.session!.user = 'old';
      ctx.body = 'ok';
    });
    const first = await request(app.callback()).get('/');
    const second = await request(app.callback()).get('/reset').set('Cookie', cookieHeader(first));
    expect(idOf(second)).not.toBe(idOf(first));
    expect(store.data.has(idOf(first))).toBe(false);
    expect(store.record(idOf(second))).toMatchObject({ user: 'new' });
  });
});
