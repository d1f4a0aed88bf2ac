/** koa-session cookie.test #39, store.test #72, contextstore.test #112: `valid` and `beforeSave`, sync and async. */
import type Koa from 'koa';
import { type KoaSessionOptions } from 'koa-typed-session';
import { cookieHeader, cookieValue, createTestApp, nextEvent, request } from './support/http';
import { contextStoreClass, JsonStore } from './support/stores';

function uidApp(opts: KoaSessionOptions): Koa {
  const app = createTestApp(opts);
  app.use((ctx) => {
    ctx.session!.foo ??= Math.random();
    ctx.body = ctx.session;
  });
  return app;
}

const modes: Array<[string, () => KoaSessionOptions]> = [
  ['cookie', () => ({})],
  ['store', () => ({ store: new JsonStore() })],
  ['ContextStore', () => ({ ContextStore: contextStoreClass() })],
];

describe.each(modes)('valid and beforeSave (%s mode)', (_mode, base) => {
  const hooks = (async: boolean): KoaSessionOptions => ({
    valid: (ctx, sess) => {
      const ok = ctx.cookies.get('uid') === sess.uid;
      return async ? Promise.resolve(ok) : ok;
    },
    beforeSave: (ctx, sess) => {
      sess.uid = ctx.cookies.get('uid');
      return async ? Promise.resolve() : undefined;
    },
  });

  it.each([false, true])('ks#39/#72/#112 ignores the session when the uid changed (async hooks: %s)', async (async) => {
    const app = uidApp({ ...base(), ...hooks(async) });
    const invalid = nextEvent(app, 'session:invalid');
    const first = await request(app.callback()).get('/').set('Cookie', 'uid=123').expect(200);
    const body = first.body as { foo: number; uid: string };
    expect(body.uid).toBe('123');
    const cookie = cookieHeader(first);
    await request(app.callback()).get('/').set('Cookie', `${cookie}; uid=123`).expect(200, body);
    const other = await request(app.callback()).get('/').set('Cookie', `${cookie}; uid=456`).expect(200);
    expect((other.body as { uid: string }).uid).toBe('456');
    expect((other.body as { foo: number }).foo).not.toBe(body.foo);
    const event = await invalid;
    expect(event.value).toMatchObject({ uid: '123' });
    expect(event.ctx).toBeDefined();
    expect(event.reason).toBe('valid-hook');
  });
});

describe('hooks details', () => {
  it('valid receives the raw payload including _expire and _maxAge', async () => {
    const valid = jest.fn(() => true);
    const app = uidApp({ valid });
    const first = await request(app.callback()).get('/');
    await request(app.callback()).get('/').set('Cookie', cookieHeader(first));
    expect(valid).toHaveBeenCalledWith(
      expect.anything(),
      expect.objectContaining({ _expire: expect.any(Number), _maxAge: 86_400_000 }),
    );
  });

  it('(differs: awaited) an async beforeSave may change the data before it is written', async () => {
    const app = createTestApp({
      beforeSave: async (_ctx, sess) => {
        await new Promise((r) => setTimeout(r, 5));
        sess.stamped = true;
      },
    });
    app.use((ctx) => {
      ctx.session!.a = 1;
      ctx.body = 'ok';
    });
    const res = await request(app.callback()).get('/');
    const value = cookieValue(res)!;
    expect(JSON.parse(Buffer.from(value, 'base64').toString())).toMatchObject({ a: 1, stamped: true });
  });

  it('beforeSave is not called when nothing is saved, nor on removal (as koa-session)', async () => {
    const beforeSave = jest.fn();
    const app = createTestApp({ beforeSave });
    app.use((ctx) => {
      if (ctx.path === '/null') ctx.session = null;
      else void ctx.session;
      ctx.body = 'ok';
    });
    await request(app.callback()).get('/');
    await request(app.callback()).get('/null');
    expect(beforeSave).not.toHaveBeenCalled();
  });

  it('(differs: awaited) an async genid names the store record', async () => {
    const store = new JsonStore();
    const app = createTestApp({ store, genid: async () => new Promise((r) => setTimeout(() => r('async-id'), 5)) });
    app.use((ctx) => {
      ctx.session!.a = 1;
      ctx.body = ctx.sessionId;
    });
    await request(app.callback()).get('/').expect('async-id');
    expect(store.data.has('async-id')).toBe(true);
  });

  it('a genid returning a non-string fails the request with a SessionStateError (500)', async () => {
    const app = createTestApp({ store: new JsonStore(), genid: (() => 42) as unknown as () => string });
    app.silent = true;
    const errored = new Promise<Error>((resolve) => app.on('error', resolve));
    app.use((ctx) => {
      ctx.body = 'ok';
    });
    await request(app.callback()).get('/').expect(500);
    expect((await errored).message).toMatch(/^koa-typed-session: genid must return a non-empty string/);
  });

  it('a throwing valid() fails the request (a bug in the app, not bad input)', async () => {
    const app = createTestApp({
      valid: () => {
        throw new Error('valid bug');
      },
    });
    app.silent = true;
    app.use((ctx) => {
      ctx.session!.a = 1;
      ctx.body = 'ok';
    });
    const first = await request(
      createTestApp()
        .use((ctx) => ((ctx.session!.a = 1), (ctx.body = 'ok')))
        .callback(),
    ).get('/');
    await request(app.callback()).get('/').set('Cookie', cookieHeader(first)).expect(500);
  });
});
