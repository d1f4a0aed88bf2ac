/**
 * Signatures are computed with two one-shot SHA-1 hashes for short ASCII keys instead of an Hmac
 * object (a performance fast path). These tests pin that every `.sig` cookie is exactly what
 * Keygrip (koa-session's signer) writes, for any key shape and any cookie value, and that cookies
 * signed by Keygrip are accepted.
 */
import fc from 'fast-check';
import Keygrip from 'keygrip';
import Koa from 'koa';
import { session } from 'koa-typed-session';
import { request, setCookies } from '../helpers/app';

function writer(keys: Array<string | Buffer>, value: unknown): Koa {
  const app = new Koa();
  app.keys = keys as string[];
  app.use(session({}, app));
  app.use((ctx) => {
    if (ctx.query.read === undefined) ctx.session!.value = value;
    ctx.body = { value: ctx.session!.value ?? null };
  });
  return app;
}

/** The `name=value` pairs of the Set-Cookie headers. */
function pairs(res: { headers: Record<string, unknown> }): Map<string, string> {
  return new Map(
    setCookies(res).map((c) => {
      const pair = c.split(';')[0]!;
      const at = pair.indexOf('=');
      return [pair.slice(0, at), pair.slice(at + 1)];
    }),
  );
}

const key = fc.oneof(
  fc.string({ minLength: 1, maxLength: 80 }),
  fc.string({ minLength: 1, maxLength: 70, unit: 'binary' }),
  fc.uint8Array({ minLength: 1, maxLength: 100 }).map((bytes) => Buffer.from(bytes)),
);

describe('cookie signatures', () => {
  it('are byte-identical to Keygrip for any key and session value', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(key, { minLength: 1, maxLength: 3 }),
        fc.string({ unit: 'binary' }),
        async (keys, value) => {
          const res = await request(writer(keys, value).callback()).get('/');
          expect(res.status).toBe(200);
          const cookies = pairs(res);
          const data = `koa.sess=${cookies.get('koa.sess')}`;
          expect(cookies.get('koa.sess.sig')).toBe(new Keygrip(keys as string[]).sign(data));
        },
      ),
      { numRuns: 120 },
    );
  });

  it('accepts a cookie Keygrip signed with any of the keys, and rejects another key', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(key, { minLength: 2, maxLength: 3 }), fc.nat(), async (keys, pick) => {
        const value = Buffer.from(
          JSON.stringify({ value: 'hi', _expire: Date.now() + 60_000, _maxAge: 60_000 }),
        ).toString('base64');
        const signer = keys[pick % keys.length]!;
        const sig = new Keygrip([signer as string]).sign(`koa.sess=${value}`);
        const app = writer(keys, 'unused').callback();
        const ok = await request(app).get('/?read').set('Cookie', `koa.sess=${value}; koa.sess.sig=${sig}`);
        expect(ok.body).toEqual({ value: 'hi' });
        const forged = new Keygrip(['not one of the keys']).sign(`koa.sess=${value}`);
        const bad = await request(app).get('/?read').set('Cookie', `koa.sess=${value}; koa.sess.sig=${forged}`);
        expect(bad.body).toEqual({ value: null });
      }),
      { numRuns: 60 },
    );
  });
});
