import Koa from 'koa';
import redisStore from 'koa-redis';
import koaSession from 'koa-session';
import type { CreateSessionOptions } from 'koa-session';
import { BENCH_KEYS, counter } from './counter';

type KoaSessionStore = NonNullable<CreateSessionOptions['store']>;

function withKoaSession(options: CreateSessionOptions): Koa {
  const app = new Koa();
  app.keys = BENCH_KEYS;
  app.use(koaSession(options, app));
  app.use(counter);
  return app;
}

/** koa-session 7, signed cookies (its default). */
export function koaSessionSigned(): Koa {
  return withKoaSession({});
}

/** koa-session 7, `signed: false`. */
export function koaSessionUnsigned(): Koa {
  return withKoaSession({ signed: false });
}

/** koa-session 7 with the simplest in-process store: a Map of the payload objects. */
export function koaSessionMapStore(): Koa {
  const map = new Map<string, unknown>();
  const store: KoaSessionStore = {
    // koa-session's types want promises (it awaits every store call anyway).
    get: async (key: string) => map.get(key),
    set: async (key: string, sess: unknown) => {
      map.set(key, sess);
    },
    destroy: async (key: string) => {
      map.delete(key);
    },
  };
  return withKoaSession({ store });
}

/** koa-session 7 with koa-redis 4 (ioredis) on the benchmark's redis-server. */
export function koaSessionRedis(redisUrl: string): Koa {
  const url = new URL(redisUrl);
  return withKoaSession({ store: redisStore({ host: url.hostname, port: Number(url.port) }) });
}
