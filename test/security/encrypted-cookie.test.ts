import type Koa from 'koa';
import { createCookieSealer, SessionConfigError, type KoaSessionOptions } from 'koa-typed-session';
import { request } from '../helpers/app';
import { SECRET_NEW, cookieValue, recordEvents, secureApp, tick } from './security-helpers';

/** An app whose /login stores a user and whose other paths report what the session holds. */
function userApp(options: KoaSessionOptions, keys: string[] | null = null): Koa {
  const app = secureApp(options, keys);
  app.use((ctx) => {
    if (ctx.path === '/login') ctx.session!.user = 'ada';
    ctx.body = { user: ctx.session!.user ?? null };
  });
  return app;
}

const encrypt = { keys: [SECRET_NEW] };

describe('encrypted cookies (encrypt option)', () => {
  it('round-trips a session without app.keys and without a .sig cookie', async () => {
    const app = userApp({ encrypt });
    const login = await request(app.callback()).get('/login').expect(200);
    const value = cookieValue(login, 'koa.sess')!;
    expect(value).toBeDefined();
    expect(cookieValue(login, 'koa.sess.sig')).toBeUndefined();
    const again = await request(app.callback()).get('/').set('Cookie', `koa.sess=${value}`).expect(200);
    expect(again.body).toEqual({ user: 'ada' });
  });

  it('hides the payload: the cookie is base64url of version byte, IV, ciphertext and tag', async () => {
    const app = userApp({ encrypt });
    const value = cookieValue(await request(app.callback()).get('/login'), 'koa.sess')!;
    expect(value).toMatch(/^[A-Za-z0-9_-]+$/);
    const bytes = Buffer.from(value, 'base64url');
    expect(bytes[0]).toBe(1);
    expect(bytes.toString('latin1')).not.toContain('ada');
    expect(Buffer.from(value, 'base64').toString('utf8')).not.toContain('ada');
    // JSON of {"user":"ada","_expire":...,"_maxAge":...} plus 1 + 12 + 16 bytes of framing
    expect(bytes.length).toBeGreaterThan(29);
  });

  it('uses a fresh random IV per seal: the same data never gives the same cookie twice', async () => {
    const app = userApp({ encrypt });
    const a = cookieValue(await request(app.callback()).get('/login'), 'koa.sess')!;
    const b = cookieValue(await request(app.callback()).get('/login'), 'koa.sess')!;
    expect(a).not.toBe(b);
    expect(Buffer.from(a, 'base64url').subarray(1, 13)).not.toEqual(Buffer.from(b, 'base64url').subarray(1, 13));
  });

  it('treats a tampered cookie as no session and emits session:invalid (undecryptable)', async () => {
    const app = userApp({ encrypt });
    const events = recordEvents(app);
    const value = cookieValue(await request(app.callback()).get('/login'), 'koa.sess')!;
    const bytes = Buffer.from(value, 'base64url');
    bytes[20] = bytes[20]! ^ 0x01;
    const res = await request(app.callback())
      .get('/')
      .set('Cookie', `koa.sess=${bytes.toString('base64url')}`)
      .expect(200);
    expect(res.body).toEqual({ user: null });
    await tick();
    expect(events).toEqual([{ name: 'session:invalid', reason: 'undecryptable' }]);
  });

  it('opens only the canonical spelling: no second cookie value for the same bytes', () => {
    const sealer = createCookieSealer(encrypt, 'koa.sess');
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    let variants = 0;
    for (const plaintext of ['{}', '{"a":1}', '{"ab":1}']) {
      const value = sealer.seal(plaintext);
      const bytes = Buffer.from(value, 'base64url');
      // Other last characters that differ only in the unused trailing bits decode to the same bytes.
      for (const c of alphabet) {
        const variant = value.slice(0, -1) + c;
        if (variant === value || !Buffer.from(variant, 'base64url').equals(bytes)) continue;
        variants++;
        expect(sealer.unseal(variant)).toBeUndefined();
      }
      expect(sealer.unseal(`${value}=`)).toBeUndefined();
      expect(sealer.unseal(value)).toEqual({ plaintext, keyIndex: 0 });
    }
    expect(variants).toBeGreaterThan(0);
  });

  it('binds the cookie name: a value sealed for another cookie name does not open', async () => {
    const other = userApp({ encrypt, key: 'other.sess' });
    const value = cookieValue(await request(other.callback()).get('/login'), 'other.sess')!;
    const app = userApp({ encrypt });
    const res = await request(app.callback()).get('/').set('Cookie', `koa.sess=${value}`).expect(200);
    expect(res.body).toEqual({ user: null });
  });

  it('does not open a cookie sealed by an unknown key, nor a signed base64 JSON cookie', async () => {
    const stranger = userApp({ encrypt: { keys: ['x'.repeat(40)] } });
    const foreign = cookieValue(await request(stranger.callback()).get('/login'), 'koa.sess')!;
    const plain = Buffer.from(JSON.stringify({ user: 'mallory' })).toString('base64');
    const app = userApp({ encrypt });
    for (const value of [foreign, plain]) {
      const res = await request(app.callback()).get('/').set('Cookie', `koa.sess=${value}`).expect(200);
      expect(res.body).toEqual({ user: null });
    }
  });

  it('can also sign when asked (signed: true then needs app.keys)', async () => {
    expect(() => userApp({ encrypt, signed: true })).toThrow(SessionConfigError);
    const app = userApp({ encrypt, signed: true }, ['k']);
    const login = await request(app.callback()).get('/login');
    expect(cookieValue(login, 'koa.sess.sig')).toBeDefined();
  });

  it('never exposes the keys through ctx.sessionOptions', async () => {
    const app = secureApp({ encrypt }, null);
    app.use((ctx) => {
      ctx.body = JSON.stringify(ctx.sessionOptions);
    });
    const res = await request(app.callback()).get('/').expect(200);
    expect(res.text).not.toContain(SECRET_NEW);
    expect(JSON.parse(res.text)).toMatchObject({ signed: false, encrypt: { keys: '[redacted]' } });
  });

  it('exports the sealer, e.g. to read the session in another service', () => {
    const sealer = createCookieSealer(encrypt, 'koa.sess');
    const sealed = sealer.seal('{"user":"ada"}');
    expect(sealer.unseal(sealed)).toEqual({ plaintext: '{"user":"ada"}', keyIndex: 0 });
    expect(createCookieSealer(encrypt, 'other').unseal(sealed)).toBeUndefined();
  });
});

describe('encrypt option validation (at startup)', () => {
  const cases: Array<[string, unknown, RegExp]> = [
    ['a string instead of an object', 'secret', /must be an object/],
    ['an array instead of an object', [SECRET_NEW], /got an array/],
    ['no keys', {}, /non-empty array/],
    ['an empty key list', { keys: [] }, /non-empty array/],
    ['a short secret', { keys: ['too short'] }, /keys\[0\] is a string of 9 characters; at least 32/],
    [
      'a raw key of the wrong size',
      { keys: [SECRET_NEW, Buffer.alloc(16)] },
      /keys\[1\] has 16 bytes; a raw key must have exactly 32/,
    ],
    ['a number', { keys: [42] }, /keys\[0\] must be a string or 32 bytes/],
    ['an unknown field', { keys: [SECRET_NEW], algorithm: 'des' }, /unknown field\(s\) algorithm/],
  ];
  it.each(cases)('rejects %s with a SessionConfigError', (_name, encryptOption, message) => {
    let error: unknown;
    try {
      secureApp({ encrypt: encryptOption as never }, null);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(SessionConfigError);
    expect((error as Error).message).toMatch(/^koa-typed-session: option `encrypt`/);
    expect((error as Error).message).toMatch(message);
  });

  it('accepts raw 32-byte keys (Buffer or Uint8Array)', async () => {
    const app = userApp({ encrypt: { keys: [new Uint8Array(32).fill(7), Buffer.alloc(32, 1)] } });
    const value = cookieValue(await request(app.callback()).get('/login'), 'koa.sess')!;
    const res = await request(app.callback()).get('/').set('Cookie', `koa.sess=${value}`);
    expect(res.body).toEqual({ user: 'ada' });
  });
});
