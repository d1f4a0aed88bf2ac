import { AsyncLocalStorage } from 'node:async_hooks';
import type { Context, Middleware } from 'koa';
import { SessionStateError } from '../core/errors';
import { RequestState } from './request-state';
import type { RequestValidationOptions } from './validate-request';
import { compileSchema, type CompiledSchema } from './validate-session';

/**
 * An app's request scope: an AsyncLocalStorage holding the current request's {@link RequestState},
 * so that `SessionService` (a singleton per app) finds the right session in any service, however
 * deep, without `ctx` being passed around. One per app: two apps never share state.
 */
export class RequestScope {
  private readonly storage = new AsyncLocalStorage<RequestState>();
  /** Where a request's state is kept on its `ctx`: one key per app (a mounted app shares `ctx`). */
  private readonly key = Symbol('koa-typed-session#request-state');
  /** Compiled schemas of this app, by class: metadata is read once per class. */
  private readonly schemas = new Map<unknown, CompiledSchema | undefined>();
  /** Whether the app has the session middleware (set by createApp). */
  sessionsEnabled = false;
  /** The app's request-DTO validation options (`createApp({ validation })`), read when routes are compiled. */
  validation: RequestValidationOptions = {};

  /** The schema for a class (compiled on first use, then cached); `undefined` for untyped. */
  schemaFor(type: unknown, where: string): CompiledSchema | undefined {
    if (this.schemas.has(type)) return this.schemas.get(type);
    const schema = compileSchema(type, where);
    this.schemas.set(type, schema);
    return schema;
  }

  /**
   * Whether requests run inside the AsyncLocalStorage. Only `SessionService` and `FlashService`
   * find their request through it (routes get theirs from `ctx`), and on Node 20 an active
   * AsyncLocalStorage costs promise hooks on every promise and socket resource of every request.
   * Turned on for good by {@link useAmbient}.
   */
  private ambient = false;

  /** Requests use the AsyncLocalStorage from now on (called by SessionService and FlashService). */
  useAmbient(): void {
    this.ambient = true;
  }

  /** The state of the request `ctx` (for routes, which have `ctx`); same errors as {@link require}. */
  stateOf(ctx: Context, operation: string): RequestState {
    return this.check((ctx as unknown as Record<symbol, RequestState | undefined>)[this.key], operation);
  }

  /** The current request's state. @throws SessionStateError outside a request or after it ended. */
  require(operation: string): RequestState {
    return this.check(this.storage.getStore(), operation);
  }

  private check(state: RequestState | undefined, operation: string): RequestState {
    // `operation` names a SessionService member, or a whole name such as `FlashService.set()`.
    const what = operation.includes('.') ? operation : `SessionService.${operation}`;
    if (!state) {
      throw new SessionStateError(
        `${what} was used outside a request. It works while an app from createApp() handles a ` +
          'request: in a controller, or in a service a controller calls. There is no current session elsewhere.',
      );
    }
    if (state.closed) {
      throw new SessionStateError(
        `${what} was used after its request had finished (e.g. from a timer). ` +
          'Its session is already committed: finish session work before the handler returns.',
      );
    }
    return state;
  }

  /**
   * The middleware that opens the scope. Mounted inside the session middleware, so that typed
   * edits are written back into `ctx.session` before the engine commits.
   */
  middleware(): Middleware {
    const { storage, key } = this;
    // eslint-disable-next-line @typescript-eslint/no-this-alias -- the returned middleware is a named function (Koa logs its name)
    const scope = this;
    return async function sessionScope(ctx: Context, next: () => Promise<unknown>): Promise<void> {
      const state = new RequestState(ctx, scope.sessionsEnabled);
      (ctx as unknown as Record<symbol, RequestState>)[key] = state;
      try {
        if (scope.ambient) await storage.run(state, next);
        else await next();
      } catch (err) {
        // Like koa-session, a failed request still commits its changes, but never invalid ones;
        // the handler's own error is the one reported.
        try {
          await state.flush();
        } catch {
          // invalid edits are dropped; the handler's error wins
        }
        state.closed = true;
        throw err;
      }
      try {
        // flush() is synchronous when every schema validates synchronously: no promise to wait for.
        const pending = state.flush();
        if (pending) await pending;
      } finally {
        state.closed = true;
      }
    };
  }
}
