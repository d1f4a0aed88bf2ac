/** koa-session cookie.test #17-#19, #40: the `encode` / `decode` options and their failures. */
import { cookieHeader, createTestApp, request, setCookies } from './support/http';

describe('cookie mode: encode and decode', () => {
  it('ks#17 a cookie that is not base64 JSON (SyntaxError) starts a new session', async () => {
    const app = createTestApp({ signed: false }, null);
    app.use((ctx) => {
      ctx.body = String(ctx.session!.isNew);
    });
    await request(app.callback()).get('/').set('Cookie', 'koa.sess=invalid-session').expect(200, 'true');
  });

  it('ks#17 a custom decoder throwing a SyntaxError starts a new session', async () => {
    const app = createTestApp(
      {
        signed: false,
        decode: () => {
          throw new SyntaxError('nope');
        },
      },
      null,
    );
    app.use((ctx) => {
      ctx.body = String(ctx.session!.isNew);
    });
    await request(app.callback()).get('/').set('Cookie', 'koa.sess=whatever').expect(200, 'true');
  });

  it('ks#18 a custom decoder throwing another error: 500 with the clearing cookie', async () => {
    const app = createTestApp({
      decode: () => {
        throw new Error('decode error');
      },
    });
    app.silent = true;
    app.use((ctx) => {
      ctx.body = String(ctx.session!.isNew);
    });
    const signed = createTestApp();
    signed.use((ctx) => {
      ctx.session!.a = 1;
      ctx.body = '';
    });
    const cookie = cookieHeader(await request(signed.callback()).get('/'));
    const res = await request(app.callback()).get('/').set('Cookie', cookie).expect(500);
    expect(setCookies(res)[0]).toMatch(/^koa\.sess=;/);
  });

  it('ks#19 a throwing encoder fails the request (500) and reaches app "error"', async () => {
    const app = createTestApp({
      encode: () => {
        throw new Error('encode error');
      },
    });
    app.silent = true;
    const errored = new Promise<[Error, unknown]>((resolve) =>
      app.on('error', (err: Error, ctx: unknown) => resolve([err, ctx])),
    );
    app.use((ctx) => {
      ctx.session!.foo = 'bar';
      ctx.body = 'hi';
    });
    await request(app.callback()).get('/').expect(500);
    const [err, ctx] = await errored;
    expect(err.message).toBe('encode error');
    expect(ctx).toBeDefined();
  });

  it('ks#40 custom encode/decode functions are used both ways', async () => {
    const encode = jest.fn((payload: object) => Buffer.from(JSON.stringify({ enveloped: payload })).toString('base64'));
    const decode = jest.fn(
      (value: string) => (JSON.parse(Buffer.from(value, 'base64').toString()) as { enveloped: unknown }).enveloped,
    );
    const app = createTestApp({ encode, decode });
    app.use((ctx) => {
      ctx.session!.counter = ((ctx.session!.counter as number) ?? 0) + 1;
      ctx.body = ctx.session;
    });
    const first = await request(app.callback()).get('/').expect({ counter: 1 });
    await request(app.callback()).get('/').set('Cookie', cookieHeader(first)).expect({ counter: 2 });
    expect(encode).toHaveBeenCalledTimes(2);
    expect(decode).toHaveBeenCalledTimes(1);
  });
});
