import type Koa from 'koa';
import { SessionCookieError, type KoaSessionOptions } from 'koa-typed-session';
import { request, setCookies } from '../helpers/app';
import { SECRET_NEW, secureApp } from './security-helpers';

/** Stores `size` characters in the session; records errors the app reports. */
function bigApp(options: KoaSessionOptions): { app: Koa; errors: unknown[] } {
  const app = secureApp(options);
  const errors: unknown[] = [];
  app.silent = true;
  app.on('error', (err: unknown) => errors.push(err));
  app.use((ctx) => {
    ctx.session!.blob = 'x'.repeat(Number(ctx.query.size));
    ctx.body = 'ok';
  });
  return { app, errors };
}

describe.each([
  ['signed', {}],
  ['encrypted', { encrypt: { keys: [SECRET_NEW] } }],
] as Array<[string, KoaSessionOptions]>)('cookie size policy, %s mode', (_mode, options) => {
  it('by default fails the request with an error naming the size, and sends no cookie', async () => {
    const { app, errors } = bigApp(options);
    const res = await request(app.callback()).get('/?size=5000').expect(500);
    expect(res.text).toBe('Internal Server Error');
    expect(setCookies(res).filter((c) => c.startsWith('koa.sess='))).toEqual([]);
    expect(errors).toHaveLength(1);
    const err = errors[0] as SessionCookieError;
    expect(err).toBeInstanceOf(SessionCookieError);
    expect(err.code).toBe('ERR_SESSION_COOKIE_TOO_LARGE');
    expect(err.message).toMatch(
      /^koa-typed-session: the session cookie `koa\.sess` would be \d{4,} bytes, over the browser limit of 4096/,
    );
  });

  it('counts name, value and attributes: just under the limit passes, just over fails', async () => {
    const { app } = bigApp(options);
    // Find the largest blob that still fits, then check one more character tips it over.
    let lo = 1000;
    let hi = 4096;
    while (lo < hi) {
      const mid = Math.ceil((lo + hi) / 2);
      const res = await request(app.callback()).get(`/?size=${mid}`);
      if (res.status === 200) lo = mid;
      else hi = mid - 1;
    }
    const fits = await request(app.callback()).get(`/?size=${lo}`).expect(200);
    const header = setCookies(fits).find((c) => c.startsWith('koa.sess='))!;
    expect(Buffer.byteLength(header)).toBeLessThanOrEqual(4096);
    expect(Buffer.byteLength(header)).toBeGreaterThan(4096 - 4); // base64 grows in steps of 4
    await request(app.callback())
      .get(`/?size=${lo + 3}`)
      .expect(500);
  });

  it("with oversizedCookie: 'warn', warns and sends the cookie anyway", async () => {
    const warn = jest.spyOn(process, 'emitWarning').mockImplementation(() => undefined);
    try {
      const { app } = bigApp({ ...options, oversizedCookie: 'warn' });
      const res = await request(app.callback()).get('/?size=5000').expect(200);
      const header = setCookies(res).find((c) => c.startsWith('koa.sess='))!;
      expect(Buffer.byteLength(header)).toBeGreaterThan(4096);
      expect(warn).toHaveBeenCalledWith(
        expect.stringMatching(/koa-typed-session: the session cookie `koa\.sess` would be \d+ bytes/),
        expect.objectContaining({ code: 'KTS_COOKIE_TOO_LARGE' }),
      );
    } finally {
      warn.mockRestore();
    }
  });
});
