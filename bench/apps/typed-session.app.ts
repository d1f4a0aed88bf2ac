import Koa from 'koa';
import { MemoryStore, session, type KoaSessionOptions } from 'koa-typed-session';
import { RedisStore } from 'koa-typed-session/redis';
import { BENCH_KEYS, counter } from './counter';

/** A 43-character secret for the encrypted scenario (the `encrypt` option wants >= 32). */
export const BENCH_ENCRYPTION_KEY = 'bench-encryption-key-0123456789-abcdefghijk';

function withTypedSession(options: KoaSessionOptions): Koa {
  const app = new Koa();
  app.keys = BENCH_KEYS;
  app.use(session(options, app));
  app.use(counter);
  return app;
}

/** Ours, signed cookies (the default, as in koa-session). */
export function typedSessionSigned(): Koa {
  return withTypedSession({});
}

/** Ours, `signed: false`. */
export function typedSessionUnsigned(): Koa {
  return withTypedSession({ signed: false });
}

/** Ours, AES-256-GCM encrypted cookies. */
export function typedSessionEncrypted(): Koa {
  return withTypedSession({ encrypt: { keys: [BENCH_ENCRYPTION_KEY] } });
}

/** Ours with the bundled MemoryStore (JSON values, TTL, bounded). */
export function typedSessionMemoryStore(): Koa {
  return withTypedSession({ store: new MemoryStore({ maxEntries: 100_000 }) });
}

/** Ours with RedisStore (ioredis) on the benchmark's redis-server. */
export function typedSessionRedis(redisUrl: string): Koa {
  return withTypedSession({ store: new RedisStore({ url: redisUrl }) });
}
