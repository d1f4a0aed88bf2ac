/** The app events session:missed, session:expired, session:invalid: payloads and timing. */
import {
  cookieHeader,
  createTestApp,
  encodeCookie,
  flushEvents,
  recordEvents,
  request,
  signCookie,
  signedCookieHeader,
} from './support/http';
import { JsonStore } from './support/stores';

/** A store id of the default genid's shape (a uuid): ids of another shape never reach the store. */
const UNKNOWN = '3b241101-e2bb-4255-8caf-4136c566a962';

describe('session events', () => {
  it('are emitted asynchronously (after the current tick), with { key, value, ctx, reason }', async () => {
    const app = createTestApp();
    const order: string[] = [];
    app.on('session:expired', () => order.push('event'));
    app.use((ctx) => {
      void ctx.session;
      order.push('handler-after-load');
      ctx.body = 'ok';
    });
    const stale = { a: 1, _expire: 1, _maxAge: 1 };
    const events = recordEvents(app);
    await request(app.callback()).get('/').set('Cookie', signedCookieHeader(stale));
    await flushEvents();
    expect(order).toEqual(['handler-after-load', 'event']);
    const { payload } = events[0]!;
    expect(Object.keys(payload).sort()).toEqual(['ctx', 'key', 'reason', 'value']);
    expect(payload.key).toBeUndefined(); // cookie mode: no key, as koa-session
    expect(payload.value).toEqual(stale);
    expect((payload.ctx as { path: string }).path).toBe('/');
  });

  it('session:missed: store mode, unknown id, key is the id', async () => {
    const app = createTestApp({ store: new JsonStore() });
    const events = recordEvents(app);
    app.use((ctx) => void (ctx.body = ctx.session!.isNew));
    await request(app.callback())
      .get('/')
      .set('Cookie', `koa.sess=${UNKNOWN}; koa.sess.sig=${signCookie('koa.sess', UNKNOWN, 'a')}`);
    await flushEvents();
    expect(events.map((e) => [e.name, e.payload.key, e.payload.value, e.payload.reason])).toEqual([
      ['session:missed', UNKNOWN, undefined, 'missed'],
    ]);
  });

  it('session:expired in store mode carries the key and the stored record', async () => {
    const store = new JsonStore();
    store.data.set(UNKNOWN, JSON.stringify({ a: 1, _expire: 1, _maxAge: 1 }));
    const app = createTestApp({ store, signed: false });
    const events = recordEvents(app);
    app.use((ctx) => void (ctx.body = ctx.session!.isNew));
    await request(app.callback()).get('/').set('Cookie', `koa.sess=${UNKNOWN}`);
    await flushEvents();
    expect(events.map((e) => [e.name, e.payload.key, e.payload.value])).toEqual([
      ['session:expired', UNKNOWN, { a: 1, _expire: 1, _maxAge: 1 }],
    ]);
  });

  it('session:invalid carries a reason: valid-hook, bad-signature, missing-signature, malformed, not-an-object', async () => {
    const app = createTestApp({ valid: (_ctx, data) => data.ok === true });
    const events = recordEvents(app);
    app.use((ctx) => void (ctx.body = ctx.session!.isNew));
    const server = app.callback();
    await request(server)
      .get('/')
      .set('Cookie', signedCookieHeader({ ok: false }));
    await request(server)
      .get('/')
      .set('Cookie', signedCookieHeader({ ok: true }, 'wrong-key'));
    await request(server)
      .get('/')
      .set('Cookie', `koa.sess=${encodeCookie({ ok: true })}`);
    await request(server).get('/').set('Cookie', signedCookieHeader('string'));
    await flushEvents();
    expect(events.map((e) => [e.name, e.payload.reason])).toEqual([
      ['session:invalid', 'valid-hook'],
      ['session:invalid', 'bad-signature'],
      ['session:invalid', 'missing-signature'],
      ['session:invalid', 'not-an-object'],
    ]);
  });

  it('no event for a first visit or a valid session', async () => {
    const app = createTestApp();
    const events = recordEvents(app);
    app.use((ctx) => {
      ctx.session!.n = ((ctx.session!.n as number) ?? 0) + 1;
      ctx.body = 'ok';
    });
    const first = await request(app.callback()).get('/');
    await request(app.callback()).get('/').set('Cookie', cookieHeader(first));
    await flushEvents();
    expect(events).toEqual([]);
  });
});
