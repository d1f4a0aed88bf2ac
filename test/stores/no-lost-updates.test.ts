import Koa from 'koa';
import request from 'supertest';
import { MemoryStore, session, type SessionStore } from 'koa-typed-session';
import { RedisStore } from 'koa-typed-session/redis';
import { cookieHeader } from '../helpers/app';
import { uniquePrefix, useRedis } from '../helpers/redis';

const WRITERS = 50;

/** One session, then 50 requests in parallel, each setting its own key while the others run. */
async function parallelWriters(store: SessionStore): Promise<string[]> {
  const app = new Koa();
  app.keys = ['k'];
  app.use(session({ store }, app));
  app.use(async (ctx) => {
    if (ctx.path === '/init') {
      ctx.session!.owner = 'ann';
    } else if (ctx.path.startsWith('/set/')) {
      // Every request has loaded the session before any of them commits.
      await new Promise((r) => setTimeout(r, 30));
      ctx.session![`k${ctx.path.slice(5)}`] = true;
    }
    ctx.body = Object.keys(ctx.session!.toJSON());
  });
  const server = app.listen(0, '127.0.0.1');
  try {
    const init = await request(server).get('/init').expect(200);
    const cookie = cookieHeader(init);
    const writes = Array.from({ length: WRITERS }, (_, i) => request(server).get(`/set/${i}`).set('Cookie', cookie));
    for (const res of await Promise.all(writes)) expect(res.status).toBe(200);
    const read = await request(server).get('/read').set('Cookie', cookie).expect(200);
    return read.body as string[];
  } finally {
    server.close();
  }
}

const expected = ['owner', ...Array.from({ length: WRITERS }, (_, i) => `k${i}`)].sort();

/** A koa-session-style store with only get/set/destroy: every request writes the whole session back. */
function setOnly(inner: MemoryStore): SessionStore {
  return {
    get: (key) => inner.get(key),
    set: (key, sess, maxAge) => inner.set(key, sess, maxAge),
    destroy: (key) => inner.destroy(key),
  };
}

describe('no lost updates: 50 parallel requests on one session, each setting its own key', () => {
  let redis: { url: string; close(): Promise<void> };
  let redisStore: RedisStore;

  beforeAll(async () => {
    redis = await useRedis();
    redisStore = new RedisStore({ url: redis.url, prefix: uniquePrefix('no-lost-updates') });
  });

  afterAll(async () => {
    await redisStore?.quit();
    await redis?.close();
  });

  it('keeps all 50 keys with MemoryStore (patch merges only the changed keys)', async () => {
    expect((await parallelWriters(new MemoryStore())).sort()).toEqual(expected);
  });

  it('keeps all 50 keys with RedisStore (an atomic Lua merge on the real redis-server)', async () => {
    expect((await parallelWriters(redisStore)).sort()).toEqual(expected);
  });

  it('loses updates with a set-only store: the test can fail (last writer wins)', async () => {
    const keys = await parallelWriters(setOnly(new MemoryStore()));
    expect(keys).toContain('owner');
    // Each request wrote back the session it loaded plus its own key: only one key survives.
    expect(keys.length).toBeLessThan(expected.length);
    expect(keys.filter((k) => k.startsWith('k')).length).toBeLessThan(WRITERS);
  });
});
