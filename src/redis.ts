/**
 * koa-typed-session/redis: the Redis session store. Needs the optional peer dependency `ioredis`.
 */
import './peers/redis';

export { RedisStore } from './stores/redis-store';
export type { RedisStoreOptions } from './stores/redis-store-options';
