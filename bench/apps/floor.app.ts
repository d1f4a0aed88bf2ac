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

/**
 * The floor plus `micros` µs of pure CPU work per request (a busy loop on the monotonic clock,
 * allocating nothing): a calibration. It shows what a given amount of work per request, measured
 * in-process, costs in req/s over sockets on this machine, so the socket ratios can be read as an
 * in-process budget (docs/benchmarks.md, "Against the floor").
 */
export function floorWithWorkApp(micros: number): Koa {
  const app = floorApp();
  const ns = BigInt(Math.round(micros * 1000));
  app.middleware.unshift((_ctx, next) => {
    const until = process.hrtime.bigint() + ns;
    while (process.hrtime.bigint() < until);
    return next();
  });
  return app;
}

let _sink: unknown; // module-level, so the objects escape and are really allocated

/**
 * The floor plus short-lived garbage: `count` small objects per request (about 110 bytes each, as
 * `MICRO_ALLOC=1` measures them: an object of three fields holding a two-element array), dropped
 * at once. 40 of them (4.6 KB) are about the 4.5 KB a signed session adds to a request. A calibration beside
 * {@link floorWithWorkApp}: what allocation alone costs over sockets, where the garbage collector
 * also copies the live sockets' objects.
 */
export function floorWithGarbageApp(count: number): Koa {
  const app = floorApp();
  app.middleware.unshift((_ctx, next) => {
    for (let i = 0; i < count; i++) _sink = { a: i, b: i + 1, c: [i, i] };
    return next();
  });
  return app;
}
