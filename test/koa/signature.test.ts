/** Signed cookies: bad, missing and rotated signatures (app.keys key rotation). */
import {
  createTestApp,
  encodeCookie,
  flushEvents,
  recordEvents,
  request,
  setCookies,
  signCookie,
} from './support/http';

const VALUE = encodeCookie({ a: 1 });

async function load(cookie: string, keys = ['a', 'b']) {
  const app = createTestApp({}, keys);
  const events = recordEvents(app);
  app.use((ctx) => {
    ctx.body = { isNew: ctx.session!.isNew, a: ctx.session!.a ?? null };
  });
  const res = await request(app.callback()).get('/').set('Cookie', cookie).expect(200);
  await flushEvents();
  return { body: res.body as { isNew: boolean; a: number | null }, events, cookies: setCookies(res) };
}

describe('cookie signatures', () => {
  it('a valid signature by the newest key loads the session, no Set-Cookie', async () => {
    const { body, events, cookies } = await load(
      `koa.sess=${VALUE}; koa.sess.sig=${signCookie('koa.sess', VALUE, 'a')}`,
    );
    expect(body).toEqual({ isNew: false, a: 1 });
    expect(events).toEqual([]);
    expect(cookies).toEqual([]);
  });

  it("a bad signature: fresh session, session:invalid 'bad-signature', the .sig cookie cleared (as cookies does)", async () => {
    const { body, events, cookies } = await load(
      `koa.sess=${VALUE}; koa.sess.sig=${signCookie('koa.sess', VALUE, 'wrong')}`,
    );
    expect(body).toEqual({ isNew: true, a: null });
    expect(events.map((e) => [e.name, e.payload.reason])).toEqual([['session:invalid', 'bad-signature']]);
    expect(cookies).toEqual(['koa.sess.sig=; path=/; expires=Thu, 01 Jan 1970 00:00:00 GMT; httponly']);
  });

  it('a signature of other data (value tampered) is rejected', async () => {
    const tampered = encodeCookie({ a: 2 });
    const { body } = await load(`koa.sess=${tampered}; koa.sess.sig=${signCookie('koa.sess', VALUE, 'a')}`);
    expect(body.isNew).toBe(true);
  });

  it("a missing signature: fresh session, session:invalid 'missing-signature' (koa-session: silent)", async () => {
    const { body, events, cookies } = await load(`koa.sess=${VALUE}`);
    expect(body).toEqual({ isNew: true, a: null });
    expect(events.map((e) => [e.name, e.payload.reason])).toEqual([['session:invalid', 'missing-signature']]);
    expect(cookies).toEqual([]);
  });

  it('a signature by a rotated-out key (no longer in app.keys) is rejected', async () => {
    const { body, events } = await load(`koa.sess=${VALUE}; koa.sess.sig=${signCookie('koa.sess', VALUE, 'old')}`, [
      'new',
      'newer',
    ]);
    expect(body.isNew).toBe(true);
    expect(events.map((e) => e.payload.reason)).toEqual(['bad-signature']);
  });

  it('a signature by an older key still in app.keys is accepted and re-signed with the newest', async () => {
    const { body, cookies } = await load(`koa.sess=${VALUE}; koa.sess.sig=${signCookie('koa.sess', VALUE, 'b')}`);
    expect(body).toEqual({ isNew: false, a: 1 });
    expect(cookies).toEqual([`koa.sess.sig=${signCookie('koa.sess', VALUE, 'a')}; path=/; httponly`]);
  });

  it('a saved session is always signed with the first key', async () => {
    const app = createTestApp({}, ['first', 'second']);
    app.use((ctx) => {
      ctx.session!.a = 1;
      ctx.body = 'ok';
    });
    const [value, sig] = setCookies(await request(app.callback()).get('/'));
    const cookieValue = value!.split(';')[0]!.slice('koa.sess='.length);
    expect(sig).toBe(`koa.sess.sig=${signCookie('koa.sess', cookieValue, 'first')}; path=/; httponly`);
  });

  it('quoted cookie values are unquoted before verification (as cookies does)', async () => {
    const { body } = await load(`koa.sess="${VALUE}"; koa.sess.sig=${signCookie('koa.sess', VALUE, 'a')}`);
    expect(body).toEqual({ isNew: false, a: 1 });
  });
});
