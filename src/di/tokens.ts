import type { InjectionToken } from 'tsyringe';
import type { SessionStore } from '../core/types';

/**
 * The session store of an app built with `createApp`. Bind it to choose where sessions live
 * (`MemoryStore`, `RedisStore`, koa-redis or any koa-session store); leave it unbound for cookie
 * sessions. `SessionModule` registers the store it uses under this token, so services can inject it.
 *
 * @example
 * ```ts
 * createApp({
 *   providers: [{ provide: SESSION_STORE, useValue: new MemoryStore() }],
 *   imports: [SessionModule.forRoot({ maxAge: 86_400_000 })],
 *   controllers: [CartController],
 * });
 * // in a service: constructor(@inject(SESSION_STORE) private readonly store: SessionStore) {}
 * ```
 */
export const SESSION_STORE: InjectionToken<SessionStore> = Symbol('koa-typed-session#store');
