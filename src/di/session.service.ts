import { requireSave, type Session as EngineSession } from '../core/session';
import type { SessionData } from '../core/types';
import { destroyAllSessionsOf } from '../koa/destroy-all-sessions';
import type { Type } from './metadata';
import type { RequestScope } from './request-scope';

/** Options of {@link SessionService.regenerate}. */
export interface RegenerateOptions {
  /** Keep the session's data under the new id (`true`), or start empty (`false`). @default true */
  keepData?: boolean;
  /**
   * Start a new absolute clock (`absoluteTimeout`), as at a fresh login. By default the clock
   * survives the rotation, so rotating ids periodically never extends a session. @default false
   */
  restartAbsolute?: boolean;
}

/**
 * The current request's session, injectable anywhere in an app built by `createApp` (controllers
 * and the services they call, however deep) without passing `ctx` around. It is one object per
 * app; the request is found through an AsyncLocalStorage, so concurrent requests never see each
 * other's session. Used outside a request it throws a `SessionStateError`.
 *
 * @example
 * ```ts
 * @injectable()
 * export class CartService {
 *   constructor(private readonly sessions: SessionService) {}
 *   async add(sku: string) {
 *     const cart = await this.sessions.get(CartSession); // the same live object as @Session()
 *     cart.items.push(sku);
 *   }
 * }
 * ```
 */
export class SessionService {
  /** @internal Created by SessionModule: inject SessionService, never construct it. */
  constructor(private readonly scope: RequestScope) {
    // It finds its request through the scope's AsyncLocalStorage: from now on requests run in it.
    scope.useAmbient();
  }

  /**
   * The request's live instance of a schema class: loaded, validated (the schema's `onInvalid`
   * policy applies) and shared with every `@Session()` of that class in this request. Its edits
   * are validated and committed when the request ends, or at `save()` / `regenerate()`.
   */
  async get<T extends object>(schema: Type<T>): Promise<T> {
    const state = this.scope.require('get()');
    const compiled = this.scope.schemaFor(schema, `SessionService.get(${schema.name})`);
    if (!compiled) return state.session() as unknown as T;
    return (await state.get(compiled)) as T;
  }

  /** The untyped session (`ctx.session`), or `null` after `destroy()`. Typed edits reach it at save/commit. */
  get session(): (EngineSession & SessionData) | null {
    return this.scope.require('session').session();
  }

  /** The session's store id (`ctx.sessionId`), also for a new session (the id it will be saved under); `undefined` in cookie mode. */
  get id(): string | undefined {
    const state = this.scope.require('id');
    state.session();
    return state.ctx.sessionId;
  }

  /** True when this request started without a stored session. */
  get isNew(): boolean {
    return this.scope.require('isNew').session()?.isNew ?? true;
  }

  /**
   * Moves the session to a new id (session-fixation defence: call it at login) and writes it now;
   * the old record is destroyed after the new one is written. Injected instances stay usable:
   * with `keepData: false` they are reset to fresh instances in place.
   * @throws SessionValidationError when pending typed edits are invalid (nothing is written).
   */
  async regenerate(options: RegenerateOptions = {}): Promise<void> {
    const state = this.scope.require('regenerate()');
    await state.flush();
    let session = state.session();
    if (!session) {
      // Destroyed earlier in this request: regenerating starts a new, empty session.
      state.ctx.session = {};
      session = state.session()!;
    }
    if (options.keepData === false) {
      state.clearData(session);
      state.resetAll();
    }
    await session.regenerate({ restartAbsolute: options.restartAbsolute === true });
  }

  /**
   * "Log out everywhere": destroys every stored session of one user, now, through the store's
   * `destroyAllOf` capability (RedisStore / MemoryStore created with `userField`). Resolves to the
   * number of sessions destroyed (for the built-in stores). Call `destroy()` too to clear this
   * browser's cookie.
   * @throws SessionConfigError when the store lacks the capability; SessionStoreError when it fails.
   */
  destroyAllOf(userId: string | number): Promise<unknown> {
    return destroyAllSessionsOf(this.scope.require('destroyAllOf()').ctx, userId);
  }

  /** Destroys the session (`ctx.session = null`): the cookie is cleared and the store record removed at commit. */
  destroy(): void {
    const state = this.scope.require('destroy()');
    state.session();
    state.ctx.session = null;
    state.resetAll();
  }

  /**
   * Validates pending typed edits and saves now, even when nothing changed (e.g. before a redirect
   * that must see the data). @throws SessionValidationError when the edits are invalid.
   */
  async save(): Promise<void> {
    const state = this.scope.require('save()');
    await state.flush();
    await state.session()?.save();
  }

  /**
   * Extends the session's lifetime at commit without changing its data (stores with `touch` are
   * asked to extend the TTL only). Does nothing for a new, empty session.
   */
  touch(): void {
    const session = this.scope.require('touch()').session();
    if (!session || (session.isNew && !session.populated)) return;
    requireSave(session);
  }
}
