import Koa from 'koa';
import Redis from 'ioredis';
import request from 'supertest';
import { session, SessionStoreError, StoreUnavailableError, type KoaSessionOptions } from 'koa-typed-session';
import { RedisStore } from 'koa-typed-session/redis';
import { cookieHeader, setCookies } from '../helpers/app';
import { pingRedis, startRedisServer, uniquePrefix, until, type SpawnedRedis } from '../helpers/redis';

const STORE_TIMEOUT = 500;

/** /write?v=X sets two keys to X (a half-written record would show them different); /read shows both. */
function createApp(store: RedisStore, options: KoaSessionOptions = {}, errors: unknown[] = []): Koa {
  const app = new Koa();
  app.keys = ['k'];
  app.silent = true;
  app.on('error', (err) => errors.push(err));
  app.use(session({ store, storeTimeout: STORE_TIMEOUT, ...options }, app));
  app.use((ctx) => {
    if (ctx.path === '/write') {
      ctx.session!.a = ctx.query.v;
      ctx.session!.b = ctx.query.v;
    }
    ctx.body = { a: ctx.session!.a ?? null, b: ctx.session!.b ?? null, isNew: ctx.session!.isNew };
  });
  return app;
}

/** Retries GET /read until it answers 200 with the stored session (bounded): how long recovery takes. */
async function waitForRecovery(app: Koa, cookie: string, limitMs = 10_000): Promise<{ body: unknown; ms: number }> {
  const start = Date.now();
  for (;;) {
    const res = await request(app.callback()).get('/read').set('Cookie', cookie);
    if (res.status === 200 && res.body.isNew === false) return { body: res.body, ms: Date.now() - start };
    if (Date.now() - start > limitMs) throw new Error(`no recovery within ${limitMs} ms (last status ${res.status})`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('store outage policy (a redis-server of our own, crashed, frozen and restarted)', () => {
  let server: SpawnedRedis;
  let store: RedisStore;
  let app: Koa;
  const errors: unknown[] = [];

  beforeAll(async () => {
    server = await startRedisServer({ persistent: true });
    store = new RedisStore({ url: server.url, prefix: uniquePrefix('outage') });
    app = createApp(store, {}, errors);
  });

  afterEach(async () => {
    if (!server || !store) return; // beforeAll failed: nothing to restore
    server.resume();
    if (!(await pingRedis(server.port))) await server.start();
    // Let the store's client reconnect, so the next test starts from a healthy store.
    for (const deadline = Date.now() + 5_000; store.status !== 'ready' && Date.now() < deadline;) {
      await new Promise((r) => setTimeout(r, 50));
    }
  });

  afterAll(async () => {
    await store?.quit();
    await server?.close();
  });

  it('answers 503 at once while Redis is down, keeps the data, and serves again after a restart', async () => {
    const cookie = cookieHeader(await request(app.callback()).get('/write?v=before').expect(200));
    await server.kill();
    const start = Date.now();
    const read = await request(app.callback()).get('/read').set('Cookie', cookie).expect(503);
    expect(Date.now() - start).toBeLessThan(STORE_TIMEOUT);
    expect(read.text).toMatch(/^koa-typed-session: the session store is unavailable \(`get` failed\)/);
    expect(setCookies(read)).toEqual([]);
    await request(app.callback()).get('/write?v=during').set('Cookie', cookie).expect(503);
    await request(app.callback()).get('/write?v=new-visitor').expect(503);
    const err = errors.find((e) => e instanceof SessionStoreError) as SessionStoreError;
    expect(err).toMatchObject({ status: 503, expose: true, code: 'ERR_SESSION_STORE', operation: 'get' });

    await server.start();
    const recovered = await waitForRecovery(app, cookie);
    expect(recovered.body).toEqual({ a: 'before', b: 'before', isNew: false });
    expect(recovered.ms).toBeLessThan(5_000);
    await request(app.callback()).get('/write?v=after').set('Cookie', cookie).expect(200);
    expect((await request(app.callback()).get('/read').set('Cookie', cookie)).body).toEqual({
      a: 'after',
      b: 'after',
      isNew: false,
    });
  });

  it('answers 503 within storeTimeout when Redis hangs (frozen), and the record is never half-written', async () => {
    const cookie = cookieHeader(await request(app.callback()).get('/write?v=before').expect(200));
    server.pause();
    const start = Date.now();
    await request(app.callback()).get('/read').set('Cookie', cookie).expect(503);
    const elapsed = Date.now() - start;
    expect(elapsed).toBeGreaterThanOrEqual(STORE_TIMEOUT - 20);
    expect(elapsed).toBeLessThan(STORE_TIMEOUT + 1_000);
    server.resume();
    // A write whose request gave up may still land when Redis thaws: whole or not at all.
    const write = request(app.callback())
      .get('/write?v=racing')
      .set('Cookie', cookie)
      .then((r) => r);
    await new Promise((r) => setTimeout(r, 5));
    server.pause();
    const status = (await write).status;
    server.resume();
    const { body } = await waitForRecovery(app, cookie);
    const record = body as { a: string; b: string };
    expect(record.a).toBe(record.b);
    expect(status === 200 ? ['racing'] : ['before', 'racing']).toContain(record.a);
  });

  it('honours storeErrorStatus', async () => {
    const custom = createApp(store, { storeErrorStatus: 500 });
    const cookie = cookieHeader(await request(custom.callback()).get('/write?v=x').expect(200));
    await server.kill();
    await request(custom.callback()).get('/read').set('Cookie', cookie).expect(500);
  });

  it("wraps the store's StoreUnavailableError in a SessionStoreError with storeErrorStatus, the message generic", async () => {
    const errs: unknown[] = [];
    const custom = createApp(store, { storeErrorStatus: 500 }, errs);
    const cookie = cookieHeader(await request(custom.callback()).get('/write?v=x').expect(200));
    await server.kill();
    // Until the client has seen the connection close, a call fails with ioredis's own error instead.
    await until('the client sees the connection close', () => store.status !== 'ready', 5_000);
    const direct = await store.get('any').catch((e: unknown) => e);
    expect(direct).toBeInstanceOf(StoreUnavailableError);
    const res = await request(custom.callback()).get('/read').set('Cookie', cookie).expect(500);
    expect(res.text).toBe('Internal Server Error'); // 500 is not exposed; nothing of the cause reaches the client
    const err = errs.find((e) => e instanceof SessionStoreError) as SessionStoreError;
    expect(err).toMatchObject({ status: 500, expose: false, code: 'ERR_SESSION_STORE', operation: 'get' });
    expect(err.cause).toBeInstanceOf(StoreUnavailableError);
    expect((err.cause as Error).message).toMatch(/^koa-typed-session: Redis is not connected \(client status "/);
  });

  it("onStoreError: 'continue' serves an empty session that is never saved, and the stored data survives", async () => {
    const events: unknown[] = [];
    const lenient = createApp(store, { onStoreError: 'continue' });
    lenient.on('session:error', (e) => events.push(e));
    const cookie = cookieHeader(await request(lenient.callback()).get('/write?v=kept').expect(200));
    await server.kill();
    const res = await request(lenient.callback()).get('/write?v=lost').set('Cookie', cookie).expect(200);
    expect(res.body).toEqual({ a: 'lost', b: 'lost', isNew: true });
    expect(setCookies(res)).toEqual([]);
    await new Promise((r) => setImmediate(r));
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ reason: 'store-get' });
    await server.start();
    expect((await waitForRecovery(lenient, cookie)).body).toEqual({ a: 'kept', b: 'kept', isNew: false });
  });

  it("a client passed in with ioredis's defaults (offline queue on) also fails fast and recovers", async () => {
    const client = new Redis(server.url);
    client.on('error', () => undefined);
    const own = new RedisStore({ client, prefix: uniquePrefix('outage-own-client') });
    const ownApp = createApp(own);
    try {
      const cookie = cookieHeader(await request(ownApp.callback()).get('/write?v=mine').expect(200));
      await server.kill();
      const start = Date.now();
      await request(ownApp.callback()).get('/read').set('Cookie', cookie).expect(503);
      expect(Date.now() - start).toBeLessThan(STORE_TIMEOUT + 200);
      await server.start();
      expect((await waitForRecovery(ownApp, cookie)).body).toEqual({ a: 'mine', b: 'mine', isNew: false });
    } finally {
      client.disconnect();
    }
  });
});
