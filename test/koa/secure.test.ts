/** The `secure` option: true, false, 'auto' (default), and X-Forwarded-Proto with app.proxy. */
import { type KoaSessionOptions, SessionCookieError } from 'koa-typed-session';
import { createTestApp, request, setCookies } from './support/http';

function app(opts: KoaSessionOptions, proxy = false) {
  const a = createTestApp(opts);
  a.proxy = proxy;
  a.use((ctx) => {
    ctx.session!.a = 1;
    ctx.body = 'ok';
  });
  return a;
}

describe('secure', () => {
  it("default ('auto'): not secure over plain HTTP", async () => {
    const res = await request(app({}).callback()).get('/');
    expect(setCookies(res).join()).not.toContain('secure');
  });

  it("'auto' with app.proxy trusts X-Forwarded-Proto: https", async () => {
    for (const opts of [{}, { secure: 'auto' as const }]) {
      const res = await request(app(opts, true).callback()).get('/').set('X-Forwarded-Proto', 'https');
      for (const cookie of setCookies(res)) expect(cookie).toMatch(/; secure; httponly$/);
    }
  });

  it("'auto' without app.proxy ignores X-Forwarded-Proto", async () => {
    const res = await request(app({}).callback()).get('/').set('X-Forwarded-Proto', 'https');
    expect(setCookies(res).join()).not.toContain('secure');
  });

  it('true over plain HTTP fails the request with a clear SessionCookieError (koa-session: a bare 500)', async () => {
    const a = app({ secure: true });
    a.silent = true;
    const errored = new Promise<Error>((resolve) => a.on('error', resolve));
    const res = await request(a.callback()).get('/').expect(500);
    expect(res.headers['set-cookie']).toBeUndefined();
    const err = await errored;
    expect(err).toBeInstanceOf(SessionCookieError);
    expect(err.message).toMatch(/^koa-typed-session: cannot send a `secure` cookie over plain HTTP.*app\.proxy = true/);
  });

  it('true behind a TLS proxy (app.proxy + X-Forwarded-Proto) sends secure cookies', async () => {
    const res = await request(app({ secure: true }, true).callback())
      .get('/')
      .set('X-Forwarded-Proto', 'https')
      .expect(200);
    expect(setCookies(res)[0]).toContain('; secure;');
  });

  it('false never marks the cookie secure, even over HTTPS', async () => {
    const res = await request(app({ secure: false }, true).callback())
      .get('/')
      .set('X-Forwarded-Proto', 'https');
    expect(setCookies(res).join()).not.toContain('secure');
  });

  it('ctx.sessionOptions.secure can be changed for one request', async () => {
    const a = createTestApp();
    a.proxy = true;
    a.use((ctx) => {
      ctx.sessionOptions.secure = false;
      ctx.session!.a = 1;
      ctx.body = 'ok';
    });
    const res = await request(a.callback()).get('/').set('X-Forwarded-Proto', 'https');
    expect(setCookies(res).join()).not.toContain('secure');
  });
});
