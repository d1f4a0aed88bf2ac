/** koa-session cookie.test #14-#16, #24-#27: `ctx.session = null | {...} | anything else`. */
import { cookieHeader, createTestApp, request, setCookies } from './support/http';

const EPOCH = 'expires=Thu, 01 Jan 1970 00:00:00 GMT';

describe('cookie mode: assigning ctx.session', () => {
  it('ks#14 null with a signed cookie sends clearing cookies for the key and its signature', async () => {
    const app = createTestApp();
    app.use((ctx) => {
      ctx.session!.foo = 'bar';
      ctx.session = null;
      ctx.body = String(ctx.session === null);
    });
    const res = await request(app.callback()).get('/').expect(200, 'true');
    const cookies = setCookies(res);
    expect(cookies[0]).toBe(`koa.sess=; path=/; ${EPOCH}; httponly`);
    expect(cookies[1]).toMatch(new RegExp(`^koa\\.sess\\.sig=[\\w-]{27}; path=/; ${EPOCH}; httponly$`));
  });

  it('ks#15 null without signing sends one clearing cookie', async () => {
    const app = createTestApp({ signed: false }, null);
    app.use((ctx) => {
      ctx.session = null;
      ctx.body = String(ctx.session === null);
    });
    const res = await request(app.callback()).get('/').expect(200, 'true');
    expect(setCookies(res)).toEqual([`koa.sess=; path=/; ${EPOCH}; httponly`]);
  });

  it('ks#16/#24 the getter returns null after null; a stored session is cleared', async () => {
    const app = createTestApp();
    app.use((ctx) => {
      if (ctx.path === '/set') ctx.session!.a = 1;
      else ctx.session = null;
      ctx.body = String(ctx.session === null);
    });
    const set = await request(app.callback()).get('/set').expect('false');
    const res = await request(app.callback()).get('/').set('Cookie', cookieHeader(set)).expect(200, 'true');
    expect(setCookies(res)[0]).toMatch(/^koa\.sess=;/);
  });

  it('ks#25 an empty object: no Set-Cookie', async () => {
    const app = createTestApp();
    app.use((ctx) => {
      ctx.session = {};
      ctx.body = String(ctx.session!.isNew);
    });
    const res = await request(app.callback()).get('/').expect(200, 'false');
    expect(res.headers['set-cookie']).toBeUndefined();
  });

  it('ks#26 an object creates the session', async () => {
    const app = createTestApp();
    app.use((ctx) => {
      ctx.session = { message: 'hello' };
      ctx.body = 'ok';
    });
    const res = await request(app.callback()).get('/');
    expect(setCookies(res)[0]).toMatch(/^koa\.sess=/);
    const app2 = createTestApp();
    app2.use((ctx) => {
      ctx.body = ctx.session!.message;
    });
    await request(app2.callback()).get('/').set('Cookie', cookieHeader(res)).expect('hello');
  });

  it('null then an object in the same request saves the object', async () => {
    const app = createTestApp();
    app.use((ctx) => {
      ctx.session = null;
      ctx.session = { b: 2 };
      ctx.body = ctx.session;
    });
    const res = await request(app.callback()).get('/').expect({ b: 2 });
    expect(setCookies(res)[0]).toMatch(/^koa\.sess=ey/);
  });

  it.each([
    ['a string', 'asdf'],
    ['a number', 1],
    ['undefined', undefined],
  ])('ks#27 %s throws (500)', async (_, value) => {
    const app = createTestApp();
    app.silent = true;
    app.use((ctx) => {
      (ctx as unknown as { session: unknown }).session = value;
    });
    const errors: Error[] = [];
    app.on('error', (err: Error) => errors.push(err));
    const res = await request(app.callback()).get('/').expect(500);
    expect(res.text).toMatch(/Internal Server Error/);
    expect(errors[0]).toMatchObject({
      name: 'SessionStateError',
      code: 'ERR_SESSION_STATE',
      message: expect.stringMatching(/^koa-typed-session: ctx\.session can only be set as null or an object, got /),
    });
  });
});
