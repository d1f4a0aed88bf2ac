/**
 * Records and ids a client or a neighbour chose, against a real redis-server: keys and values with
 * lone UTF-16 surrogates (which Redis's cjson rejects) round-trip and never block a logout; a
 * JSON object this library did not write, or a key of another type, is never adopted, changed or
 * deleted; an id that could not have been issued never reaches the store.
 */
import { randomUUID } from 'node:crypto';
import Redis from 'ioredis';
import Koa from 'koa';
import { destroyAllSessionsOf, session, type KoaSessionOptions } from 'koa-typed-session';
import { RedisStore } from 'koa-typed-session/redis';
import request from 'supertest';
import { cookieHeader } from '../helpers/app';
import { monitorRedis, redisRepr, uniquePrefix, useRedis } from '../helpers/redis';

const LONE = ['\ud800', '\udfff', 'a\udc00b', '\ud83d', '\ud83d\ude00\ud800'];

function app(store: RedisStore, extra: Partial<KoaSessionOptions> = {}): Koa {
  const koa = new Koa();
  koa.keys = ['hostile-records'];
  koa.use(session({ store, ...extra }, koa));
  koa.use(async (ctx) => {
    const s = ctx.session!;
    if (ctx.path === '/login') {
      s.userId = JSON.parse(String(ctx.query.user)) as unknown;
      for (const [i, key] of LONE.entries()) s[key] = `${key}:${i}`;
      s.nested = { [LONE[0]!]: LONE[1] };
      ctx.body = 'in';
    } else if (ctx.path === '/write') {
      s[String(ctx.query.key)] = String(ctx.query.value);
      delete s[LONE[1]!];
      ctx.body = 'ok';
    } else if (ctx.path === '/logout') {
      ctx.session = null;
      ctx.body = 'out';
    } else if (ctx.path === '/everywhere') {
      ctx.body = { count: await destroyAllSessionsOf(ctx, String(s.userId)) };
      ctx.session = null;
    } else {
      // JSON.stringify escapes lone surrogates, so the text shows exactly what was loaded.
      ctx.body = { json: JSON.stringify(s.toJSON()), isNew: s.isNew, id: ctx.sessionId };
    }
  });
  return koa;
}

describe('RedisStore: hostile keys and records', () => {
  let redis: { url: string; close(): Promise<void> };
  let raw: Redis;

  beforeAll(async () => {
    redis = await useRedis();
    raw = new Redis(redis.url);
  });

  afterAll(async () => {
    raw?.disconnect();
    await redis?.close(); // undefined when redis-server is missing (setup failed)
  });

  describe('lone surrogates in keys and the user field', () => {
    let store: RedisStore;
    let prefix: string;

    beforeAll(() => {
      if (!redis) return; // the outer setup failed
      prefix = uniquePrefix('lone');
      store = new RedisStore({ url: redis.url, prefix, userField: 'userId' });
    });

    afterAll(() => store?.quit());

    /** Logs in as `user` (sent as a JSON string literal: a query string cannot carry a lone surrogate). */
    async function login(server: Koa, user: string): Promise<string> {
      const res = await request(server.callback())
        .get('/login')
        .query({ user: JSON.stringify(user) })
        .expect(200);
      return cookieHeader(res);
    }

    it('round-trips such keys and values exactly through set, patch and get', async () => {
      const server = app(store);
      const res = await request(server.callback()).get('/login').query({ user: '"ann"' }).expect(200);
      const cookie = cookieHeader(res);
      const expected: Record<string, unknown> = { userId: 'ann' };
      for (const [i, key] of LONE.entries()) expected[key] = `${key}:${i}`;
      expected.nested = { [LONE[0]!]: LONE[1] };
      let read = await request(server.callback()).get('/read').set('Cookie', cookie).expect(200);
      expect(read.body.json).toBe(JSON.stringify(expected));

      // A patch: one more such key, one deleted, the others kept byte for byte.
      await request(server.callback())
        .get('/write')
        .query({ key: 'plain', value: 'v' })
        .set('Cookie', cookie)
        .expect(200);
      await request(server.callback())
        .get('/write')
        .query({ key: '\ufffd', value: 'replacement char, a different key' })
        .set('Cookie', cookie)
        .expect(200);
      read = await request(server.callback()).get('/read').set('Cookie', cookie).expect(200);
      const data = JSON.parse(read.body.json as string) as Record<string, unknown>;
      delete expected[LONE[1]!];
      expected.plain = 'v';
      expected['\ufffd'] = 'replacement char, a different key';
      expect(data).toEqual(expected);
      expect(read.body.isNew).toBe(false);
    });

    it('a patch of a lone-surrogate key replaces that key only, never its U+FFFD look-alike', async () => {
      const id = randomUUID();
      await store.set(id, { '\ud800': 1, '\ufffd': 2, _expire: Date.now() + 60_000, _maxAge: 60_000 }, 60_000);
      await store.patch(id, { set: { '\ud800': 10 }, unset: ['\udfff'] }, 60_000);
      await store.patch(id, { set: {}, unset: ['\ufffd'] }, 60_000);
      const got = (await store.get(id)) as Record<string, unknown>;
      expect(got['\ud800']).toBe(10);
      expect(Object.hasOwn(got, '\ufffd')).toBe(false);
    });

    it('logs out a session holding them (logout answers 200 and the record is gone)', async () => {
      const server = app(store);
      const cookie = cookieHeader(await request(server.callback()).get('/login').query({ user: '"bob"' }).expect(200));
      const { id } = (await request(server.callback()).get('/read').set('Cookie', cookie)).body as { id: string };
      expect(await raw.exists(prefix + id)).toBe(1);
      await request(server.callback()).get('/logout').set('Cookie', cookie).expect(200);
      expect(await raw.exists(prefix + id)).toBe(0);
    });

    it.each(LONE)('logs a user %j out everywhere when the user id holds a lone surrogate', async (user) => {
      const server = app(store);
      const cookies = [await login(server, `u${user}`), await login(server, `u${user}`)];
      // A write after the login: the user field is read by the patch script too.
      await request(server.callback())
        .get('/write')
        .query({ key: 'k', value: 'v' })
        .set('Cookie', cookies[0]!)
        .expect(200);
      const res = await request(server.callback()).get('/everywhere').set('Cookie', cookies[0]!).expect(200);
      expect(res.body).toEqual({ count: 2 });
      for (const cookie of cookies) {
        const after = await request(server.callback()).get('/read').set('Cookie', cookie).expect(200);
        expect(after.body.isNew).toBe(true);
      }
    });

    it('destroys a record whatever its content (revocation always wins)', async () => {
      const id = randomUUID();
      const text = `{"\\ud800":"\\udfff","userId":"\\udc00","_expire":${Date.now() + 60_000},"_maxAge":60000}`;
      await raw.set(prefix + id, text, 'PX', 60_000);
      await store.destroy(id);
      expect(await raw.exists(prefix + id)).toBe(0);
    });
  });

  describe('unsigned ids and records this library did not write (default empty prefix)', () => {
    let store: RedisStore;

    beforeAll(() => {
      if (!redis) return; // the outer setup failed
      store = new RedisStore({ url: redis.url, userField: 'userId' });
    });

    afterAll(() => store?.quit());

    function unsigned(extra: Partial<KoaSessionOptions> = {}): Koa {
      return app(store, { signed: false, ...extra });
    }

    it('never reads, merges into, expires or deletes a JSON object without session markers', async () => {
      const id = randomUUID();
      const foreign = '{"beta":true,"rollout":5}';
      await raw.set(id, foreign);
      const server = unsigned();
      const read = await request(server.callback()).get('/read').set('Cookie', `koa.sess=${id}`).expect(200);
      expect(read.body.isNew).toBe(true);
      expect(read.body.id).not.toBe(id);
      await request(server.callback()).get('/write').query({ key: 'a', value: 'b' }).set('Cookie', `koa.sess=${id}`);
      await request(server.callback()).get('/logout').set('Cookie', `koa.sess=${id}`).expect(200);
      expect(await raw.get(id)).toBe(foreign);
      expect(await raw.pttl(id)).toBe(-1);
      // Nor through the store API directly.
      expect(await store.patch(id, { set: { a: 1 }, unset: [] }, 60_000)).toBe(false);
      await store.destroy(id);
      expect(await raw.get(id)).toBe(foreign);
      expect(await raw.pttl(id)).toBe(-1);
      await raw.del(id);
    });

    it('still reads records written by koa-session + koa-redis (they carry _expire and _maxAge)', async () => {
      const id = randomUUID();
      await raw.set(id, JSON.stringify({ a: 1, _expire: Date.now() + 60_000, _maxAge: 60_000 }), 'PX', 60_000);
      const read = await request(unsigned().callback()).get('/read').set('Cookie', `koa.sess=${id}`).expect(200);
      expect(read.body).toMatchObject({ isNew: false, id, json: '{"a":1}' });
      await raw.set(id, JSON.stringify({ a: 2, _session: true }), 'PX', 60_000);
      const again = await request(unsigned().callback()).get('/read').set('Cookie', `koa.sess=${id}`).expect(200);
      expect(again.body).toMatchObject({ isNew: false, id, json: '{"a":2}' });
      await raw.del(id);
    });

    it.each([
      ['a foreign key', 'feature-flags'],
      ['the user index', 'user:42'],
      ['a non-ASCII id', 'user:\u00e9'],
      ['a 1,000-character id', 'x'.repeat(1000)],
      ['a uuid with a control character', `${randomUUID()}\u0001`],
    ])('never sends %s, which could not have been issued, to the store', async (_label, id) => {
      await raw.set('feature-flags', '{"beta":true}');
      await raw.zadd('user:42', 1, 'k');
      const events: string[] = [];
      const server = unsigned();
      server.on('session:invalid', ({ reason }: { reason: string }) => events.push(reason));
      const monitor = await monitorRedis(redis.url);
      const cookie = `koa.sess=${encodeURIComponent(id)}`;
      const res = await request(server.callback()).get('/read').set('Cookie', cookie).expect(200);
      expect(res.body.isNew).toBe(true);
      await request(server.callback()).get('/logout').set('Cookie', cookie).expect(200);
      await raw.echo(id); // the control: proves the id is recognised in MONITOR's escaped form
      await monitor.stop(); // returns once MONITOR has shown every command sent before it
      const mentions = monitor.seen().filter((line) => line.includes(redisRepr(id).slice(0, 40)));
      expect(mentions).toHaveLength(1);
      expect(mentions[0]).toContain('"echo"');
      expect(await raw.get('feature-flags')).toBe('{"beta":true}');
      expect(await raw.zcard('user:42')).toBe(1);
      await new Promise((r) => setImmediate(r));
      expect(events).toContain('malformed-id');
    });

    it('with a custom genid, an id in the index namespace or of a non-string key answers a fresh session, not 503', async () => {
      await raw.del('user:ann', 'flags-list'); // fixed names: a previous run on the same Redis may have left them
      await raw.zadd('user:ann', 1, 'k');
      await raw.rpush('flags-list', 'a');
      const server = unsigned({ genid: () => randomUUID().replace(/-/g, '') });
      for (const id of ['user:ann', 'flags-list']) {
        const cookie = `koa.sess=${id}`;
        const res = await request(server.callback()).get('/read').set('Cookie', cookie).expect(200);
        expect(res.body.isNew).toBe(true);
        await request(server.callback())
          .get('/write')
          .query({ key: 'a', value: 'b' })
          .set('Cookie', cookie)
          .expect(200);
        await request(server.callback()).get('/logout').set('Cookie', cookie).expect(200);
      }
      expect(await raw.zcard('user:ann')).toBe(1);
      expect(await raw.lrange('flags-list', 0, -1)).toEqual(['a']);
      await raw.del('user:ann', 'flags-list');
    });

    it('with a custom genid that returns an id in the index namespace, the write fails loudly', async () => {
      const server = unsigned({ genid: () => `user:${randomUUID()}` });
      const res = await request(server.callback()).get('/write').query({ key: 'a', value: 'b' });
      expect(res.status).toBe(500);
    });
  });
});
