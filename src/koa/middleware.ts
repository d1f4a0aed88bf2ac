import type Koa from 'koa';
import type { Context, Middleware } from 'koa';
import { DEBUG, debug } from '../core/diagnostics';
import { SessionConfigError } from '../core/errors';
import { RequestFlash } from '../core/flash';
import { normalizeOptions, type NormalizedOptions, type SessionOptions } from '../core/options';
import type { Session } from '../core/session';
import { SessionContext, type RequestPort } from '../core/session-context';
import type { SessionEvent } from '../core/types';
import { KoaCookieJar, signerFor } from './koa-cookie-jar';

/** The options of {@link createSession} with Koa's context type. */
export type KoaSessionOptions = SessionOptions<Context>;

/** koa-session 7's name for the options of `createSession` (there: `Partial<SessionOptions>`). */
export type CreateSessionOptions = KoaSessionOptions;

/**
 * The payload of the `session:*` app events with Koa's context type.
 *
 * @example
 * ```ts
 * app.on('session:invalid', ({ reason, ctx }: KoaSessionEvent) => log.warn({ reason, ip: ctx.ip }));
 * ```
 */
export type KoaSessionEvent = SessionEvent<Context>;

const SESSION_CONTEXT = Symbol('koa-typed-session#context');
const SESSION_OPTIONS = Symbol('koa-typed-session#options');
const FLASH = Symbol('koa-typed-session#flash');

type WithSession = Context & { [SESSION_CONTEXT]?: SessionContext<Context>; [FLASH]?: RequestFlash };
type ExtendedContext = Koa['context'] & { [SESSION_OPTIONS]?: NormalizedOptions<Context> };

/** Binds the engine to one Koa request: the request port and the cookie jar in one object. */
class KoaRequestPort extends KoaCookieJar implements RequestPort<Context> {
  readonly jar = this;

  emit(event: string, payload: SessionEvent<Context>): void {
    if (DEBUG) debug('%s %s (key %s)', event, payload.reason ?? '', payload.key ?? '-');
    const app = this.ctx.app;
    setImmediate(() => app.emit(event, payload));
  }

  isSecure(): boolean {
    return this.ctx.secure;
  }

  outgoingCookies(): string[] {
    return this.outgoing();
  }

  now(): number {
    return Date.now();
  }
}

/** The request's session lifecycle, created on first use. */
export function contextSession(ctx: Context): SessionContext<Context> {
  const holder = ctx as WithSession;
  let sess = holder[SESSION_CONTEXT];
  if (!sess) {
    const options = (ctx.app.context as ExtendedContext)[SESSION_OPTIONS];
    if (!options)
      throw new SessionConfigError(
        'session',
        'middleware is not installed on this app',
        'Call `app.use(session(opts, app))` first.',
      );
    sess = holder[SESSION_CONTEXT] = new SessionContext(new KoaRequestPort(ctx), options);
  }
  return sess;
}

function isApp(value: unknown): value is Koa {
  return typeof (value as { use?: unknown } | null)?.use === 'function';
}

/** `ctx.flash`: the request's flash messages, created on first use (nothing is loaded until it is used). */
export function contextFlash(ctx: Context): RequestFlash {
  const holder = ctx as WithSession;
  let flash = holder[FLASH];
  if (!flash) {
    const sess = contextSession(ctx);
    flash = holder[FLASH] = new RequestFlash({
      session: () => sess.get(),
      renew: () => {
        sess.set({});
        return sess.get()!;
      },
      claim: (names) => sess.claim(names),
    });
  }
  return flash;
}

/** Defines `ctx.session`, `ctx.sessionOptions`, `ctx.sessionId` and `ctx.flash` on the app's context prototype, once. */
function extendContext(context: ExtendedContext, options: NormalizedOptions<Context>): void {
  // As koa-session: a second session() on the same app keeps the first one's options.
  if (Object.prototype.hasOwnProperty.call(context, SESSION_OPTIONS)) return;
  Object.defineProperty(context, SESSION_OPTIONS, { value: options });
  Object.defineProperties(context, {
    session: {
      // configurable, so that tests can mock ctx.session (koa-session allows it too)
      configurable: true,
      get(this: Context): Session | null {
        return contextSession(this).get();
      },
      set(this: Context, value: unknown) {
        contextSession(this).set(value);
      },
    },
    sessionOptions: {
      get(this: Context): Record<string, unknown> {
        return contextSession(this).sessionOptions;
      },
    },
    sessionId: {
      get(this: Context): string | undefined {
        return contextSession(this).externalKey;
      },
    },
    flash: {
      configurable: true,
      get(this: Context): RequestFlash {
        return contextFlash(this);
      },
    },
  });
}

/**
 * Creates the session middleware: `session(opts, app)`, `session(app, opts)` or `session(app)`,
 * exactly as koa-session. Options are checked here, at startup.
 *
 * @example
 * ```ts
 * const app = new Koa();
 * app.keys = ['a secret'];
 * app.use(session({ maxAge: 86_400_000, rolling: true }, app));
 * ```
 * @throws TypeError when no app is given; {@link SessionConfigError} for invalid options.
 */
export function createSession(opts: KoaSessionOptions | Koa, app?: Koa | KoaSessionOptions): Middleware {
  let options: unknown = opts;
  let koa: unknown = app;
  if (isApp(opts)) {
    koa = opts;
    options = app;
  }
  if (!isApp(koa)) throw new TypeError('app instance required: `session(opts, app)`');
  const config = normalizeOptions<Context>(options as KoaSessionOptions | undefined);
  if (config.signed && !signerFor(koa.keys)) {
    throw new SessionConfigError(
      'signed',
      'needs app.keys, which is not set',
      "Set `app.keys = ['a long random secret']` before calling session(), or pass `signed: false` (not recommended).",
    );
  }
  extendContext(koa.context as ExtendedContext, config);

  return async function session(ctx: Context, next: () => Promise<unknown>): Promise<void> {
    const sess = contextSession(ctx);
    if (sess.loadsEagerly) await sess.load();
    try {
      await next();
    } finally {
      if (config.autoCommit) {
        // Synchronous in cookie mode: only a store or a hook leaves a promise to await.
        const committing = sess.autoCommit();
        if (committing) await committing;
      }
    }
  };
}
