import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Koa from 'koa';
import Redis from 'ioredis';
import request from 'supertest';
import { session } from 'koa-typed-session';
import { RedisStore } from 'koa-typed-session/redis';
import { cookieHeader } from '../helpers/app';
import { freePort, pingRedis, redisServerBinary, startRedisServer, uniquePrefix } from '../helpers/redis';
import { startOneNodeCluster } from '../helpers/redis-topology';

/**
 * Login, 20 parallel writers, a rotation, a rotation that a logout overtakes (revocation wins),
 * then "log out everywhere": the store's whole feature set, end to end.
 */
async function exercise(store: RedisStore): Promise<void> {
  const app = new Koa();
  app.keys = ['k'];
  app.silent = true;
  let entered!: () => void;
  let open!: () => void;
  const inGate = new Promise<void>((resolve) => (entered = resolve));
  const gate = new Promise<void>((resolve) => (open = resolve));
  app.use(session({ store }, app));
  app.use(async (ctx) => {
    if (ctx.path === '/login') ctx.session!.userId = 'ann';
    else if (ctx.path === '/rotate') await ctx.session!.regenerate();
    else if (ctx.path === '/rotate-late') {
      entered();
      await gate;
      await ctx.session!.regenerate();
    } else if (ctx.path === '/logout') {
      ctx.session = null;
      ctx.body = 0;
      return;
    } else if (ctx.path.startsWith('/set/')) {
      await new Promise((r) => setTimeout(r, 20));
      ctx.session![ctx.path.slice(5)] = 1;
    }
    ctx.body = Object.keys(ctx.session!.toJSON()).length;
  });
  const cookie = cookieHeader(await request(app.callback()).get('/login').expect(200));
  await Promise.all(
    Array.from({ length: 20 }, (_, i) => request(app.callback()).get(`/set/k${i}`).set('Cookie', cookie).expect(200)),
  );
  expect((await request(app.callback()).get('/').set('Cookie', cookie).expect(200)).body).toBe(21);
  // rename(): the two records may sit in different slots (on Cluster, two steps instead of one script).
  const rotated = cookieHeader(await request(app.callback()).get('/rotate').set('Cookie', cookie).expect(200));
  expect((await request(app.callback()).get('/').set('Cookie', cookie).expect(200)).body).toBe(0);
  expect((await request(app.callback()).get('/').set('Cookie', rotated).expect(200)).body).toBe(21);
  const other = cookieHeader(await request(app.callback()).get('/login').expect(200));
  const late = request(app.callback())
    .get('/rotate-late')
    .set('Cookie', other)
    .then((r) => r);
  try {
    await inGate;
    await request(app.callback()).get('/logout').set('Cookie', other).expect(200);
  } finally {
    open();
  }
  expect((await late).status).toBe(401);
  expect(await store.destroyAllOf('ann')).toBe(1);
  expect((await request(app.callback()).get('/').set('Cookie', rotated).expect(200)).body).toBe(0);
}

describe('RedisStore on Redis Cluster and Sentinel (real servers)', () => {
  it('works on a Redis Cluster: every command and script touches a single key (no CROSSSLOT)', async () => {
    const { node, admin } = await startOneNodeCluster();
    let store: RedisStore | undefined;
    try {
      store = new RedisStore({
        cluster: { nodes: [{ host: '127.0.0.1', port: node.port }] },
        prefix: uniquePrefix('cluster'),
        userField: 'userId',
      });
      await exercise(store);
    } finally {
      await store?.quit();
      admin.disconnect();
      await node.close();
    }
  });

  it('works through Sentinel (the store finds the master by name)', async () => {
    const master = await startRedisServer();
    // With Sentinel the store confirms each write on a replica (waitReplicas defaults to 1).
    const replica = await startRedisServer({ extraArgs: ['--replicaof', '127.0.0.1', String(master.port)] });
    const port = await freePort();
    const dir = mkdtempSync(join(tmpdir(), 'kts-sentinel-'));
    const conf = join(dir, 'sentinel.conf');
    writeFileSync(conf, `port ${port}\nbind 127.0.0.1\ndir ${dir}\nsentinel monitor kts 127.0.0.1 ${master.port} 1\n`);
    const sentinel: ChildProcess = spawn(redisServerBinary(), [conf, '--sentinel'], { stdio: 'ignore' });
    let store: RedisStore | undefined;
    try {
      for (const deadline = Date.now() + 10_000; !(await pingRedis(port));) {
        if (Date.now() > deadline) throw new Error('sentinel did not start');
        await new Promise((r) => setTimeout(r, 50));
      }
      const onReplica = new Redis(replica.url);
      try {
        for (
          const deadline = Date.now() + 10_000;
          !(await onReplica.info('replication')).includes('master_link_status:up');
        ) {
          if (Date.now() > deadline) throw new Error('replica not in sync');
          await new Promise((r) => setTimeout(r, 50));
        }
      } finally {
        onReplica.disconnect();
      }
      store = new RedisStore({
        redis: { sentinels: [{ host: '127.0.0.1', port }], name: 'kts' },
        prefix: uniquePrefix('sentinel'),
        userField: 'userId',
      });
      await exercise(store);
    } finally {
      await store?.quit();
      await new Promise<void>((resolve) => {
        sentinel.once('exit', () => resolve());
        sentinel.kill('SIGKILL');
      });
      await replica.close();
      await master.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
