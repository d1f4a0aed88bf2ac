/**
 * RedisStore.rename (the store side of regenerate()): conditional on the old record, indexed under
 * the user, and losing to a "log out everywhere" that is under way (a deterministic race: the
 * revocation is held between reading the user's index and destroying what it read).
 */
import Redis from 'ioredis';
import { MemoryStore, type SessionStore } from 'koa-typed-session';
import { RedisStore } from 'koa-typed-session/redis';
import { uniquePrefix, useRedis } from '../helpers/redis';

let redis: { url: string; close(): Promise<void> };
let raw: Redis;
const stores: RedisStore[] = [];

beforeAll(async () => {
  redis = await useRedis();
  raw = new Redis(redis.url);
});
afterAll(async () => {
  await Promise.all(stores.map((s) => s.quit()));
  raw?.disconnect();
  await redis?.close();
});

function redisStore(): RedisStore {
  const store = new RedisStore({ url: redis.url, prefix: uniquePrefix('rename'), userField: 'userId' });
  stores.push(store);
  return store;
}

const ttl = 60_000;
/** A record as the engine writes it: with the session markers (`_expire`, `_maxAge`) stores require. */
const rec = (data: Record<string, unknown>): Record<string, unknown> => ({
  ...data,
  _expire: 4_102_444_800_000,
  _maxAge: ttl,
});

describe.each([
  ['MemoryStore', (): SessionStore => new MemoryStore({ userField: 'userId' })],
  ['RedisStore', (): SessionStore => redisStore()],
])('%s.rename', (_name, make) => {
  it('moves the record to the new id; the new id is destroyed by destroyAllOf', async () => {
    const store = make();
    await store.set('a', rec({ userId: 'ann', n: 1 }), ttl, { rolling: false, changed: true, ctx: {} });
    expect(
      await store.rename!('a', 'b', rec({ userId: 'ann', n: 2 }), ttl, { rolling: false, changed: true, ctx: {} }),
    ).toBe(true);
    expect(await store.get('a', ttl, { rolling: false, ctx: {} })).toBeFalsy();
    expect(await store.get('b', ttl, { rolling: false, ctx: {} })).toEqual(rec({ userId: 'ann', n: 2 }));
    expect(await store.destroyAllOf!('ann', { ctx: {} })).toBe(1);
    expect(await store.get('b', ttl, { rolling: false, ctx: {} })).toBeFalsy();
  });

  it('writes nothing and answers false when the old record is gone', async () => {
    const store = make();
    expect(
      await store.rename!('gone', 'new', rec({ userId: 'ann' }), ttl, { rolling: false, changed: true, ctx: {} }),
    ).toBe(false);
    expect(await store.get('new', ttl, { rolling: false, ctx: {} })).toBeFalsy();
  });
});

describe('RedisStore.rename racing destroyAllOf', () => {
  it('a rename that lands while destroyAllOf is under way fails; the session is gone', async () => {
    const store = redisStore();
    await store.set('old', rec({ userId: 'ann' }), ttl);
    // Hold destroyAllOf's first destroy (a one-key script called with the userField and the user).
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let reached!: () => void;
    const atDestroy = new Promise<void>((resolve) => (reached = resolve));
    const client = store.client as unknown as { sendCommand(cmd: { name: string; args: unknown[] }): unknown };
    const send = client.sendCommand.bind(client);
    let holding = true;
    client.sendCommand = (cmd) => {
      const args = cmd.args.map(String);
      if (holding && cmd.name === 'evalsha' && args.length === 5 && args[3] === 'userId' && args[4] === 'ann') {
        holding = false;
        reached();
        return held.then(() => send(cmd));
      }
      return send(cmd);
    };
    const revoking = store.destroyAllOf('ann');
    await atDestroy; // the index was read: it holds 'old' only
    const moved = await store.rename('old', 'new', rec({ userId: 'ann' }), ttl);
    release();
    await revoking;
    expect(moved).toBe(false);
    expect(await store.get('old')).toBeNull();
    expect(await store.get('new')).toBeNull();
  });
});
