import type Koa from 'koa';
import { createCookieSealer, MemoryStore, type KoaSessionOptions } from 'koa-typed-session';
import { request } from '../helpers/app';
import { SECRET_NEW, SECRET_OLD, cookieValue, recordEvents, secureApp, tick } from './security-helpers';

function userApp(options: KoaSessionOptions, keys: string[] | null = null): Koa {
  const app = secureApp(options, keys);
  app.use((ctx) => {
    if (ctx.path === '/login') ctx.session!.user = 'ada';
    ctx.body = { user: ctx.session!.user ?? null };
  });
  return app;
}

describe('encryption key rotation', () => {
  it('opens a cookie sealed by an older key and re-seals it with the newest on that request', async () => {
    const before = userApp({ encrypt: { keys: [SECRET_OLD] } });
    const old = cookieValue(await request(before.callback()).get('/login'), 'koa.sess')!;

    const rotated = userApp({ encrypt: { keys: [SECRET_NEW, SECRET_OLD] } });
    // A read-only request: the re-seal is forced on load, not left to the next change.
    const res = await request(rotated.callback()).get('/').set('Cookie', `koa.sess=${old}`).expect(200);
    expect(res.body).toEqual({ user: 'ada' });
    const resealed = cookieValue(res, 'koa.sess')!;
    expect(createCookieSealer({ keys: [SECRET_NEW] }, 'koa.sess').unseal(resealed)?.keyIndex).toBe(0);

    // Once every active session has been re-sealed, the old key can go.
    const after = userApp({ encrypt: { keys: [SECRET_NEW] } });
    const later = await request(after.callback()).get('/').set('Cookie', `koa.sess=${resealed}`).expect(200);
    expect(later.body).toEqual({ user: 'ada' });
  });

  it('does not rewrite a cookie sealed by the newest key when nothing changed', async () => {
    const app = userApp({ encrypt: { keys: [SECRET_NEW, SECRET_OLD] } });
    const value = cookieValue(await request(app.callback()).get('/login'), 'koa.sess')!;
    const res = await request(app.callback()).get('/').set('Cookie', `koa.sess=${value}`).expect(200);
    expect(res.body).toEqual({ user: 'ada' });
    expect(res.headers['set-cookie']).toBeUndefined();
  });

  it('rejects a cookie whose key was removed: no session, session:invalid (undecryptable)', async () => {
    const before = userApp({ encrypt: { keys: [SECRET_OLD] } });
    const old = cookieValue(await request(before.callback()).get('/login'), 'koa.sess')!;
    const after = userApp({ encrypt: { keys: [SECRET_NEW] } });
    const events = recordEvents(after);
    const res = await request(after.callback()).get('/').set('Cookie', `koa.sess=${old}`).expect(200);
    expect(res.body).toEqual({ user: null });
    await tick();
    expect(events).toEqual([{ name: 'session:invalid', reason: 'undecryptable' }]);
  });

  it('re-seals the session id cookie in store mode too', async () => {
    const store = new MemoryStore();
    const before = userApp({ store, encrypt: { keys: [SECRET_OLD] } });
    const old = cookieValue(await request(before.callback()).get('/login'), 'koa.sess')!;
    const rotated = userApp({ store, encrypt: { keys: [SECRET_NEW, SECRET_OLD] } });
    const res = await request(rotated.callback()).get('/').set('Cookie', `koa.sess=${old}`).expect(200);
    expect(res.body).toEqual({ user: 'ada' });
    const resealed = cookieValue(res, 'koa.sess')!;
    const newest = createCookieSealer({ keys: [SECRET_NEW] }, 'koa.sess');
    const oldest = createCookieSealer({ keys: [SECRET_OLD] }, 'koa.sess');
    // Same session id, sealed with the new key.
    expect(newest.unseal(resealed)?.plaintext).toBe(oldest.unseal(old)?.plaintext);
  });
});

describe('app.keys rotation (signed cookies, as the `cookies` package does it)', () => {
  it('accepts a cookie signed by an older key and re-signs the .sig with the newest', async () => {
    const before = userApp({}, ['old-key']);
    const login = await request(before.callback()).get('/login');
    const cookie = `koa.sess=${cookieValue(login, 'koa.sess')}; koa.sess.sig=${cookieValue(login, 'koa.sess.sig')}`;

    const rotated = userApp({}, ['new-key', 'old-key']);
    const res = await request(rotated.callback()).get('/').set('Cookie', cookie).expect(200);
    expect(res.body).toEqual({ user: 'ada' });
    const newSig = cookieValue(res, 'koa.sess.sig')!;
    expect(newSig).toBeDefined();

    const after = userApp({}, ['new-key']);
    const ok = await request(after.callback())
      .get('/')
      .set('Cookie', `koa.sess=${cookieValue(login, 'koa.sess')}; koa.sess.sig=${newSig}`)
      .expect(200);
    expect(ok.body).toEqual({ user: 'ada' });
  });

  it('rejects a signature made with a removed key: session:invalid (bad-signature)', async () => {
    const before = userApp({}, ['old-key']);
    const login = await request(before.callback()).get('/login');
    const after = userApp({}, ['new-key']);
    const events = recordEvents(after);
    const res = await request(after.callback())
      .get('/')
      .set('Cookie', `koa.sess=${cookieValue(login, 'koa.sess')}; koa.sess.sig=${cookieValue(login, 'koa.sess.sig')}`)
      .expect(200);
    expect(res.body).toEqual({ user: null });
    await tick();
    expect(events).toEqual([{ name: 'session:invalid', reason: 'bad-signature' }]);
  });
});
