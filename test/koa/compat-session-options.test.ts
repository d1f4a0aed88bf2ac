/**
 * Per-request options: changing `ctx.sessionOptions` (rolling, renew, key, signed, cookie
 * attributes) changes that request exactly as with koa-session 7, which keeps a per-request copy
 * of its options and reads it when loading and committing. Side by side with the real koa-session.
 */
import type Koa from 'koa';
import { SessionConfigError, type KoaSessionOptions } from 'koa-typed-session';
import { cookieHeader, freezeTime, request, setCookies } from './support/http';
import { implApp, type Impl } from './support/compat';
import { JsonStore } from './support/stores';

const T0 = Date.UTC(2031, 2, 4, 5, 6, 7);

/** A handler that applies `change` to ctx.sessionOptions first, then runs `then`. */
function perRequest(change: Record<string, unknown>, then: Koa.Middleware): Koa.Middleware {
  return (ctx, next) => {
    Object.assign(ctx.sessionOptions, change);
    return then(ctx, next);
  };
}

const read: Koa.Middleware = (ctx) => {
  ctx.body = String(ctx.session!.a);
};
const write: Koa.Middleware = (ctx) => {
  ctx.session!.a = ((ctx.session!.a as number) ?? 0) + 1;
  ctx.body = String(ctx.session!.a);
};
const clear: Koa.Middleware = (ctx) => {
  ctx.session = null;
  ctx.body = 'ok';
};

/** Runs the same request against koa-session and ours; returns [status + body + Set-Cookie] of each. */
async function both(
  options: KoaSessionOptions,
  handler: Koa.Middleware,
  cookie = '',
): Promise<Array<{ body: string; cookies: string[] }>> {
  const out: Array<{ body: string; cookies: string[] }> = [];
  for (const impl of ['koa-session', 'ours'] as Impl[]) {
    const res = await request(implApp(impl, options, handler).callback())
      .get('/')
      .set('Cookie', cookie);
    out.push({ body: `${res.status} ${res.text}`, cookies: setCookies(res) });
  }
  return out;
}

/** A cookie session written by koa-session at T0 with `options`. */
async function seed(options: KoaSessionOptions): Promise<string> {
  return cookieHeader(await request(implApp('koa-session', options, write).callback()).get('/'));
}

describe('ctx.sessionOptions changes the request, as with koa-session (cookie mode)', () => {
  beforeEach(() => freezeTime(T0));
  afterEach(() => jest.restoreAllMocks());

  it('rolling = true re-sends an unchanged loaded session', async () => {
    const cookie = await seed({ maxAge: 60_000 });
    const [theirs, ours] = await both({ maxAge: 60_000 }, perRequest({ rolling: true }, read), cookie);
    expect(theirs!.cookies).toHaveLength(2);
    expect(ours).toEqual(theirs);
  });

  it('rolling = false stops a rolling app from re-sending', async () => {
    const cookie = await seed({ maxAge: 60_000, rolling: true });
    const [theirs, ours] = await both({ maxAge: 60_000, rolling: true }, perRequest({ rolling: false }, read), cookie);
    expect(theirs!.cookies).toEqual([]);
    expect(ours).toEqual(theirs);
  });

  it('renew = true re-sends a session with less than half its maxAge left', async () => {
    const cookie = await seed({ maxAge: 60_000 });
    jest.restoreAllMocks();
    freezeTime(T0 + 40_000);
    const [theirs, ours] = await both({ maxAge: 60_000 }, perRequest({ renew: true }, read), cookie);
    expect(theirs!.cookies).toHaveLength(2);
    expect(ours).toEqual(theirs);
  });

  it('key changes the cookie written', async () => {
    const [theirs, ours] = await both({}, perRequest({ key: 'other.sess' }, write));
    expect(theirs!.cookies[0]).toMatch(/^other\.sess=/);
    expect(ours).toEqual(theirs);
  });

  it('key changes the cookie read (set before the session is first used)', async () => {
    const cookie = await seed({ key: 'other.sess' });
    const [theirs, ours] = await both({}, perRequest({ key: 'other.sess' }, write), cookie);
    expect(theirs!.body).toBe('200 2');
    expect(ours).toEqual(theirs);
  });

  it('key changes the cookie cleared', async () => {
    const cookie = await seed({ key: 'other.sess' });
    const [theirs, ours] = await both({}, perRequest({ key: 'other.sess' }, clear), cookie);
    expect(theirs!.cookies[0]).toMatch(/^other\.sess=;/);
    expect(ours).toEqual(theirs);
  });

  it('signed = false writes no signature', async () => {
    const [theirs, ours] = await both({}, perRequest({ signed: false }, write));
    expect(theirs!.cookies).toHaveLength(1);
    expect(ours).toEqual(theirs);
  });

  it('signed = false reads an unsigned cookie', async () => {
    const cookie = await seed({ signed: false });
    const [theirs, ours] = await both({}, perRequest({ signed: false }, write), cookie);
    expect(theirs!.body).toBe('200 2');
    expect(ours).toEqual(theirs);
  });

  it('signed = true signs in an unsigned app', async () => {
    const [theirs, ours] = await both({ signed: false }, perRequest({ signed: true }, write));
    expect(theirs!.cookies).toHaveLength(2);
    expect(ours).toEqual(theirs);
  });

  it.each<[string, Record<string, unknown>]>([
    ['path', { path: '/app' }],
    ['domain', { domain: 'example.com' }],
    ['httpOnly', { httpOnly: false }],
    ['sameSite', { sameSite: 'strict' }],
    ['maxAge', { maxAge: 5000 }],
    ["maxAge 'session'", { maxAge: 'session' }],
    ['priority and partitioned', { priority: 'high', partitioned: true }],
  ])('cookie attribute %s', async (_name, change) => {
    const [theirs, ours] = await both({}, perRequest(change, write));
    expect(ours).toEqual(theirs);
  });

  it('a per-request key that is not a cookie name fails the request with a SessionConfigError', async () => {
    const app = implApp('ours', {}, perRequest({ key: 'bad key;' }, write));
    const errors: unknown[] = [];
    app.on('error', (err) => errors.push(err));
    const res = await request(app.callback()).get('/');
    expect(res.status).toBe(500);
    expect(setCookies(res)).toEqual([]);
    expect(errors[0]).toBeInstanceOf(SessionConfigError);
    expect(String(errors[0])).toMatch(/option `key` set on ctx\.sessionOptions must be a valid cookie name/);
  });

  it('changes stay in their request', async () => {
    for (const impl of ['koa-session', 'ours'] as Impl[]) {
      const app = implApp(impl, {}, (ctx) => {
        if (ctx.path === '/changed') Object.assign(ctx.sessionOptions, { key: 'other', signed: false, rolling: true });
        ctx.session!.a = 1;
        ctx.body = 'ok';
      });
      await request(app.callback()).get('/changed');
      const res = await request(app.callback()).get('/');
      expect([impl, setCookies(res).map((c) => c.split('=')[0])]).toEqual([impl, ['koa.sess', 'koa.sess.sig']]);
    }
  });
});

describe('ctx.sessionOptions changes the request, as with koa-session (store mode)', () => {
  beforeEach(() => freezeTime(T0));
  afterEach(() => jest.restoreAllMocks());

  async function storeRuns(change: Record<string, unknown>, handler: Koa.Middleware): Promise<unknown[]> {
    const runs: unknown[] = [];
    for (const impl of ['koa-session', 'ours'] as Impl[]) {
      const store = new JsonStore();
      const opts: KoaSessionOptions = { store, maxAge: 60_000, genid: () => 'fixed-id' };
      const first = await request(implApp(impl, opts, write).callback()).get('/');
      store.calls.length = 0;
      const second = await request(implApp(impl, opts, perRequest(change, handler)).callback())
        .get('/')
        .set('Cookie', cookieHeader(first));
      runs.push({
        calls: store.calls.map(({ op, key, maxAge, options: o }) => ({ op, key, maxAge, rolling: o.rolling })),
        cookies: setCookies(second),
      });
    }
    return runs;
  }

  it('rolling = true re-saves an unchanged session, and stores see rolling: true', async () => {
    const [theirs, ours] = await storeRuns({ rolling: true }, read);
    expect(theirs).toMatchObject({ calls: [{ op: 'get' }, { op: 'set', rolling: true }] });
    expect(ours).toEqual(theirs);
  });

  it('key changes the id cookie written', async () => {
    const [theirs, ours] = await storeRuns({ key: 'other.sess' }, write);
    expect((theirs as { cookies: string[] }).cookies[0]).toMatch(/^other\.sess=fixed-id/);
    expect(ours).toEqual(theirs);
  });

  it('signed = false writes the id cookie without a signature', async () => {
    const [theirs, ours] = await storeRuns({ signed: false }, write);
    expect((theirs as { cookies: string[] }).cookies).toHaveLength(1);
    expect(ours).toEqual(theirs);
  });
});
