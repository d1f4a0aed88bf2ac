/** ks#116: the defaults, as ctx.sessionOptions shows them, and the options object's independence. */
import { createTestApp, request } from './support/http';
import { JsonStore } from './support/stores';

describe('option defaults', () => {
  it("ks#116 ctx.sessionOptions has koa-session's defaults", async () => {
    const app = createTestApp();
    app.use((ctx) => {
      const o = ctx.sessionOptions;
      ctx.body = {
        key: o.key,
        autoCommit: o.autoCommit,
        overwrite: o.overwrite,
        httpOnly: o.httpOnly,
        signed: o.signed,
        rolling: o.rolling,
        renew: o.renew,
        maxAge: o.maxAge ?? 'undefined',
        encode: typeof o.encode,
        decode: typeof o.decode,
      };
    });
    await request(app.callback()).get('/').expect({
      key: 'koa.sess',
      autoCommit: true,
      overwrite: true,
      httpOnly: true,
      signed: true,
      rolling: false,
      renew: false,
      maxAge: 'undefined',
      encode: 'function',
      decode: 'function',
    });
  });

  it('ctx.sessionOptions is a fresh copy per request', async () => {
    const app = createTestApp();
    const seen: unknown[] = [];
    app.use((ctx) => {
      seen.push(ctx.sessionOptions, ctx.sessionOptions.rolling);
      ctx.sessionOptions.rolling = true;
      ctx.body = 'ok';
    });
    await request(app.callback()).get('/');
    await request(app.callback()).get('/');
    expect(seen[0]).not.toBe(seen[2]);
    expect([seen[1], seen[3]]).toEqual([false, false]);
  });

  it('the store option is visible on ctx.sessionOptions', async () => {
    const store = new JsonStore();
    const app = createTestApp({ store });
    app.use((ctx) => {
      ctx.body = String(ctx.sessionOptions.store === store);
    });
    await request(app.callback()).get('/').expect('true');
  });
});
