/**
 * A Cluster client retries CLUSTERDOWN, TRYAGAIN and failover errors by itself. A request that
 * gave up (storeTimeout, 503: "the stored session is unchanged") must not be changed afterwards
 * by such a late retry: the store bounds the retries of the Cluster client it creates, and warns
 * about a client passed in whose retries outlast readyTimeout.
 */
import Koa from 'koa';
import Redis, { Cluster } from 'ioredis';
import request from 'supertest';
import { session, SessionConfigError } from 'koa-typed-session';
import { RedisStore } from 'koa-typed-session/redis';
import { cookieHeader } from '../helpers/app';
import { uniquePrefix, type SpawnedRedis } from '../helpers/redis';
import { startOneNodeCluster } from '../helpers/redis-topology';

describe('RedisStore on a Cluster that answers CLUSTERDOWN', () => {
  let node: SpawnedRedis;
  let admin: Redis;

  beforeAll(async () => {
    ({ node, admin } = await startOneNodeCluster());
  });

  afterAll(async () => {
    admin?.disconnect();
    await node?.close();
  });

  it('a write answered 503 is never applied afterwards by a retry of the store-created client', async () => {
    const prefix = uniquePrefix('cluster-retry');
    const store = new RedisStore({
      cluster: { nodes: [{ host: '127.0.0.1', port: node.port }] },
      prefix,
      readyTimeout: 250,
    });
    const app = new Koa();
    app.keys = ['k'];
    app.silent = true;
    let restored: Promise<unknown> | undefined;
    app.use(session({ store, storeTimeout: 300 }, app));
    app.use(async (ctx) => {
      if (ctx.query.drop) {
        // The session was read; now its slot stops being served (CLUSTERDOWN) for 600 ms.
        const slot = String(await admin.call('CLUSTER', 'KEYSLOT', prefix + String(ctx.query.drop)));
        await admin.call('CLUSTER', 'DELSLOTS', slot);
        restored = new Promise((r) => setTimeout(r, 600)).then(() => admin.call('CLUSTER', 'ADDSLOTS', slot));
      }
      ctx.session!.v = ctx.query.v;
      ctx.body = 'ok';
    });
    try {
      const login = await request(app.callback()).get('/?v=before').expect(200);
      const sid = /koa\.sess=([^;]+)/.exec(cookieHeader(login))![1]!;
      await request(app.callback()).get(`/?v=after&drop=${sid}`).set('Cookie', cookieHeader(login)).expect(503);
      await restored;
      await new Promise((r) => setTimeout(r, 1500)); // past ioredis's default retry budget (16 × 100 ms)
      expect(JSON.parse((await admin.get(prefix + sid))!)).toMatchObject({ v: 'before' });
    } finally {
      await store.quit();
    }
  });

  it('refuses Cluster options whose retries outlast readyTimeout (bad config fails at startup)', () => {
    expect(
      () =>
        new RedisStore({
          cluster: {
            nodes: [{ host: '127.0.0.1', port: node.port }],
            options: { maxRedirections: 16, lazyConnect: true },
          },
        }),
    ).toThrow(SessionConfigError);
    expect(
      () =>
        new RedisStore({
          cluster: {
            nodes: [{ host: '127.0.0.1', port: node.port }],
            options: { maxRedirections: 16, lazyConnect: true },
          },
        }),
    ).toThrow(/retry a command for up to 1600 ms .* not below readyTimeout \(1000 ms\)/);
  });

  it('warns when a Cluster client passed in retries longer than readyTimeout (ioredis defaults: 1600 ms)', async () => {
    const warn = jest.spyOn(process, 'emitWarning').mockImplementation(() => undefined);
    const client = new Cluster([{ host: '127.0.0.1', port: node.port }], { lazyConnect: true });
    const bounded = new Cluster([{ host: '127.0.0.1', port: node.port }], { lazyConnect: true, maxRedirections: 5 });
    try {
      new RedisStore({ client });
      expect(warn).toHaveBeenCalledTimes(1);
      expect(String(warn.mock.calls[0]![0])).toMatch(
        /^koa-typed-session: the Cluster client passed to RedisStore retries a command by itself for up to 1600 ms/,
      );
      expect(warn.mock.calls[0]![1]).toEqual({ type: 'KoaTypedSessionWarning', code: 'KTS_CLUSTER_RETRY_BUDGET' });
      new RedisStore({ client: bounded });
      expect(warn).toHaveBeenCalledTimes(1);
    } finally {
      warn.mockRestore();
      client.disconnect();
      bounded.disconnect();
    }
  });
});
