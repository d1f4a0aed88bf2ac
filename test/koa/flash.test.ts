/** Flash messages on the Koa layer: set for the next request, read once, keep; cookie mode and stores. */
import Koa from 'koa';
import request from 'supertest';
import { FLASH_PREFIX, MemoryStore, session, type KoaSessionOptions, type SessionStore } from 'koa-typed-session';
import { RedisStore } from 'koa-typed-session/redis';
import { setCookies } from '../helpers/app';
import { uniquePrefix, useRedis } from '../helpers/redis';

/** `/set/<key>/<value>`, `/read`, `/get/<key>`, `/keep[/<key>]`, `/nothing`, `/peek` (the raw session). */
function flashApp(options: KoaSessionOptions): Koa {
  const app = new Koa();
  app.keys = ['flash-test-key'];
  app.use(session(options, app));
  app.use(async (ctx) => {
    const [, action = '', key = '', value = ''] = ctx.path.split('/');
    if (action === 'set') {
      ctx.flash.set(key, value);
      ctx.body = {};
    } else if (action === 'set-and-read') {
      ctx.flash.set(key, value);
      ctx.body = await ctx.flash.all(); // what this request received: not what it just set
    } else if (action === 'read') ctx.body = await ctx.flash.all();
    else if (action === 'get') ctx.body = { value: (await ctx.flash.get(key)) ?? null };
    else if (action === 'keep') {
      ctx.body = await ctx.flash.all();
      ctx.flash.keep(key === '' ? undefined : key);
    } else if (action === 'logout') {
      ctx.session = null;
      ctx.flash.set('notice', 'Logged out');
      ctx.body = {};
    } else if (action === 'data') {
      ctx.session!.user = 'ann';
      ctx.body = {};
    } else if (action === 'peek') ctx.body = Object.keys(ctx.session!.toJSON());
    else ctx.body = 'nothing';
  });
  return app;
}

/** A store wrapper that records which operations reach the store. */
function recording(store: SessionStore): { store: SessionStore; ops: string[] } {
  const ops: string[] = [];
  const wrapped: SessionStore = {
    get: (...a) => (ops.push('get'), store.get(...a)),
    set: (...a) => (ops.push('set'), store.set(...a)),
    destroy: (...a) => (ops.push('destroy'), store.destroy(...a)),
    patch: (...a) => (ops.push('patch'), store.patch!(...a)),
    touch: (...a) => (ops.push('touch'), store.touch!(...a)),
    take: (...a) => (ops.push('take'), store.take!(...a)),
  };
  return { store: wrapped, ops };
}

let redis: { url: string; close(): Promise<void> };
let redisStore: RedisStore;

beforeAll(async () => {
  redis = await useRedis();
  redisStore = new RedisStore({ url: redis.url, prefix: uniquePrefix('flash') });
});

afterAll(async () => {
  await redisStore?.quit(); // undefined when setup failed
  await redis?.close();
});

const modes: Array<[string, () => KoaSessionOptions]> = [
  ['cookie mode', () => ({})],
  ['MemoryStore', () => ({ store: new MemoryStore() })],
  ['RedisStore', () => ({ store: redisStore })],
];

describe.each(modes)('flash messages, %s', (_name, options) => {
  it('a message set in one request is read by the next one only', async () => {
    const agent = request.agent(flashApp(options()).callback());
    await agent.get('/set/notice/Saved').expect(200, {});
    await agent.get('/read').expect(200, { notice: 'Saved' });
    await agent.get('/read').expect(200, {});
  });

  it('messages wait for a request that reads them; other requests leave them alone', async () => {
    const agent = request.agent(flashApp(options()).callback());
    await agent.get('/set/notice/Saved');
    await agent.get('/nothing').expect(200);
    await agent.get('/nothing').expect(200);
    await agent.get('/get/notice').expect(200, { value: 'Saved' });
    await agent.get('/get/notice').expect(200, { value: null });
  });

  it('the latest value of a key wins; several keys travel together', async () => {
    const agent = request.agent(flashApp(options()).callback());
    await agent.get('/set/notice/first');
    await agent.get('/set/notice/second');
    await agent.get('/set/error/oops');
    await agent.get('/read').expect({ notice: 'second', error: 'oops' });
  });

  it('a request receives what the previous ones set, never what it sets itself', async () => {
    const agent = request.agent(flashApp(options()).callback());
    await agent.get('/set-and-read/notice/first').expect({});
    await agent.get('/set-and-read/notice/second').expect({ notice: 'first' });
    await agent.get('/read').expect({ notice: 'second' });
  });

  it('keep(key) re-flashes one message for one more request; keep() all of them', async () => {
    const agent = request.agent(flashApp(options()).callback());
    await agent.get('/set/a/1');
    await agent.get('/set/b/2');
    await agent.get('/keep/a').expect({ a: '1', b: '2' });
    await agent.get('/keep').expect({ a: '1' });
    await agent.get('/read').expect({ a: '1' });
    await agent.get('/read').expect({});
  });

  it('stores messages under reserved keys of the session, which are ordinary keys on the wire', async () => {
    const agent = request.agent(flashApp(options()).callback());
    await agent.get('/set/notice/Saved');
    const keys = (await agent.get('/peek')).body as string[];
    expect(keys).toHaveLength(1);
    expect(keys[0]!.startsWith(FLASH_PREFIX)).toBe(true);
    expect(FLASH_PREFIX.startsWith('_')).toBe(false);
  });

  it('a message set after the session was destroyed (logout) reaches the next request, in a new session', async () => {
    const agent = request.agent(flashApp(options()).callback());
    await agent.get('/data');
    await agent.get('/logout');
    const keys = (await agent.get('/peek')).body as string[];
    expect(keys.filter((k) => !k.startsWith(FLASH_PREFIX))).toEqual([]);
    await agent.get('/read').expect({ notice: 'Logged out' });
  });

  it('a request that never touches flash writes nothing', async () => {
    const agent = request.agent(flashApp(options()).callback());
    await agent.get('/set/notice/Saved');
    const res = await agent.get('/nothing');
    expect(setCookies(res)).toEqual([]);
  });
});

describe('flash messages: what a reading request writes', () => {
  it('cookie mode: a read-only request writes the cookie without the consumed message', async () => {
    const agent = request.agent(flashApp({}).callback());
    await agent.get('/set/notice/Saved');
    const res = await agent.get('/read').expect({ notice: 'Saved' });
    expect(setCookies(res).filter((c) => c.startsWith('koa.sess='))).toHaveLength(1);
  });

  it.each([
    ['MemoryStore', () => new MemoryStore()],
    ['RedisStore', () => redisStore],
  ] as Array<[string, () => SessionStore]>)(
    '%s: a read-only request only takes the consumed messages (no set, no patch)',
    async (_name, make) => {
      const { store, ops } = recording(make());
      const agent = request.agent(flashApp({ store }).callback());
      await agent.get('/set/notice/Saved');
      ops.length = 0;
      const res = await agent.get('/read').expect({ notice: 'Saved' });
      expect(ops).toEqual(['get', 'take']);
      expect(setCookies(res)).toEqual([]);
      ops.length = 0;
      await agent.get('/read').expect({});
      expect(ops).toEqual(['get']);
    },
  );

  it('a stored record with a malformed flash entry: the entry is dropped, the request does not fail', async () => {
    const store = new MemoryStore();
    const agent = request.agent(flashApp({ store, genid: () => 'sid' }).callback());
    await agent.get('/set/notice/Saved');
    const record = store.get('sid')!;
    store.set('sid', { ...record, [`${FLASH_PREFIX}zzz`]: 42, [`${FLASH_PREFIX}yyy`]: ['__proto__', 1] }, 60_000);
    await agent.get('/read').expect(200, { notice: 'Saved' });
    await agent.get('/peek').expect(200, []);
  });
});
