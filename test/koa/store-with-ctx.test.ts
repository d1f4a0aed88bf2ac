/** koa-session store_with_ctx.test #117-#120: every store call receives ctx. */
import Koa from 'koa';
import { session } from 'koa-typed-session';
import { cookieHeader, request } from './support/http';
import { CtxTracingStore } from './support/stores';

function app(store: CtxTracingStore): Koa {
  const a = new Koa();
  a.keys = ['a', 'b'];
  a.use(async (ctx, next) => {
    await next();
    ctx.body = ctx.state.test ?? 'undefined';
  });
  a.use(session({ store }, a));
  a.use((ctx) => {
    if (ctx.path === '/set') ctx.session = { foo: 'bar' };
    if (ctx.path === '/destroy') ctx.session = null;
  });
  return a;
}

describe('store methods receive ctx', () => {
  it('ks#117 a new session not accessed: no store call', async () => {
    await request(app(new CtxTracingStore()).callback()).get('/').expect('undefined');
  });

  it('ks#118-#120 set, get and destroy receive ctx', async () => {
    const store = new CtxTracingStore();
    const set = await request(app(store).callback()).get('/set').expect('set');
    const cookie = cookieHeader(set);
    await request(app(store).callback()).get('/').set('Cookie', cookie).expect('get');
    await request(app(store).callback()).get('/destroy').set('Cookie', cookie).expect('destroyed');
  });
});
