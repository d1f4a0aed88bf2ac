import type Koa from 'koa';
import { MemoryStore, type KoaSessionOptions } from 'koa-typed-session';
import { cookieHeader, request } from '../helpers/app';
import { SECRET_NEW, fakeClock, recordEvents, secureApp, tick } from './security-helpers';

const MINUTE = 60_000;

/** /login stores a user; /regenerate and /relogin regenerate, /replace sets null then an object; every path reports the user. */
function userApp(options: KoaSessionOptions): Koa {
  const app = secureApp(options);
  app.use(async (ctx) => {
    if (ctx.path === '/login') ctx.session!.user = 'ada';
    if (ctx.path === '/regenerate') await ctx.session!.regenerate();
    if (ctx.path === '/relogin') await ctx.session!.regenerate({ restartAbsolute: true });
    if (ctx.path === '/replace') {
      const { user } = ctx.session!;
      ctx.session = null;
      ctx.session = { user };
    }
    ctx.body = { user: ctx.session!.user ?? null };
  });
  return app;
}

const modes: Array<[string, () => KoaSessionOptions]> = [
  ['signed cookie', () => ({})],
  ['encrypted cookie', () => ({ encrypt: { keys: [SECRET_NEW] } })],
  ['store', () => ({ store: new MemoryStore() })],
];

let clock: ReturnType<typeof fakeClock>;
beforeEach(() => {
  clock = fakeClock();
});
afterEach(() => clock.restore());

describe.each(modes)('timeouts, %s mode', (_mode, base) => {
  /** Sends the request with the current cookie and keeps any cookie the server sets. */
  function browser(app: Koa) {
    let cookie = '';
    return async (path: string): Promise<string | null> => {
      const res = await request(app.callback()).get(path).set('Cookie', cookie).expect(200);
      if (res.headers['set-cookie']) cookie = cookieHeader(res);
      return res.body.user as string | null;
    };
  }

  it('idle timeout: maxAge ends a session left alone longer than maxAge', async () => {
    const app = userApp({ ...base(), maxAge: 10 * MINUTE, rolling: true });
    const events = recordEvents(app);
    const visit = browser(app);
    expect(await visit('/login')).toBe('ada');
    clock.advance(9 * MINUTE);
    expect(await visit('/')).toBe('ada');
    clock.advance(10 * MINUTE + 1);
    expect(await visit('/')).toBeNull();
    await tick();
    // The store's own TTL may have dropped the record first (then it is a miss).
    expect(events.map((e) => e.reason)).toEqual([expect.stringMatching(/^(expired|missed)$/)]);
  });

  it('absolute timeout with rolling: activity keeps the session alive only until absoluteTimeout', async () => {
    const app = userApp({ ...base(), maxAge: 10 * MINUTE, rolling: true, absoluteTimeout: 30 * MINUTE });
    const events = recordEvents(app);
    const visit = browser(app);
    expect(await visit('/login')).toBe('ada');
    for (let t = 5; t < 30; t += 5) {
      clock.advance(5 * MINUTE);
      expect(await visit('/')).toBe('ada');
    }
    clock.advance(5 * MINUTE); // 30 minutes after login, active all along
    expect(await visit('/')).toBeNull();
    await tick();
    expect(events).toEqual([{ name: 'session:expired', reason: 'absolute-timeout' }]);
  });

  it('absolute timeout with renew', async () => {
    const app = userApp({ ...base(), maxAge: 10 * MINUTE, renew: true, absoluteTimeout: 25 * MINUTE });
    const events = recordEvents(app);
    const visit = browser(app);
    expect(await visit('/login')).toBe('ada');
    for (let t = 6; t < 25; t += 6) {
      clock.advance(6 * MINUTE); // less than half of maxAge left: renewed
      expect(await visit('/')).toBe('ada');
    }
    clock.advance(6 * MINUTE); // 30 minutes
    expect(await visit('/')).toBeNull();
    await tick();
    expect(events).toEqual([{ name: 'session:expired', reason: 'absolute-timeout' }]);
  });

  it('regenerate() keeps the absolute clock: rotating the id does not extend the session', async () => {
    const app = userApp({ ...base(), maxAge: 60 * MINUTE, absoluteTimeout: 30 * MINUTE });
    const events = recordEvents(app);
    const visit = browser(app);
    expect(await visit('/login')).toBe('ada');
    for (let t = 0; t < 25; t += 5) {
      clock.advance(5 * MINUTE);
      expect(await visit('/regenerate')).toBe('ada'); // periodic rotation
    }
    clock.advance(5 * MINUTE); // 30 minutes after login
    expect(await visit('/')).toBeNull();
    await tick();
    expect(events).toEqual([{ name: 'session:expired', reason: 'absolute-timeout' }]);
  });

  it('ctx.session = null then a new object keeps the absolute clock (a rotation, not a login)', async () => {
    const app = userApp({ ...base(), maxAge: 60 * MINUTE, absoluteTimeout: 30 * MINUTE });
    const visit = browser(app);
    expect(await visit('/login')).toBe('ada');
    clock.advance(20 * MINUTE);
    expect(await visit('/replace')).toBe('ada');
    clock.advance(10 * MINUTE);
    expect(await visit('/')).toBeNull();
  });

  it('regenerate({ restartAbsolute: true }) starts a new absolute clock (a fresh login)', async () => {
    const app = userApp({ ...base(), maxAge: 60 * MINUTE, absoluteTimeout: 30 * MINUTE });
    const visit = browser(app);
    expect(await visit('/login')).toBe('ada');
    clock.advance(20 * MINUTE);
    expect(await visit('/relogin')).toBe('ada');
    clock.advance(20 * MINUTE); // 40 minutes after the first login, 20 after the new one
    expect(await visit('/')).toBe('ada');
    clock.advance(10 * MINUTE);
    expect(await visit('/')).toBeNull();
  });
});

describe('who can move the clock', () => {
  /** The payload of a cookie-mode session, re-encoded with `_created` and `_expire` moved to now. */
  function refreshed(value: string): string {
    const payload = JSON.parse(Buffer.from(value, 'base64').toString('utf8')) as Record<string, unknown>;
    payload._created = Date.now();
    payload._expire = Date.now() + 10 * MINUTE;
    return Buffer.from(JSON.stringify(payload)).toString('base64');
  }

  async function loginThenForge(options: KoaSessionOptions, keepSig: boolean): Promise<string | null> {
    const app = userApp({ ...options, maxAge: 10 * MINUTE, absoluteTimeout: 30 * MINUTE });
    const login = await request(app.callback()).get('/login');
    const [value, sig] = cookieHeader(login)
      .split('; ')
      .map((c) => c.slice(c.indexOf('=') + 1));
    clock.advance(31 * MINUTE);
    const forged = `koa.sess=${refreshed(value!)}${keepSig ? `; koa.sess.sig=${sig}` : ''}`;
    const res = await request(app.callback()).get('/').set('Cookie', forged).expect(200);
    return res.body.user as string | null;
  }

  it('signed mode: a client that rewrites _created/_expire loses the session (signature)', async () => {
    expect(await loginThenForge({}, true)).toBeNull();
  });

  it('unsigned mode enforces nothing: a client can rewrite _created and _expire (documented)', async () => {
    expect(await loginThenForge({ signed: false }, false)).toBe('ada');
  });
});
