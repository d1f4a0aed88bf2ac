import Koa from 'koa';
import { createSession as koaSession } from 'koa-session';
import { session, type KoaSessionOptions } from 'koa-typed-session';

/** Which middleware an app runs: the real koa-session 7, or this package. */
export type Impl = 'koa-session' | 'ours';

/**
 * An app running `impl` with `options` (a fresh copy each time: koa-session mutates its options)
 * and the handler. Both use the same app.keys.
 */
export function implApp(
  impl: Impl,
  options: KoaSessionOptions,
  handler: Koa.Middleware,
  keys: string[] | null = ['k1', 'k2'],
): Koa {
  const app = new Koa();
  if (keys) app.keys = keys;
  const opts = { ...options };
  const middleware =
    impl === 'ours' ? session(opts, app) : (koaSession(opts as never, app as never) as unknown as Koa.Middleware);
  app.use(middleware);
  app.use(handler);
  return app;
}

/** The other implementation. */
export function other(impl: Impl): Impl {
  return impl === 'ours' ? 'koa-session' : 'ours';
}
