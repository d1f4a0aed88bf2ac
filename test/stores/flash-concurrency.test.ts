/**
 * Flash messages and parallel requests of one session: a message is received by one request only,
 * and a message set by one request survives a parallel one consuming others.
 */
import Koa from 'koa';
import request from 'supertest';
import { MemoryStore, session, type KoaSessionOptions, type SessionStore } from 'koa-typed-session';
import { RedisStore } from 'koa-typed-session/redis';
import { cookieHeader } from '../helpers/app';
import { uniquePrefix, useRedis } from '../helpers/redis';

const READERS = 20;

/** `/set/<name>` sets a message; `/read` waits until every parallel reader has loaded, then reads. */
function app(options: KoaSessionOptions): Koa {
  const koa = new Koa();
  koa.keys = ['k'];
  koa.use(session(options, koa));
  koa.use(async (ctx) => {
    const [, action = '', name = ''] = ctx.path.split('/');
    // Every request has loaded the session before any of them reads or commits.
    if (action !== 'init') await new Promise((r) => setTimeout(r, 40));
    if (action === 'init' || action === 'set') ctx.flash.set(name, `value of ${name}`);
    if (action === 'read') ctx.body = await ctx.flash.all();
    else ctx.body = {};
  });
  return koa;
}

/** Sets `notice`, then runs READERS parallel readers plus one parallel writer of `later`. */
async function race(options: KoaSessionOptions): Promise<{ received: number; later: unknown }> {
  const server = app(options).listen(0, '127.0.0.1');
  try {
    const cookie = cookieHeader(await request(server).get('/init/notice').expect(200));
    const readers = Array.from({ length: READERS }, () => request(server).get('/read').set('Cookie', cookie));
    const writer = request(server).get('/set/later').set('Cookie', cookie);
    const [answers] = await Promise.all([Promise.all(readers), writer]);
    const received = answers.filter((res) => (res.body as { notice?: string }).notice === 'value of notice').length;
    // A reader may have received `later` too, if the writer committed before it read: count both.
    const laterSeen = answers.filter((res) => 'later' in (res.body as object)).length;
    const after = (await request(server).get('/read').set('Cookie', cookie)).body as Record<string, unknown>;
    return { received, later: laterSeen > 0 ? 'received in the race' : after.later };
  } finally {
    server.close();
  }
}

describe('flash messages under parallel requests of one session', () => {
  let redis: { url: string; close(): Promise<void> };
  let redisStore: RedisStore;

  beforeAll(async () => {
    redis = await useRedis();
    redisStore = new RedisStore({ url: redis.url, prefix: uniquePrefix('flash-race') });
  });

  afterAll(async () => {
    await redisStore?.quit(); // undefined when setup failed
    await redis?.close();
  });

  it.each([
    ['MemoryStore', () => new MemoryStore()],
    ['RedisStore (real redis-server, a Lua take)', () => redisStore],
  ] as Array<[string, () => SessionStore]>)(
    '%s: exactly one of 20 parallel readers receives the message, and a parallel set is kept',
    async (_name, make) => {
      const { received, later } = await race({ store: make() });
      expect(received).toBe(1);
      expect(later).toBeDefined();
    },
  );

  it('a store without `take` (koa-session style) gives no such guarantee: the test can fail', async () => {
    const inner = new MemoryStore();
    const store: SessionStore = {
      get: (k) => inner.get(k),
      set: (k, s, m) => inner.set(k, s, m),
      destroy: (k) => inner.destroy(k),
      patch: (k, p, m) => inner.patch(k, p, m),
    };
    const { received } = await race({ store });
    expect(received).toBeGreaterThan(1);
  });

  it('cookie mode gives no such guarantee either: every request carrying the cookie receives it', async () => {
    const { received } = await race({});
    expect(received).toBe(READERS);
  });
});
