import Koa from 'koa';
import Redis from 'ioredis';
import koaSession from 'koa-session';
import request from 'supertest';
import { session, type SessionStore } from 'koa-typed-session';
import { RedisStore } from 'koa-typed-session/redis';
import { cookieHeader } from '../helpers/app';
import { uniquePrefix, useRedis } from '../helpers/redis';

/** koa-redis 4 ships no types: the part of it these tests use. */
interface KoaRedisStore extends SessionStore {
  quit(): Promise<void>;
}
// eslint-disable-next-line @typescript-eslint/no-require-imports
const koaRedis = require('koa-redis') as (options: { url: string }) => KoaRedisStore;

type Middleware = (options: Record<string, unknown>, app: Koa) => Koa.Middleware;

/** The seed's multi-API app (/set, /get, /destroy), on either middleware and either store. */
function createApp(
  middleware: Middleware,
  store: SessionStore,
  prefix: string,
  maxAge: number | 'session' = 86_400_000,
): Koa {
  const app = new Koa();
  app.keys = ['your-secret-key'];
  app.use(middleware({ key: 'koa:sess', maxAge, rolling: true, store, prefix }, app));
  app.use((ctx) => {
    const sess = ctx.session as Record<string, unknown> | null;
    if (ctx.path === '/set') {
      sess!.user = String(ctx.query.user ?? 'JohnDoe');
      sess!.tags = [];
      ctx.body = 'Session is set!';
    } else if (ctx.path === '/add') {
      sess![String(ctx.query.k)] = true;
      ctx.body = 'added';
    } else if (ctx.path === '/get') {
      ctx.body = { user: sess!.user ?? null, tags: sess!.tags ?? null, extra: sess!.extra ?? null };
    } else if (ctx.path === '/destroy') {
      ctx.session = null;
      ctx.body = 'Session destroyed!';
    }
  });
  return app;
}

const ours = session as unknown as Middleware;
const theirs = koaSession as unknown as Middleware;

describe('koa-redis compatibility: records move between koa-session + koa-redis and koa-typed-session', () => {
  let redis: { url: string; close(): Promise<void> };
  let raw: Redis;
  let legacyStore: KoaRedisStore;
  let store: RedisStore;
  // koa-redis has no key prefix: keys are the session ids, so both sides use one id prefix.
  const prefix = uniquePrefix('koa-redis');

  beforeAll(async () => {
    redis = await useRedis();
    raw = new Redis(redis.url);
    legacyStore = koaRedis({ url: redis.url });
    store = new RedisStore({ url: redis.url });
  });

  afterAll(async () => {
    await legacyStore?.quit();
    await store?.quit();
    raw?.disconnect();
    await redis?.close();
  });

  it('a session written by koa-session + koa-redis is read, patched and destroyed after the switch', async () => {
    const before = createApp(theirs, legacyStore, prefix);
    const after = createApp(ours, store, prefix);
    const cookie = cookieHeader(await request(before.callback()).get('/set?user=ann').expect(200));
    const id = /koa:sess=([^;]+)/.exec(cookie)![1]!;
    expect(id.startsWith(prefix)).toBe(true);
    expect(await raw.get(id)).toMatch(/^\{"user":"ann","tags":\[\],"_expire":\d+,"_maxAge":86400000\}$/);

    expect((await request(after.callback()).get('/get').set('Cookie', cookie).expect(200)).body).toEqual({
      user: 'ann',
      tags: [],
      extra: null,
    });
    await request(after.callback()).get('/add?k=extra').set('Cookie', cookie).expect(200);
    // Our patch kept koa-redis's format: koa-session + koa-redis read it back, `[]` still an array.
    expect((await request(before.callback()).get('/get').set('Cookie', cookie).expect(200)).body).toEqual({
      user: 'ann',
      tags: [],
      extra: true,
    });
    await request(after.callback()).get('/destroy').set('Cookie', cookie).expect(200);
    expect(await raw.exists(id)).toBe(0);
  });

  it('a session written by koa-typed-session is read by koa-session + koa-redis (switching back)', async () => {
    const ourApp = createApp(ours, store, prefix);
    const theirApp = createApp(theirs, legacyStore, prefix);
    const cookie = cookieHeader(await request(ourApp.callback()).get('/set?user=bob').expect(200));
    const id = /koa:sess=([^;]+)/.exec(cookie)![1]!;
    const pttl = await raw.pttl(id);
    expect(pttl).toBeGreaterThan(86_400_000); // maxAge + 10 s, as koa-session asks, in ms (PX)
    expect(pttl).toBeLessThanOrEqual(86_410_000);
    expect((await request(theirApp.callback()).get('/get').set('Cookie', cookie).expect(200)).body).toEqual({
      user: 'bob',
      tags: [],
      extra: null,
    });
    await request(theirApp.callback()).get('/destroy').set('Cookie', cookie).expect(200);
    expect((await request(ourApp.callback()).get('/get').set('Cookie', cookie).expect(200)).body).toEqual({
      user: null,
      tags: null,
      extra: null,
    });
  });

  it('RedisStore works as a koa-session store, including browser-session cookies (koa-redis fails those)', async () => {
    const app = createApp(theirs, store, prefix, 'session');
    const cookie = cookieHeader(await request(app.callback()).get('/set?user=cyd').expect(200));
    const id = /koa:sess=([^;]+)/.exec(cookie)![1]!;
    expect(await raw.pttl(id)).toBeGreaterThan(86_000_000); // the 'session' TTL became sessionTtl (1 day)
    expect((await request(app.callback()).get('/get').set('Cookie', cookie).expect(200)).body).toEqual({
      user: 'cyd',
      tags: [],
      extra: null,
    });
    await request(app.callback()).get('/destroy').set('Cookie', cookie).expect(200);
    expect(await raw.exists(id)).toBe(0);

    const legacy = createApp(theirs, legacyStore, prefix, 'session');
    legacy.silent = true;
    await request(legacy.callback()).get('/set').expect(500); // koa-redis: SETEX with TTL 'session'
  });

  it('koa-redis works as a koa-typed-session store (no patch capability: full writes)', async () => {
    const app = createApp(ours, legacyStore, prefix);
    const cookie = cookieHeader(await request(app.callback()).get('/set?user=dee').expect(200));
    await request(app.callback()).get('/add?k=extra').set('Cookie', cookie).expect(200);
    expect((await request(app.callback()).get('/get').set('Cookie', cookie).expect(200)).body).toEqual({
      user: 'dee',
      tags: [],
      extra: true,
    });
  });
});
