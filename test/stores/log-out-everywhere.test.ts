import Koa from 'koa';
import Redis from 'ioredis';
import request from 'supertest';
import { destroyAllSessionsOf, MemoryStore, session, SessionConfigError, type SessionStore } from 'koa-typed-session';
import { RedisStore } from 'koa-typed-session/redis';
import { cookieHeader } from '../helpers/app';
import { uniquePrefix, useRedis } from '../helpers/redis';

/** login?user=X, whoami, logout-everywhere, and a slow write that races a logout. */
function createApp(store: SessionStore, onError?: (err: unknown) => void): Koa {
  const app = new Koa();
  app.keys = ['k'];
  app.silent = true;
  if (onError) app.on('error', onError);
  app.use(session({ store, maxAge: 60_000 }, app));
  app.use(async (ctx) => {
    if (ctx.path === '/login') {
      ctx.session!.userId = String(ctx.query.user);
    } else if (ctx.path === '/logout-everywhere') {
      ctx.body = { destroyed: await destroyAllSessionsOf(ctx, ctx.session!.userId) };
      ctx.session = null;
      return;
    } else if (ctx.path === '/slow-write') {
      await new Promise((r) => setTimeout(r, 200));
      ctx.session!.late = true;
    }
    ctx.body = { userId: ctx.session!.userId ?? null, late: ctx.session!.late ?? null };
  });
  return app;
}

async function login(app: Koa, user: string): Promise<string> {
  return cookieHeader(await request(app.callback()).get(`/login?user=${user}`).expect(200));
}

async function whoami(app: Koa, cookie: string): Promise<unknown> {
  return (await request(app.callback()).get('/whoami').set('Cookie', cookie).expect(200)).body.userId;
}

describe('log out everywhere', () => {
  let redis: { url: string; close(): Promise<void> };
  let raw: Redis;
  const redisStores: RedisStore[] = [];
  const prefix = uniquePrefix('log-out-everywhere');

  beforeAll(async () => {
    redis = await useRedis();
    raw = new Redis(redis.url);
  });

  afterAll(async () => {
    await Promise.all(redisStores.map((s) => s?.quit()));
    raw?.disconnect();
    await redis?.close();
  });

  const makeRedis = (name: string): RedisStore => {
    const store = new RedisStore({ url: redis.url, prefix: `${prefix}${name}:`, userField: 'userId' });
    redisStores.push(store);
    return store;
  };

  describe.each([
    ['MemoryStore', (): SessionStore => new MemoryStore({ userField: 'userId' })],
    ['RedisStore', (): SessionStore => makeRedis('each')],
  ])('%s', (_name, makeStore) => {
    it("destroys every session of the user, on every device, and no one else's", async () => {
      const app = createApp(makeStore());
      const phone = await login(app, 'ann');
      const laptop = await login(app, 'ann');
      const tablet = await login(app, 'ann');
      const bob = await login(app, 'bob');
      expect(await whoami(app, laptop)).toBe('ann');
      const res = await request(app.callback()).get('/logout-everywhere').set('Cookie', phone).expect(200);
      expect(res.body).toEqual({ destroyed: 3 });
      expect(await whoami(app, laptop)).toBeNull();
      expect(await whoami(app, tablet)).toBeNull();
      expect(await whoami(app, bob)).toBe('bob');
    });

    it('a request in flight on a destroyed session does not bring it back', async () => {
      const app = createApp(makeStore());
      const laptop = await login(app, 'carl');
      const phone = await login(app, 'carl');
      // `.then` sends the request now (supertest is lazy); it loads the session, then waits.
      const slow = request(app.callback())
        .get('/slow-write')
        .set('Cookie', laptop)
        .then((r) => r);
      await new Promise((r) => setTimeout(r, 50));
      await request(app.callback()).get('/logout-everywhere').set('Cookie', phone).expect(200);
      expect((await slow).status).toBe(200);
      // Not even a fragment holding the late write: the record stays gone.
      const after = await request(app.callback()).get('/whoami').set('Cookie', laptop).expect(200);
      expect(after.body).toEqual({ userId: null, late: null });
    });
  });

  it('RedisStore keeps a per-user index that lives at least as long as the sessions', async () => {
    const store = makeRedis('index');
    const app = createApp(store);
    const cookie = await login(app, 'dora');
    const indexKey = `${prefix}index:user:dora`;
    expect(await raw.zcard(indexKey)).toBe(1);
    const [member] = await raw.zrange(indexKey, 0, -1);
    expect(await raw.pttl(indexKey)).toBeGreaterThanOrEqual((await raw.pttl(member!)) - 50);
    // Logging out of one device removes it from the index.
    const destroyApp = new Koa();
    destroyApp.keys = ['k'];
    destroyApp.use(session({ store }, destroyApp));
    destroyApp.use((ctx) => {
      ctx.session = null;
      ctx.body = 'bye';
    });
    await request(destroyApp.callback()).get('/').set('Cookie', cookie).expect(200);
    expect(await raw.exists(member!)).toBe(0);
    expect(await raw.zcard(indexKey)).toBe(0);
  });

  it('RedisStore never destroys a session that changed hands since it was indexed', async () => {
    const store = makeRedis('stale');
    await store.set('s1', { userId: 'eve', _session: true }, 60_000);
    await store.patch('s1', { set: { userId: 'fay' }, unset: [] }, 60_000);
    expect(await store.destroyAllOf('eve')).toBe(0);
    expect(await store.get('s1')).toEqual({ userId: 'fay', _session: true });
    expect(await store.destroyAllOf('fay')).toBe(1);
  });

  it('fails clearly when the store lacks the capability (SessionConfigError, no store call)', async () => {
    const errors: unknown[] = [];
    const plain = new MemoryStore();
    const setOnly: SessionStore = {
      get: (k) => plain.get(k),
      set: (k, s, m) => plain.set(k, s, m),
      destroy: (k) => plain.destroy(k),
    };
    for (const store of [setOnly, plain, new RedisStore({ client: raw })]) {
      const app = createApp(store, (err) => errors.push(err));
      const cookie = await login(app, 'gus');
      await request(app.callback()).get('/logout-everywhere').set('Cookie', cookie).expect(500);
    }
    expect(errors).toHaveLength(3);
    for (const err of errors) expect(err).toBeInstanceOf(SessionConfigError);
    expect(String((errors[0] as Error).message)).toMatch(/koa-typed-session: option `store` has no destroyAllOf/);
    expect(String((errors[1] as Error).message)).toMatch(/MemoryStore.userField/);
    expect(String((errors[2] as Error).message)).toMatch(/RedisStore.userField/);
  });
});
