/**
 * Revocation wins over an in-flight rotation: a logout or "log out everywhere" that lands while a
 * request of the same session is between loading it and moving it to a new id (`regenerate()`, or
 * `ctx.session = null` then an object) must not let the session come back under the new id.
 * The races are deterministic: the rotating request waits at a gate until the revocation is done.
 */
import Koa from 'koa';
import Redis from 'ioredis';
import request from 'supertest';
import { destroyAllSessionsOf, MemoryStore, session, type SessionStore } from 'koa-typed-session';
import { RedisStore } from 'koa-typed-session/redis';
import { cookieHeader } from '../helpers/app';
import { uniquePrefix, useRedis } from '../helpers/redis';

/** A one-shot gate: the handler signals `entered`, then waits until `open()`. */
function gate() {
  let open!: () => void;
  let signal!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  const entered = new Promise<void>((resolve) => (signal = resolve));
  return { open, entered, pass: () => (signal(), opened) };
}

function createApp(store: SessionStore, g: { pass(): Promise<void> }): Koa {
  const app = new Koa();
  app.keys = ['k'];
  app.silent = true;
  app.use(session({ store, maxAge: 60_000 }, app));
  app.use(async (ctx) => {
    switch (ctx.path) {
      case '/login':
        ctx.session!.userId = String(ctx.query.user);
        break;
      case '/rotate':
        await g.pass();
        await ctx.session!.regenerate();
        break;
      case '/replace': {
        await g.pass();
        const data = ctx.session!.toJSON();
        ctx.session = null;
        ctx.session = data;
        break;
      }
      case '/logout':
        ctx.session = null;
        return void (ctx.body = {});
      case '/logout-everywhere':
        await destroyAllSessionsOf(ctx, ctx.session!.userId as string);
        ctx.session = null;
        return void (ctx.body = {});
    }
    ctx.body = { userId: ctx.session?.userId ?? null };
  });
  return app;
}

const rotations = ['/rotate', '/replace'] as const;
const revocations = ['/logout', '/logout-everywhere'] as const;

describe.each([
  ['MemoryStore', 'memory'],
  ['RedisStore', 'redis'],
] as const)('revocation during a rotation, %s', (_name, kind) => {
  let redis: { url: string; close(): Promise<void> } | undefined;
  let raw: Redis | undefined;
  const stores: RedisStore[] = [];

  beforeAll(async () => {
    if (kind !== 'redis') return;
    redis = await useRedis();
    raw = new Redis(redis.url);
  });
  afterAll(async () => {
    await Promise.all(stores.map((s) => s.quit()));
    raw?.disconnect();
    await redis?.close();
  });

  function makeStore(): { store: SessionStore; count(): Promise<number> } {
    if (kind === 'memory') {
      const store = new MemoryStore({ userField: 'userId' });
      return { store, count: async () => store.size };
    }
    const prefix = uniquePrefix('revocation-race');
    const store = new RedisStore({ url: redis!.url, prefix, indexPrefix: `${prefix}user:`, userField: 'userId' });
    stores.push(store);
    return { store, count: async () => (await raw!.keys(`${prefix}*`)).filter((k) => !k.includes(':user:')).length };
  }

  describe.each(rotations)('%s', (rotation) => {
    it.each(revocations)('%s while the request is in flight: the session does not come back', async (revocation) => {
      const { store, count } = makeStore();
      const g = gate();
      const app = createApp(store, g);
      const cookie = cookieHeader(await request(app.callback()).get('/login?user=ann').expect(200));
      const inFlight = request(app.callback())
        .get(rotation)
        .set('Cookie', cookie)
        .then((r) => r);
      await g.entered; // loaded, about to move to a new id
      await request(app.callback()).get(revocation).set('Cookie', cookie).expect(200);
      g.open();
      const res = await inFlight;
      expect(res.status).toBe(401);
      expect(res.text).toMatch(/^koa-typed-session: the session was destroyed/);
      // The cookie is cleared, and neither the old nor any new id opens a session.
      expect(String(res.headers['set-cookie'])).toMatch(/koa\.sess=;/);
      expect(await count()).toBe(0);
      const whoami = await request(app.callback()).get('/').set('Cookie', cookie).expect(200);
      expect(whoami.body).toEqual({ userId: null });
    });
  });

  it.each(rotations)('%s without a revocation still moves the session to a new id', async (rotation) => {
    const { store, count } = makeStore();
    const g = gate();
    const app = createApp(store, g);
    const cookie = cookieHeader(await request(app.callback()).get('/login?user=ann').expect(200));
    const inFlight = request(app.callback())
      .get(rotation)
      .set('Cookie', cookie)
      .then((r) => r);
    await g.entered;
    g.open();
    const res = await inFlight.then((r) => r);
    expect(res.status).toBe(200);
    expect(cookieHeader(res)).not.toBe(cookie);
    expect(await count()).toBe(1);
    const me = await request(app.callback()).get('/').set('Cookie', cookieHeader(res)).expect(200);
    expect(me.body).toEqual({ userId: 'ann' });
    await request(app.callback()).get('/').set('Cookie', cookie).expect(200, { userId: null });
  });
});
