/** koa-session cookie.test #20-#23 and the rest of the ctx.session API, in cookie mode. */
import { inspect } from 'node:util';
import Koa from 'koa';
import { session, Session } from 'koa-typed-session';
import { cookieHeader, createTestApp, request, setCookies } from './support/http';

function decodeSetCookie(header: string): Record<string, unknown> {
  const value = header.split(';')[0]!.slice(header.indexOf('=') + 1);
  return JSON.parse(Buffer.from(value, 'base64').toString()) as Record<string, unknown>;
}

describe('ctx.session API (cookie mode)', () => {
  it('ks#20 util.inspect shows the data', async () => {
    const app = createTestApp();
    app.use((ctx) => {
      ctx.session!.foo = 'bar';
      ctx.body = inspect(ctx.session);
    });
    const res = await request(app.callback()).get('/').expect(200, "{ foo: 'bar' }");
    expect(setCookies(res)[0]).toMatch(/^koa\.sess=.+;/);
  });

  it('ks#21 .length counts the persisted keys', async () => {
    const app = createTestApp();
    app.use((ctx) => {
      ctx.session!.foo = 'bar';
      ctx.body = String(ctx.session!.length);
    });
    const res = await request(app.callback()).get('/').expect('1');
    expect(setCookies(res)[0]).toMatch(/^koa\.sess=.+;/);
  });

  it('ks#22 .populated is true with data, false without', async () => {
    const app = createTestApp();
    app.use((ctx) => {
      const before = ctx.session!.populated;
      ctx.session!.foo = 'bar';
      ctx.body = `${before} ${ctx.session!.populated}`;
    });
    await request(app.callback()).get('/').expect('false true');
  });

  it('ks#23 .save() (not awaited) forces a save of an empty new session', async () => {
    const app = createTestApp();
    app.use((ctx) => {
      void ctx.session!.save();
      ctx.body = 'hello';
    });
    const res = await request(app.callback()).get('/').expect('hello');
    expect(setCookies(res)[0]).toMatch(/^koa\.sess=.+;/);
  });

  it('.save(callback) returns undefined and calls back after the write', async () => {
    const app = createTestApp();
    app.use(async (ctx) => {
      ctx.session!.a = 1;
      const returned = await new Promise((resolve, reject) => {
        const r = ctx.session!.save((err?: unknown) => (err ? reject(err) : resolve(r)));
      });
      ctx.body = `${String(returned)} ${setCookies({ headers: { 'set-cookie': ctx.response.headers['set-cookie'] } }).length}`;
    });
    await request(app.callback()).get('/').expect('undefined 2');
  });

  it('.save(callback) passes a failure to the callback', async () => {
    const app = createTestApp({
      encode: () => {
        throw new Error('boom');
      },
    });
    app.use(async (ctx) => {
      ctx.session!.a = 1;
      const err = await new Promise((resolve) => ctx.session!.save(resolve));
      ctx.session = null;
      ctx.body = (err as Error).message;
    });
    await request(app.callback()).get('/').expect(200, 'boom');
  });

  it('isNew: true on a first visit, false once loaded', async () => {
    const app = createTestApp();
    app.use((ctx) => {
      const isNew = ctx.session!.isNew;
      ctx.session!.seen = true;
      ctx.body = String(isNew);
    });
    const first = await request(app.callback()).get('/').expect('true');
    await request(app.callback()).get('/').set('Cookie', cookieHeader(first)).expect('false');
  });

  it('toJSON() drops isNew, _-prefixed keys and functions', async () => {
    const app = createTestApp();
    app.use((ctx) => {
      Object.assign(ctx.session!, { a: 1, _private: 2, fn: () => 3, nested: { b: [1, 2] } });
      ctx.body = { json: ctx.session!.toJSON(), string: JSON.stringify(ctx.session) };
    });
    const res = await request(app.callback()).get('/').expect(200);
    expect(res.body).toEqual({ json: { a: 1, nested: { b: [1, 2] } }, string: '{"a":1,"nested":{"b":[1,2]}}' });
    expect(decodeSetCookie(setCookies(res)[0]!)).toEqual({
      a: 1,
      nested: { b: [1, 2] },
      _expire: expect.any(Number),
      _maxAge: 86_400_000,
    });
  });

  it('ctx.session is a Session, configurable on the context (can be mocked)', () => {
    const app = createTestApp();
    const descriptor = Object.getOwnPropertyDescriptor(app.context, 'session');
    expect(descriptor?.configurable).toBe(true);
    expect(Session.prototype.toJSON).toBeInstanceOf(Function);
  });

  it('ks#73 ctx.session can be mocked on app.context', async () => {
    const app = createTestApp();
    Object.defineProperty(app.context, 'session', { value: { foo: 'bar' }, configurable: true });
    app.use((ctx) => {
      ctx.body = ctx.session;
    });
    await request(app.callback()).get('/').expect({ foo: 'bar' });
  });

  it('.externalKey and ctx.sessionId are undefined in cookie mode', async () => {
    const app = createTestApp();
    app.use((ctx) => {
      ctx.body = `${String(ctx.session!.externalKey)} ${String(ctx.sessionId)}`;
    });
    await request(app.callback()).get('/').expect('undefined undefined');
  });

  it('.manuallyCommit() writes with autoCommit: false', async () => {
    const app = createTestApp({ autoCommit: false });
    app.use(async (ctx) => {
      ctx.session!.a = 1;
      if (ctx.path === '/commit') await ctx.session!.manuallyCommit();
      ctx.body = 'ok';
    });
    const none = await request(app.callback()).get('/');
    expect(none.headers['set-cookie']).toBeUndefined();
    const res = await request(app.callback()).get('/commit');
    expect(setCookies(res)[0]).toMatch(/^koa\.sess=ey/);
  });

  it('.commit() is public: commit({ save: true }) forces a save', async () => {
    const app = createTestApp({ autoCommit: false });
    app.use(async (ctx) => {
      await ctx.session!.commit({ save: true });
      ctx.body = 'ok';
    });
    const res = await request(app.callback()).get('/');
    expect(setCookies(res)).toHaveLength(2);
  });

  it('(differs: koa-session writes twice) save() followed by auto-commit writes once', async () => {
    const encode = jest.fn((p: object) => Buffer.from(JSON.stringify(p)).toString('base64'));
    const app = createTestApp({ encode, overwrite: false });
    app.use(async (ctx) => {
      ctx.session!.a = 1;
      await ctx.session!.save();
      ctx.body = 'ok';
    });
    const res = await request(app.callback()).get('/');
    expect(encode).toHaveBeenCalledTimes(1);
    expect(setCookies(res)).toHaveLength(2);
  });

  it('(differs: koa-session writes twice) manuallyCommit() followed by auto-commit writes once', async () => {
    const encode = jest.fn((p: object) => Buffer.from(JSON.stringify(p)).toString('base64'));
    const app = createTestApp({ encode, overwrite: false });
    app.use(async (ctx) => {
      ctx.session!.a = 1;
      await ctx.session!.manuallyCommit();
      ctx.body = 'ok';
    });
    const res = await request(app.callback()).get('/');
    expect(encode).toHaveBeenCalledTimes(1);
    expect(setCookies(res)).toHaveLength(2);
  });

  it('a change after save() is still written by the auto-commit', async () => {
    const app = createTestApp();
    app.use(async (ctx) => {
      ctx.session!.a = 1;
      await ctx.session!.save();
      ctx.session!.b = 2;
      ctx.body = 'ok';
    });
    const res = await request(app.callback()).get('/');
    expect(decodeSetCookie(setCookies(res)[0]!)).toMatchObject({ a: 1, b: 2 });
  });

  it('overwrite: false keeps every Set-Cookie of the response', async () => {
    const app = createTestApp({ overwrite: false });
    app.use(async (ctx) => {
      ctx.session!.a = 1;
      await ctx.session!.save();
      ctx.session!.a = 2;
      ctx.body = 'ok';
    });
    const res = await request(app.callback()).get('/');
    expect(setCookies(res)).toHaveLength(4);
  });

  describe('ctx.sessionOptions', () => {
    it('is a per-request copy of the options with defaults', async () => {
      const app = createTestApp({ key: 'k', rolling: true });
      app.use((ctx) => {
        const opts = ctx.sessionOptions;
        ctx.body = {
          key: opts.key,
          rolling: opts.rolling,
          signed: opts.signed,
          httpOnly: opts.httpOnly,
          overwrite: opts.overwrite,
          autoCommit: opts.autoCommit,
          renew: opts.renew,
          hasGenid: typeof opts.genid,
        };
      });
      await request(app.callback()).get('/').expect({
        key: 'k',
        rolling: true,
        signed: true,
        httpOnly: true,
        overwrite: true,
        autoCommit: true,
        renew: false,
        hasGenid: 'function',
      });
    });

    it('changes apply to this request only (e.g. domain)', async () => {
      const app = createTestApp();
      app.use((ctx) => {
        if (ctx.path === '/a') ctx.sessionOptions.domain = 'example.com';
        ctx.session!.a = 1;
        ctx.body = 'ok';
      });
      const a = await request(app.callback()).get('/a');
      const b = await request(app.callback()).get('/b');
      expect(setCookies(a)[0]).toContain('; domain=example.com');
      expect(setCookies(b)[0]).not.toContain('domain=');
    });

    it('its maxAge is the loaded session maxAge', async () => {
      const app = createTestApp({ maxAge: 5000 });
      app.use((ctx) => {
        if (ctx.path === '/set') ctx.session!.maxAge = 9000;
        ctx.session!.x = ctx.path;
        ctx.body = String(ctx.sessionOptions.maxAge);
      });
      const first = await request(app.callback()).get('/set').expect('9000');
      await request(app.callback()).get('/').set('Cookie', cookieHeader(first)).expect('9000');
    });
  });

  it('session(app, opts) and session(app) are accepted as well as session(opts, app)', async () => {
    for (const build of [(app: Koa) => session(app, { key: 'x' }), (app: Koa) => session(app)]) {
      const app = new Koa();
      app.keys = ['k'];
      app.use(build(app));
      app.use((ctx) => {
        ctx.session!.a = 1;
        ctx.body = 'ok';
      });
      const res = await request(app.callback()).get('/');
      expect(setCookies(res)).toHaveLength(2);
    }
  });
});
