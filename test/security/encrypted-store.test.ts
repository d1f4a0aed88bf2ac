import { createCookieSealer, MemoryStore } from 'koa-typed-session';
import { request } from '../helpers/app';
import { SECRET_NEW, cookieValue, recordEvents, secureApp, tick } from './security-helpers';

const encrypt = { keys: [SECRET_NEW] };

/** Store mode with encryption: the cookie carries the sealed session id, the data stays in the store. */
function storeApp(store: MemoryStore) {
  const app = secureApp({ store, encrypt }, null);
  app.use((ctx) => {
    if (ctx.path === '/login') ctx.session!.user = 'ada';
    ctx.body = { user: ctx.session!.user ?? null, id: ctx.sessionId };
  });
  return app;
}

describe('encryption in store mode', () => {
  it('seals the session id: the cookie does not show it, and the store is keyed by the plain id', async () => {
    const store = new MemoryStore();
    const app = storeApp(store);
    const login = await request(app.callback()).get('/login').expect(200);
    const id = login.body.id as string;
    const value = cookieValue(login, 'koa.sess')!;
    expect(value).not.toContain(id);
    expect(createCookieSealer(encrypt, 'koa.sess').unseal(value)?.plaintext).toBe(id);
    expect(await store.get(id)).toMatchObject({ user: 'ada' });
    const again = await request(app.callback()).get('/').set('Cookie', `koa.sess=${value}`).expect(200);
    expect(again.body).toEqual({ user: 'ada', id });
  });

  it('refuses the plain id (e.g. copied from a log): only a sealed id opens a session', async () => {
    const store = new MemoryStore();
    const app = storeApp(store);
    const events = recordEvents(app);
    const login = await request(app.callback()).get('/login');
    const id = login.body.id as string;
    const res = await request(app.callback()).get('/').set('Cookie', `koa.sess=${id}`).expect(200);
    expect(res.body.user).toBeNull();
    expect(res.body.id).not.toBe(id);
    await tick();
    expect(events).toEqual([{ name: 'session:invalid', reason: 'undecryptable' }]);
    expect(await store.get(id)).toMatchObject({ user: 'ada' });
  });

  it('leaves the stored record untouched when a tampered cookie arrives', async () => {
    const store = new MemoryStore();
    const app = storeApp(store);
    const login = await request(app.callback()).get('/login');
    const id = login.body.id as string;
    const bytes = Buffer.from(cookieValue(login, 'koa.sess')!, 'base64url');
    bytes[bytes.length - 1] = bytes[bytes.length - 1]! ^ 0x80;
    const res = await request(app.callback())
      .get('/login')
      .set('Cookie', `koa.sess=${bytes.toString('base64url')}`)
      .expect(200);
    expect(res.body.id).not.toBe(id);
    expect(await store.get(id)).toMatchObject({ user: 'ada' });
  });
});
