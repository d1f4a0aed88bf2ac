/**
 * `waitReplicas`: a write is acknowledged only once that many replicas have it (WAIT), so a
 * failover, even a crash of the master, cannot lose it. Too few replicas: the request fails (503).
 */
import Koa from 'koa';
import Redis from 'ioredis';
import request from 'supertest';
import { session, SessionConfigError } from 'koa-typed-session';
import { RedisStore } from 'koa-typed-session/redis';
import { cookieHeader } from '../helpers/app';
import { startRedisServer, uniquePrefix, type SpawnedRedis } from '../helpers/redis';

function createApp(store: RedisStore): Koa {
  const app = new Koa();
  app.keys = ['k'];
  app.silent = true;
  app.use(session({ store, storeTimeout: 2000 }, app));
  app.use((ctx) => {
    if (ctx.path === '/logout') ctx.session = null;
    else if (ctx.query.v) ctx.session!.v = ctx.query.v;
    ctx.body = String(ctx.session?.v ?? '');
  });
  return app;
}

describe('RedisStore waitReplicas (a master and a replica of our own)', () => {
  let master: SpawnedRedis;
  let replica: SpawnedRedis;
  let onReplica: Redis;

  beforeAll(async () => {
    master = await startRedisServer();
    replica = await startRedisServer({ extraArgs: ['--replicaof', '127.0.0.1', String(master.port)] });
    onReplica = new Redis(replica.url);
    for (
      const deadline = Date.now() + 10_000;
      !(await onReplica.info('replication')).includes('master_link_status:up');
    ) {
      if (Date.now() > deadline) throw new Error('replica not in sync');
      await new Promise((r) => setTimeout(r, 50));
    }
  });

  afterAll(async () => {
    onReplica?.disconnect();
    replica?.resume();
    await replica?.close();
    await master?.close();
  });

  it('acknowledges a write only once the replica has it, and answers 503 when the replica cannot confirm', async () => {
    const prefix = uniquePrefix('wait');
    const store = new RedisStore({ url: master.url, prefix, userField: 'userId', waitReplicas: 1, waitTimeout: 200 });
    const app = createApp(store);
    try {
      const first = await request(app.callback()).get('/?v=one').expect(200);
      const sid = /koa\.sess=([^;]+)/.exec(cookieHeader(first))![1]!;
      // Acknowledged means: already on the replica, which a failover would promote.
      expect(JSON.parse((await onReplica.get(prefix + sid))!)).toMatchObject({ v: 'one' });
      await request(app.callback()).get('/?v=two').set('Cookie', cookieHeader(first)).expect(200);
      expect(JSON.parse((await onReplica.get(prefix + sid))!)).toMatchObject({ v: 'two' });

      replica.pause();
      const start = Date.now();
      const res = await request(app.callback()).get('/?v=three').set('Cookie', cookieHeader(first)).expect(503);
      expect(Date.now() - start).toBeLessThan(1000);
      expect(res.text).toMatch(/^koa-typed-session: the session store is unavailable \(`patch` failed\)/);
      await request(app.callback()).get('/logout').set('Cookie', cookieHeader(first)).expect(503);
      // Log out everywhere writes a revocation mark in the user's index first: unconfirmed, it fails too.
      await expect(store.destroyAllOf('nobody')).rejects.toThrow(/replicas/);
      replica.resume();

      await request(app.callback()).get('/logout').set('Cookie', cookieHeader(first)).expect(200);
      expect(await onReplica.get(prefix + sid)).toBeNull();
    } finally {
      replica.resume();
      await store.quit();
    }
  });

  it('is 1 by default with Sentinel (created or passed in), 0 otherwise; validated at startup', () => {
    const sentinels = [{ host: '127.0.0.1', port: 1 }];
    const created = new RedisStore({ redis: { sentinels, name: 'm', lazyConnect: true } });
    const passed = new Redis({ sentinels, name: 'm', lazyConnect: true });
    const plain = new RedisStore({ url: master.url, redis: undefined });
    try {
      expect(created.waitReplicas).toBe(1);
      expect(new RedisStore({ client: passed }).waitReplicas).toBe(1);
      expect(new RedisStore({ client: passed, waitReplicas: 0 }).waitReplicas).toBe(0);
      expect(plain.waitReplicas).toBe(0);
      expect((created.client as Redis).options.failoverDetector).toBe(true);
      expect(() => new RedisStore({ url: master.url, waitReplicas: -1 })).toThrow(SessionConfigError);
      expect(() => new RedisStore({ url: master.url, waitReplicas: 1.5 })).toThrow(/waitReplicas.*whole number/);
      expect(() => new RedisStore({ url: master.url, waitTimeout: 0 })).toThrow(SessionConfigError);
    } finally {
      created.client.disconnect();
      passed.disconnect();
      plain.client.disconnect();
    }
  });
});
