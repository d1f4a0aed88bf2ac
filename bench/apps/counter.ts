import type { Context } from 'koa';

/** The keys every benchmark app signs with (`app.keys`). */
export const BENCH_KEYS = ['bench-signing-key-newest', 'bench-signing-key-older'];

/**
 * The seed's handler: `/read` only reads the counter, any other path reads and increments it.
 * Shared by the koa-session apps and ours, so both sides do exactly the same work.
 */
export function counter(ctx: Context): void {
  const session = ctx.session!;
  if (ctx.path === '/read') {
    ctx.body = `${session.view ?? 0} views`;
    return;
  }
  if (!session.view) session.view = 0;
  session.view++;
  ctx.body = `${session.view} views`;
}
