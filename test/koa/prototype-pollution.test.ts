/** `__proto__` and `constructor` keys in a payload: no prototype pollution, the session stays a Session. */
import { Session } from 'koa-typed-session';
import { cookieHeader, cookieValue, createTestApp, encodeCookie, request, signCookie } from './support/http';
import { JsonStore } from './support/stores';

const HOSTILE =
  '{"__proto__":{"polluted":"top"},"constructor":{"prototype":{"polluted":"ctor"}},' +
  '"nested":{"__proto__":{"polluted":"nested"},"constructor":{"prototype":{"polluted":"nested-ctor"}},"ok":1},' +
  '"list":[{"__proto__":{"polluted":"array"}}],"a":1}';

function inspectApp(store?: JsonStore) {
  const app = createTestApp(store ? { store } : {});
  app.use((ctx) => {
    const s = ctx.session!;
    const nested = s.nested as Record<string, unknown>;
    ctx.body = {
      sessionProto: Object.getPrototypeOf(s) === Session.prototype,
      isSession: s instanceof Session,
      constructorIsSession:
        !Object.prototype.hasOwnProperty.call(s, 'constructor') && s.constructor === Session.prototype.constructor,
      nestedProto: Object.getPrototypeOf(nested) === Object.prototype,
      nestedPolluted: (nested as { polluted?: unknown }).polluted ?? null,
      listPolluted: (s.list as Array<{ polluted?: unknown }>)[0]!.polluted ?? null,
      a: s.a,
      globalPolluted: ({} as { polluted?: unknown }).polluted ?? null,
    };
    s.touched = true;
  });
  return app;
}

const SAFE = {
  sessionProto: true,
  isSession: true,
  constructorIsSession: true,
  nestedProto: true,
  nestedPolluted: null,
  listPolluted: null,
  a: 1,
  globalPolluted: null,
};

describe('prototype pollution', () => {
  afterEach(() => {
    expect(({} as { polluted?: unknown }).polluted).toBeUndefined();
    expect(Object.prototype).not.toHaveProperty('polluted');
  });

  it('cookie mode: __proto__ keys are dropped at every depth, constructor at the top', async () => {
    const value = Buffer.from(HOSTILE).toString('base64');
    const sig = signCookie('koa.sess', value, 'a');
    const res = await request(inspectApp().callback())
      .get('/')
      .set('Cookie', `koa.sess=${value}; koa.sess.sig=${sig}`)
      .expect(200);
    expect(res.body).toEqual(SAFE);
    const written = Buffer.from(cookieValue(res)!, 'base64').toString();
    expect(written).not.toContain('__proto__');
    // A nested `constructor` is plain data (harmless: nothing merges it); the top-level one is dropped.
    expect(Object.keys(JSON.parse(written) as object)).not.toContain('constructor');
  });

  it('store mode: a record with __proto__ keys (own properties from JSON.parse) cannot pollute', async () => {
    const store = new JsonStore();
    const sid = '0d6f9c4e-8a3b-4c1d-9e2f-7a6b5c4d3e21';
    // A session record (it carries `_session: true`) with hostile keys.
    store.data.set(sid, `${HOSTILE.slice(0, -1)},"_session":true}`);
    const res = await request(inspectApp(store).callback())
      .get('/')
      .set('Cookie', signedCookieHeaderFor(sid))
      .expect(200);
    expect(res.body).toMatchObject({
      sessionProto: true,
      isSession: true,
      constructorIsSession: true,
      globalPolluted: null,
      a: 1,
    });
    expect(store.data.get(sid)).not.toMatch(/^\{"__proto__"/);
  });

  it('assigning an object with a __proto__ own key does not change the session prototype', async () => {
    const app = createTestApp();
    app.use((ctx) => {
      ctx.session = JSON.parse('{"__proto__":{"polluted":"assign"},"b":2}') as Record<string, unknown>;
      ctx.body = { proto: Object.getPrototypeOf(ctx.session) === Session.prototype, b: ctx.session!.b };
    });
    const res = await request(app.callback()).get('/').expect({ proto: true, b: 2 });
    const again = createTestApp();
    again.use((ctx) => {
      ctx.body = ctx.session!.toJSON();
    });
    await request(again.callback()).get('/').set('Cookie', cookieHeader(res)).expect({ b: 2 });
  });

  it('a plain encoded payload with a top-level constructor key keeps Session methods working', async () => {
    const app = createTestApp({ signed: false }, null);
    app.use(async (ctx) => {
      await ctx.session!.save();
      ctx.body = String(ctx.session!.length);
    });
    await request(app.callback())
      .get('/')
      .set('Cookie', `koa.sess=${encodeCookie({ constructor: 1, save: 2, x: 3 })}`)
      .expect('1');
  });
});

function signedCookieHeaderFor(id: string): string {
  // The store key is the cookie value itself, signed as any session cookie.
  return `koa.sess=${id}; koa.sess.sig=${signCookie('koa.sess', id, 'a')}`;
}
