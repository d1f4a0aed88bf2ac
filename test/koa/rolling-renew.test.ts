/** koa-session cookie.test #41-#42 and store.test #74-#79: `rolling` and `renew`. */
import { cookieHeader, createTestApp, freezeTime, request, setCookies } from './support/http';
import { JsonStore } from './support/stores';
import type Koa from 'koa';

function routes(app: Koa): Koa {
  app.use((ctx) => {
    if (ctx.path === '/set') ctx.session = { foo: 'bar' };
    ctx.body = ctx.session;
  });
  return app;
}

describe.each([
  ['cookie mode', () => ({})],
  ['store mode', () => ({ store: new JsonStore() })],
])('rolling and renew (%s)', (_mode, extra) => {
  afterEach(() => jest.restoreAllMocks());

  it('ks#41/#74 rolling: no Set-Cookie without a session', async () => {
    const app = routes(createTestApp({ rolling: true, ...extra() }));
    const res = await request(app.callback()).get('/').expect({});
    expect(res.headers['set-cookie']).toBeUndefined();
  });

  it('ks#42/#75 rolling: Set-Cookie on every request with an unchanged session', async () => {
    const app = routes(createTestApp({ rolling: true, ...extra() }));
    const set = await request(app.callback()).get('/set').expect({ foo: 'bar' });
    expect(setCookies(set)).toHaveLength(2);
    const res = await request(app.callback()).get('/').set('Cookie', cookieHeader(set)).expect({ foo: 'bar' });
    expect(setCookies(res)).toHaveLength(2);
  });

  it('ks#77 renew: no Set-Cookie without a session', async () => {
    const app = routes(createTestApp({ renew: true, maxAge: 2000, ...extra() }));
    const res = await request(app.callback()).get('/').expect({});
    expect(res.headers['set-cookie']).toBeUndefined();
  });

  it('ks#78 renew: re-saves when less than half of maxAge is left', async () => {
    const clock = freezeTime();
    const app = routes(createTestApp({ renew: true, maxAge: 2000, ...extra() }));
    const set = await request(app.callback()).get('/set');
    expect(setCookies(set)).toHaveLength(2);
    clock.advance(1200);
    const res = await request(app.callback()).get('/').set('Cookie', cookieHeader(set)).expect({ foo: 'bar' });
    expect(setCookies(res)).toHaveLength(2);
  });

  it('ks#79 renew: does not re-save when more than half of maxAge is left', async () => {
    const clock = freezeTime();
    const app = routes(createTestApp({ renew: true, maxAge: 2000, ...extra() }));
    const set = await request(app.callback()).get('/set');
    clock.advance(500);
    const res = await request(app.callback()).get('/').set('Cookie', cookieHeader(set)).expect({ foo: 'bar' });
    expect(res.headers['set-cookie']).toBeUndefined();
  });

  it("renew never triggers with maxAge: 'session'", async () => {
    const clock = freezeTime();
    const app = routes(createTestApp({ renew: true, maxAge: 'session', ...extra() }));
    const set = await request(app.callback()).get('/set');
    clock.advance(10 * 86_400_000);
    const res = await request(app.callback()).get('/').set('Cookie', cookieHeader(set)).expect({ foo: 'bar' });
    expect(res.headers['set-cookie']).toBeUndefined();
  });
});

describe('rolling and renew reach the store', () => {
  it('rolling re-saves with changed: false, rolling: true', async () => {
    const store = new JsonStore();
    const app = routes(createTestApp({ rolling: true, store }));
    const set = await request(app.callback()).get('/set');
    await request(app.callback()).get('/').set('Cookie', cookieHeader(set));
    const sets = store.callsOf('set');
    expect(sets.map((c) => c.options)).toEqual([
      { changed: true, rolling: true, ctx: expect.anything() },
      { changed: false, rolling: true, ctx: expect.anything() },
    ]);
    expect(store.callsOf('get')[0]!.options).toEqual({ rolling: true, ctx: expect.anything() });
  });

  it('renew re-saves with changed: false', async () => {
    const clock = freezeTime();
    const store = new JsonStore();
    const app = routes(createTestApp({ renew: true, maxAge: 2000, store }));
    const set = await request(app.callback()).get('/set');
    clock.advance(1500);
    await request(app.callback()).get('/').set('Cookie', cookieHeader(set));
    expect(store.callsOf('set').map((c) => c.options.changed)).toEqual([true, false]);
    jest.restoreAllMocks();
  });
});
