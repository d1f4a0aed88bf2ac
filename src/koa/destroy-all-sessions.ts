import type { Context } from 'koa';
import { contextSession } from './middleware';

/**
 * "Log out everywhere": destroys every stored session of one user, through the configured store's
 * `destroyAllOf` capability (RedisStore and MemoryStore have it when created with `userField`).
 * Resolves to what the store returns (the number of sessions destroyed for the built-in stores).
 *
 * The current request's session is destroyed too when it belongs to that user; its later commit
 * writes nothing back (stores with `patch` never resurrect a destroyed record). Set
 * `ctx.session = null` as well to clear this browser's cookie.
 *
 * @example
 * ```ts
 * const store = new RedisStore({ url: process.env.REDIS_URL, userField: 'userId' });
 * app.use(session({ store }, app));
 * router.post('/logout-everywhere', async (ctx) => {
 *   await destroyAllSessionsOf(ctx, ctx.session!.userId);
 *   ctx.session = null;
 * });
 * ```
 * @throws SessionConfigError when no store is configured or it lacks `destroyAllOf`;
 *   SessionStoreError (503 by default) when the store fails or exceeds `storeTimeout`.
 */
export function destroyAllSessionsOf(ctx: Context, userId: string | number): Promise<unknown> {
  return contextSession(ctx).destroyAllOf(userId);
}
