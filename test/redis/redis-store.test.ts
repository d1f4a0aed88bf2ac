import Redis from 'ioredis';
import { SessionConfigError, SessionError, StoreUnavailableError } from 'koa-typed-session';
import { RedisStore } from 'koa-typed-session/redis';
import { freePort, uniquePrefix, useRedis } from '../helpers/redis';

describe('RedisStore: the store contract on a real redis-server', () => {
  let redis: { url: string; close(): Promise<void> };
  let raw: Redis;
  let store: RedisStore;
  let prefix: string;

  beforeAll(async () => {
    redis = await useRedis();
    raw = new Redis(redis.url);
    prefix = uniquePrefix('redis-store');
    store = new RedisStore({ url: redis.url, prefix });
  });

  afterAll(async () => {
    await store?.quit();
    raw?.disconnect();
    await redis?.close();
  });

  it('writes JSON.stringify(payload) under prefix + id with a TTL in ms', async () => {
    const payload = { user: 'ann', _expire: Date.now() + 60_000, _maxAge: 60_000 };
    await store.set('a1', payload, 70_000);
    expect(await raw.get(`${prefix}a1`)).toBe(JSON.stringify(payload));
    const pttl = await raw.pttl(`${prefix}a1`);
    expect(pttl).toBeGreaterThan(69_000);
    expect(pttl).toBeLessThanOrEqual(70_000);
    expect(await store.get('a1')).toEqual(payload);
  });

  it("gives a browser-session record ('session' TTL) the sessionTtl instead of no expiry", async () => {
    const short = new RedisStore({ url: redis.url, prefix, sessionTtl: 5_000 });
    try {
      await short.set('s1', { a: 1, _session: true }, 'session');
      const pttl = await raw.pttl(`${prefix}s1`);
      expect(pttl).toBeGreaterThan(4_000);
      expect(pttl).toBeLessThanOrEqual(5_000);
    } finally {
      await short.quit();
    }
  });

  it('returns null for an unknown id and undefined for a record that is not JSON', async () => {
    expect(await store.get('nope')).toBeNull();
    await raw.set(`${prefix}bad`, '{not json');
    expect(await store.get('bad')).toBeUndefined();
  });

  it('never hands out a __proto__ key from a stored record', async () => {
    await raw.set(`${prefix}proto`, '{"__proto__":{"admin":true},"a":1}');
    const got = (await store.get('proto')) as Record<string, unknown>;
    expect(got).toEqual({ a: 1 });
    expect(Object.getPrototypeOf(got)).toBe(Object.prototype);
  });

  it('destroys a record', async () => {
    await store.set('d1', { a: 1, _session: true }, 60_000);
    await store.destroy('d1');
    expect(await raw.exists(`${prefix}d1`)).toBe(0);
    await expect(store.destroy('d1')).resolves.toBeUndefined();
  });

  it('patch merges set/unset and copies untouched values byte for byte (arrays, big numbers, unicode)', async () => {
    const original =
      '{"list":[],"nested":{"e":[],"o":{}},"pi":0.30000000000000004,"big":12345678901234567,"t":"\\u00e9/\\"q\\" ,}]","gone":1,"keep":null,"_expire":1}';
    await raw.set(`${prefix}p1`, original);
    const ok = await store.patch(
      'p1',
      { set: { added: [1, { x: [] }], pi: 3.14, _expire: 42 }, unset: ['gone'] },
      60_000,
    );
    expect(ok).toBe(true);
    const text = await raw.get(`${prefix}p1`);
    expect(text).toBe(
      '{"list":[],"nested":{"e":[],"o":{}},"pi":3.14,"big":12345678901234567,"t":"\\u00e9/\\"q\\" ,}]","keep":null,"_expire":42,"added":[1,{"x":[]}]}',
    );
    expect(JSON.parse(text!)).toEqual({
      ...JSON.parse(original),
      gone: undefined,
      pi: 3.14,
      added: [1, { x: [] }],
      _expire: 42,
    });
    expect(await raw.pttl(`${prefix}p1`)).toBeGreaterThan(59_000);
  });

  it('patch of an undefined value deletes the key, as a full write would', async () => {
    await store.set('p2', { a: 1, b: 2, _session: true }, 60_000);
    await store.patch('p2', { set: { a: undefined }, unset: [] }, 60_000);
    expect(await store.get('p2')).toEqual({ b: 2, _session: true });
  });

  it('patch and touch of a missing record write nothing (a destroyed session never comes back)', async () => {
    expect(await store.patch('ghost', { set: { a: 1 }, unset: [] }, 60_000)).toBe(false);
    expect(await store.touch('ghost', { set: { _expire: 1 }, unset: [] }, 60_000)).toBe(false);
    expect(await raw.exists(`${prefix}ghost`)).toBe(0);
  });

  it('touch extends the TTL and _expire and leaves the data as it was', async () => {
    await raw.set(`${prefix}t1`, '{"a":[],"_expire":1,"_maxAge":1000}', 'PX', 1_000);
    await store.touch('t1', { set: { _expire: 99, _maxAge: 60_000 }, unset: [] }, 60_000);
    expect(await raw.get(`${prefix}t1`)).toBe('{"a":[],"_expire":99,"_maxAge":60000}');
    expect(await raw.pttl(`${prefix}t1`)).toBeGreaterThan(59_000);
  });

  it('patch and destroy leave a record that is not a session record unchanged', async () => {
    await raw.set(`${prefix}junk`, '[1,2');
    expect(await store.patch('junk', { set: { a: 1 }, unset: [] }, 60_000)).toBe(false);
    await store.destroy('junk');
    expect(await raw.get(`${prefix}junk`)).toBe('[1,2');
  });

  it('rejects bad options at construction with SessionConfigError', () => {
    expect(() => new RedisStore({ url: redis.url, sessionTtl: -1 })).toThrow(SessionConfigError);
    expect(() => new RedisStore({ url: redis.url, prefx: 'x' } as never)).toThrow(/RedisStore.prefx/);
    expect(() => new RedisStore({ client: {} as never })).toThrow(/not an ioredis client/);
    expect(() => new RedisStore({ client: raw, url: redis.url })).toThrow(/either a client/);
  });

  it('rejects a URL string as the options or as `redis` (ioredis would silently connect to localhost)', () => {
    expect(() => new RedisStore(redis.url as never)).toThrow(/RedisStore\.options` must be an object/);
    expect(() => new RedisStore({ redis: redis.url as never })).toThrow(
      /RedisStore\.redis` must be an ioredis options object/,
    );
  });

  it('writes a fractional sessionTtl as whole milliseconds (PX takes integers)', async () => {
    const fractional = new RedisStore({ client: raw, prefix, sessionTtl: 60_000.5 });
    await fractional.set('frac', { a: 1, _session: true }, 'session');
    expect(await raw.pttl(`${prefix}frac`)).toBeGreaterThan(59_000);
  });

  it('waits for a client that is still connecting, with one shared wait for a burst of calls', async () => {
    const fresh = new RedisStore({ url: redis.url, prefix });
    try {
      expect(fresh.status).toBe('connecting');
      const listeners = fresh.client.listenerCount('ready');
      const burst = Array.from({ length: 50 }, (_, i) => fresh.set(`burst${i}`, { i }, 60_000));
      await Promise.resolve();
      expect(fresh.client.listenerCount('ready')).toBe(listeners + 1);
      await Promise.all(burst);
      expect(await store.get('burst49')).toEqual({ i: 49 });
    } finally {
      await fresh.quit();
    }
  });

  it('fails at once, with a clear message, when the client has ended', async () => {
    const ended = new RedisStore({ url: redis.url, prefix });
    await ended.get('x');
    await ended.quit();
    for (const deadline = Date.now() + 2_000; ended.status !== 'end' && Date.now() < deadline;) {
      await new Promise((r) => setTimeout(r, 10));
    }
    await expect(ended.get('x')).rejects.toThrow(/^koa-typed-session: Redis is not connected \(client status "end"\)/);
  });

  it('reports "cannot serve now" as a StoreUnavailableError (code, 503, not exposed) to direct callers', async () => {
    const ended = new RedisStore({ url: redis.url, prefix });
    await ended.quit(); // still connecting: closes at once (before, ioredis rejected "Stream isn't writeable")
    const err = await ended.set('x', { a: 1 }, 60_000).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StoreUnavailableError);
    expect(err).toBeInstanceOf(SessionError);
    expect(err).toMatchObject({ code: 'ERR_STORE_UNAVAILABLE', status: 503, expose: false });

    const port = await freePort(); // nothing listens there
    // disconnectTimeout: ioredis otherwise keeps a 2 s timer for the refused socket after quit().
    const nowhere = new RedisStore({
      url: `redis://127.0.0.1:${port}`,
      redis: { disconnectTimeout: 20 },
      prefix,
      readyTimeout: 200,
    });
    try {
      const start = Date.now();
      const late = await nowhere.get('x').catch((e: unknown) => e);
      expect(Date.now() - start).toBeLessThan(2_000);
      expect(late).toBeInstanceOf(StoreUnavailableError);
      expect((late as Error).message).toBe('koa-typed-session: Redis not ready within 200 ms (readyTimeout)');
    } finally {
      await nowhere.quit(); // while reconnecting: closes at once (QUIT could not be sent)
    }
    // ioredis leaves a refused client "reconnecting" after disconnect(): calls still fail at once.
    await expect(nowhere.get('x')).rejects.toThrow(/^koa-typed-session: Redis is not connected/);
  });

  it('quit() is idempotent: concurrent and later calls all resolve (app.close() twice, a shared store)', async () => {
    const owned = new RedisStore({ url: redis.url, prefix });
    await owned.get('x');
    const calls = await Promise.allSettled([owned.quit(), owned.quit(), owned.quit()]);
    expect(calls.map((c) => c.status)).toEqual(['fulfilled', 'fulfilled', 'fulfilled']);
    await expect(owned.quit()).resolves.toBeUndefined();
    const after = await owned.get('x').catch((e: unknown) => e);
    expect(after).toBeInstanceOf(StoreUnavailableError);
    expect((after as Error).message).toMatch(/: the store was closed by quit\(\)$/);
  });

  it('uses a client it was given and leaves it open on quit()', async () => {
    const shared = new RedisStore({ client: raw, prefix });
    await shared.set('c1', { a: 1 }, 60_000);
    await shared.quit();
    expect(raw.status).toBe('ready');
    expect(await store.get('c1')).toEqual({ a: 1 });
  });
});
