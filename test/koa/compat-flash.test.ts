/**
 * Flash messages next to the real koa-session 7: its keys are ordinary session keys, so koa-session
 * reads a cookie (or store record) carrying them and writes them back intact.
 */
import type Koa from 'koa';
import { FLASH_PREFIX } from 'koa-typed-session';
import { cookieHeader, request } from './support/http';
import { implApp } from './support/compat';
import { JsonStore } from './support/stores';

/** Ours: `/set` flashes a notice, `/read` answers what this request received. */
const ours: Koa.Middleware = async (ctx) => {
  if (ctx.path === '/set') ctx.flash.set('notice', 'Saved ✓');
  ctx.body = ctx.path === '/read' ? await ctx.flash.all() : {};
};

/** koa-session: counts views (so it rewrites the session) and shows the keys it sees. */
const theirs: Koa.Middleware = (ctx) => {
  const s = ctx.session as unknown as Record<string, unknown> & { toJSON(): Record<string, unknown> };
  s.views = ((s.views as number | undefined) ?? 0) + 1;
  ctx.body = Object.keys(s.toJSON()).filter((k) => k !== 'views');
};

describe.each([
  ['cookie mode', () => ({})],
  ['store mode (a koa-session store)', () => ({ store: new JsonStore() })],
])('flash data through koa-session 7, %s', (_name, makeOptions) => {
  it('koa-session sees an ordinary key, writes it back intact, and ours then receives the message', async () => {
    const options = makeOptions();
    const set = await request(implApp('ours', options, ours).callback())
      .get('/set')
      .expect(200);
    const passed = await request(implApp('koa-session', options, theirs).callback())
      .get('/')
      .set('Cookie', cookieHeader(set))
      .expect(200);
    const keys = passed.body as string[];
    expect(keys).toHaveLength(1);
    expect(keys[0]!.startsWith(FLASH_PREFIX)).toBe(true);
    const cookie = 'store' in options ? cookieHeader(set) : cookieHeader(passed);
    await request(implApp('ours', options, ours).callback())
      .get('/read')
      .set('Cookie', cookie)
      .expect(200, { notice: 'Saved ✓' });
  });
});
