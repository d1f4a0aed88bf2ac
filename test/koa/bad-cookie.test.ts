/** Malformed, non-object and expired cookie payloads: a fresh session and an event, never a 500. */
import type Koa from 'koa';
import {
  createTestApp,
  encodeCookie,
  flushEvents,
  recordEvents,
  request,
  setCookies,
  signCookie,
  signedCookieHeader,
} from './support/http';

function probe(app: Koa): Koa {
  app.use((ctx) => {
    ctx.body = { isNew: ctx.session!.isNew, data: ctx.session!.toJSON() };
  });
  return app;
}

async function load(cookie: string, signed = true) {
  const app = probe(signed ? createTestApp() : createTestApp({ signed: false }, null));
  const events = recordEvents(app);
  const res = await request(app.callback()).get('/').set('Cookie', cookie).expect(200);
  await flushEvents();
  return { body: res.body as { isNew: boolean; data: unknown }, events, res };
}

describe('bad cookie payloads', () => {
  it('malformed base64 (unsigned): fresh session, session:invalid reason "malformed" (koa-session: no event)', async () => {
    const { body, events } = await load('koa.sess=%%%not-base64!!', false);
    expect(body).toEqual({ isNew: true, data: {} });
    expect(events.map((e) => [e.name, e.payload.reason, e.payload.key])).toEqual([
      ['session:invalid', 'malformed', undefined],
    ]);
  });

  it('malformed base64 with a valid signature: fresh session, session:invalid "malformed"', async () => {
    const value = '%%%';
    const sig = signCookie('koa.sess', value, 'a');
    const { body, events } = await load(`koa.sess=${value}; koa.sess.sig=${sig}`);
    expect(body.isNew).toBe(true);
    expect(events.map((e) => e.payload.reason)).toEqual(['malformed']);
  });

  it('malformed JSON inside valid base64: fresh session, session:invalid "malformed"', async () => {
    const value = Buffer.from('{"a":1,').toString('base64');
    const { body, events } = await load(`koa.sess=${value}`, false);
    expect(body.isNew).toBe(true);
    expect(events.map((e) => [e.name, e.payload.reason, e.payload.value])).toEqual([
      ['session:invalid', 'malformed', value],
    ]);
  });

  it.each([
    ['an array', [1, 2]],
    ['a string', 'hello'],
    ['a number', 42],
    ['null', null],
    ['false', false],
    ['zero', 0],
  ])('JSON that is %s: fresh session, session:invalid "not-an-object"', async (_, payload) => {
    const { body, events } = await load(signedCookieHeader(payload));
    expect(body).toEqual({ isNew: true, data: {} });
    expect(events.map((e) => [e.name, e.payload.reason])).toEqual([['session:invalid', 'not-an-object']]);
    expect(events[0]!.payload.value).toEqual(payload);
  });

  it('an expired _expire: fresh session, session:expired with the raw value; the cookie is not cleared (as koa-session)', async () => {
    const stale = { a: 1, _expire: Date.now() - 1000, _maxAge: 1000 };
    const { body, events, res } = await load(signedCookieHeader(stale));
    expect(body).toEqual({ isNew: true, data: {} });
    expect(events.map((e) => [e.name, e.payload.reason])).toEqual([['session:expired', 'expired']]);
    expect(events[0]!.payload.value).toEqual(stale);
    expect(res.headers['set-cookie']).toBeUndefined();
  });

  it('an _expire in the future is accepted', async () => {
    const { body, events } = await load(signedCookieHeader({ a: 1, _expire: Date.now() + 60_000, _maxAge: 60_000 }));
    expect(body).toEqual({ isNew: false, data: { a: 1 } });
    expect(events).toEqual([]);
  });

  it.each([
    ['_expire', 'soon'],
    ['_maxAge', '1000'],
    ['_session', 'yes'],
  ])(
    'a bookkeeping field of the wrong type (%s: %p) is rejected as malformed (koa-session: ignored)',
    async (field, value) => {
      const { body, events } = await load(signedCookieHeader({ a: 1, [field]: value }));
      expect(body).toEqual({ isNew: true, data: {} });
      expect(events.map((e) => [e.name, e.payload.reason])).toEqual([['session:invalid', 'malformed']]);
    },
  );

  it('a payload whose key shadows toJSON cannot break the commit', async () => {
    const app = createTestApp();
    app.use((ctx) => {
      ctx.session!.b = 2;
      ctx.body = ctx.session!.toJSON();
    });
    const res = await request(app.callback())
      .get('/')
      .set('Cookie', signedCookieHeader({ a: 1, toJSON: 'x', save: 1 }))
      .expect(200);
    expect(res.body).toMatchObject({ a: 1, b: 2 });
    expect(setCookies(res)).toHaveLength(2);
  });

  it('an empty cookie value is no session, no event', async () => {
    const { body, events } = await load('koa.sess=', false);
    expect(body.isNew).toBe(true);
    expect(events).toEqual([]);
  });

  it('a bad session cookie does not stop a new session from being saved', async () => {
    const app = createTestApp({ signed: false }, null);
    app.use((ctx) => {
      ctx.session!.fresh = true;
      ctx.body = 'ok';
    });
    const res = await request(app.callback())
      .get('/')
      .set('Cookie', `koa.sess=${encodeCookie([1])}`)
      .expect(200);
    expect(setCookies(res)[0]).toMatch(/^koa\.sess=ey/);
  });
});
