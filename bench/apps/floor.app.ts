import Koa from 'koa';
import { BENCH_KEYS } from './counter';

/**
 * Two Set-Cookie lines of exactly the size of a real signed session of the benchmark (`{"view":2}`
 * plus the `_expire`/`_maxAge` bookkeeping: the same value, `.sig`, path, expires and httponly),
 * but constant: the floor answers the way a signed session does without doing any session work.
 */
export const FLOOR_SET_COOKIES: readonly string[] = [
  'koa.sess=eyJ2aWV3IjoyLCJfZXhwaXJlIjoxNzk2NTQwODY5MDc1LCJfbWF4QWdlIjo4NjQwMDAwMH0=; path=/; expires=Sun, 06 Dec 2026 07:07:49 GMT; httponly',
  'koa.sess.sig=MKRHPxgMgEcgmAiVJbNU0dfZBbs; path=/; expires=Sun, 06 Dec 2026 07:07:49 GMT; httponly',
];

/**
 * The floor: what is physically possible for the session scenarios. The same Koa app as theirs
 * (`app.keys`, the counter's routing on `ctx.path`, the same bodies), receiving the same session
 * cookies, but the session is not read: `/` answers `2 views` with the two constant Set-Cookie
 * lines above, `/read` answers `1 views` with none (bare Koa for the read-only scenario).
 * Everything a session scenario costs above this is the session library's own work.
 */
export function floorApp(): Koa {
  const app = new Koa();
  app.keys = BENCH_KEYS;
  const setCookies = [...FLOOR_SET_COOKIES];
  app.use((ctx) => {
    if (ctx.path === '/read') {
      ctx.body = '1 views';
      return;
    }
    ctx.set('Set-Cookie', setCookies);
    ctx.body = '2 views';
  });
  return app;
}
