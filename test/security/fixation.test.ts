import type Koa from 'koa';
import { MemoryStore, type KoaSessionOptions, type MaxAge, type SessionPayload } from 'koa-typed-session';
import { cookieHeader, request } from '../helpers/app';
import { SECRET_NEW, recordEvents, secureApp, tick } from './security-helpers';

/** A MemoryStore that logs its writes and deletes in order. */
class RecordingStore extends MemoryStore {
  readonly log: string[] = [];
  override set(key: string, sess: SessionPayload, maxAge: MaxAge): void {
    this.log.push(`set ${key}`);
    super.set(key, sess, maxAge);
  }
  override destroy(key: string): void {
    this.log.push(`destroy ${key}`);
    super.destroy(key);
  }
  override rename(oldKey: string, newKey: string, sess: SessionPayload, maxAge: MaxAge): boolean {
    this.log.push(`rename ${oldKey} ${newKey}`);
    return super.rename(oldKey, newKey, sess, maxAge);
  }
}

/**
 * /visit starts an anonymous session; /login authenticates (with or without regenerate());
 * /logout ends the session; every path reports the user and the session id.
 */
function loginApp(options: KoaSessionOptions, regenerate = true): Koa {
  const app = secureApp(options);
  app.use(async (ctx) => {
    if (ctx.path === '/visit') ctx.session!.cart = ['book'];
    if (ctx.path === '/login') {
      ctx.session!.user = 'victim';
      if (regenerate) await ctx.session!.regenerate();
    }
    if (ctx.path === '/login-fresh') {
      // The alternative login pattern: drop anonymous data, new id.
      ctx.session = null;
      ctx.session = { user: 'victim' };
    }
    if (ctx.path === '/logout') ctx.session = null;
    ctx.body = { user: ctx.session?.user ?? null, id: ctx.sessionId ?? null };
  });
  return app;
}

const get = (app: Koa, path: string, cookie = '') =>
  request(app.callback()).get(path).set('Cookie', cookie).expect(200);

describe('fixation defence, store mode', () => {
  it('regenerate() moves the record to the new id in one step (rename: the new record, then the old one deleted)', async () => {
    const store = new RecordingStore();
    const app = loginApp({ store });
    const visit = await get(app, '/visit');
    const oldId = visit.body.id as string;
    store.log.length = 0;
    const login = await get(app, '/login', cookieHeader(visit));
    const newId = login.body.id as string;
    expect(newId).not.toBe(oldId);
    expect(store.log).toEqual([`rename ${oldId} ${newId}`, `set ${newId}`]);
    expect(store.get(oldId)).toBeUndefined();
    expect(store.get(newId)).toMatchObject({ user: 'victim', cart: ['book'] });
  });

  it('a planted (fixed) cookie is useless after the victim logs in', async () => {
    const store = new MemoryStore();
    const app = loginApp({ store });
    const events = recordEvents(app);
    // The attacker obtains a real anonymous session and plants its cookie in the victim's browser.
    const planted = cookieHeader(await get(app, '/visit'));
    const login = await get(app, '/login', planted);
    expect(login.body.user).toBe('victim');
    // The attacker replays the planted cookie: the old id no longer exists.
    const replay = await get(app, '/', planted);
    expect(replay.body.user).toBeNull();
    expect(replay.body.id).not.toBe(login.body.id);
    await tick();
    expect(events).toEqual([{ name: 'session:missed', reason: 'missed' }]);
    // The victim is still logged in.
    expect((await get(app, '/', cookieHeader(login))).body.user).toBe('victim');
  });

  it('control: without regenerate() the planted cookie would hand the attacker the login', async () => {
    const app = loginApp({ store: new MemoryStore() }, false);
    const planted = cookieHeader(await get(app, '/visit'));
    await get(app, '/login', planted);
    expect((await get(app, '/', planted)).body.user).toBe('victim');
  });

  it('the alternative pattern (session = null, then a new object) also takes a new id', async () => {
    const store = new MemoryStore();
    const app = loginApp({ store });
    const visit = await get(app, '/visit');
    const login = await get(app, '/login-fresh', cookieHeader(visit));
    const newId = (await get(app, '/', cookieHeader(login))).body.id as string;
    expect(newId).not.toBe(visit.body.id);
    expect(store.get(visit.body.id as string)).toBeUndefined();
    expect(store.get(newId)).toMatchObject({ user: 'victim' });
    expect(store.get(newId)).not.toHaveProperty('cart');
    expect((await get(app, '/', cookieHeader(visit))).body.user).toBeNull();
  });

  it('logout destroys the record: a copied cookie is useless afterwards', async () => {
    const store = new MemoryStore();
    const app = loginApp({ store });
    const login = await get(app, '/login', cookieHeader(await get(app, '/visit')));
    const stolen = cookieHeader(login);
    await get(app, '/logout', stolen);
    expect(store.get(login.body.id as string)).toBeUndefined();
    expect((await get(app, '/', stolen)).body.user).toBeNull();
  });

  it('never adopts an id the server did not issue (even unsigned): a fresh id is generated', async () => {
    const store = new MemoryStore();
    const app = loginApp({ store, signed: false });
    const res = await get(app, '/visit', 'koa.sess=attacker-chosen-id');
    expect(res.body.id).not.toBe('attacker-chosen-id');
    expect(store.get('attacker-chosen-id')).toBeUndefined();
  });
});

describe.each([
  ['signed', {}],
  ['encrypted', { encrypt: { keys: [SECRET_NEW] } }],
] as Array<[string, KoaSessionOptions]>)('fixation defence, %s cookie mode', (_mode, options) => {
  it('a planted pre-login cookie never carries the login: the victim gets a new cookie', async () => {
    const app = loginApp(options);
    const planted = cookieHeader(await get(app, '/visit'));
    const login = await get(app, '/login', planted);
    expect(login.body.user).toBe('victim');
    expect(cookieHeader(login)).not.toBe(planted);
    const replay = await get(app, '/', planted);
    expect(replay.body.user).toBeNull();
  });

  it('limit, by design: a copied post-login cookie stays valid until it expires (use a store to revoke)', async () => {
    const app = loginApp(options);
    const login = await get(app, '/login', cookieHeader(await get(app, '/visit')));
    const stolen = cookieHeader(login);
    await get(app, '/logout', stolen);
    // Nothing server-side remembers the logout: the copy still opens. maxAge/absoluteTimeout bound it.
    expect((await get(app, '/', stolen)).body.user).toBe('victim');
  });
});
