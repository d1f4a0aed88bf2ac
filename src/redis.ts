/**
 * koa-typed-session/redis: the Redis session store (loads ioredis).
 */
export { RedisStore } from './stores/redis-store';
export type { RedisStoreOptions } from './stores/redis-store-options';
