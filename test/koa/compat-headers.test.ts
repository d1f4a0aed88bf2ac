/** Set-Cookie byte-identical to koa-session 7 for the same payload and the same (frozen) clock. */
import type Koa from 'koa';
import { type KoaSessionOptions } from 'koa-typed-session';
import { cookieHeader, freezeTime, request, setCookies } from './support/http';
import { implApp, type Impl } from './support/compat';

const handlers: Record<string, Koa.Middleware> = {
  write: (ctx) => {
    ctx.session!.a = 1;
    ctx.session!.text = 'héllo; "world"';
    ctx.body = 'ok';
  },
  change: (ctx) => {
    ctx.session!.a = ((ctx.session!.a as number) ?? 0) + 1;
    ctx.body = 'ok';
  },
  read: (ctx) => {
    ctx.body = String(ctx.session!.a);
  },
  clear: (ctx) => {
    ctx.session = null;
    ctx.body = 'ok';
  },
  assign: (ctx) => {
    ctx.session = { replaced: true };
    ctx.body = 'ok';
  },
  save: async (ctx) => {
    await ctx.session!.save();
    ctx.body = 'ok';
  },
  setMaxAge: (ctx) => {
    ctx.session!.maxAge = 5000;
    ctx.body = 'ok';
  },
};

const configs: Array<[string, KoaSessionOptions]> = [
  ['default', {}],
  ['maxAge number', { maxAge: 86_400_000 }],
  ["maxAge 'session'", { maxAge: 'session' }],
  ['custom key', { key: 'koa:sess' }],
  [
    'attributes',
    { domain: 'example.com', path: '/app', sameSite: 'none', priority: 'low', partitioned: true, maxAge: 1000 },
  ],
  ['httpOnly false', { httpOnly: false }],
  ['signed false', { signed: false }],
  ['rolling', { rolling: true }],
];

async function both(
  options: KoaSessionOptions,
  handler: Koa.Middleware,
  cookie = '',
  proxy = false,
): Promise<string[][]> {
  const out: string[][] = [];
  for (const impl of ['koa-session', 'ours'] as Impl[]) {
    const app = implApp(impl, options, handler);
    app.proxy = proxy;
    const res = await request(app.callback()).get('/').set('Cookie', cookie).set('X-Forwarded-Proto', 'https');
    out.push(setCookies(res));
  }
  return out;
}

describe.each(configs)('Set-Cookie identical to koa-session: %s', (_name, options) => {
  beforeEach(() => freezeTime(Date.UTC(2031, 2, 4, 5, 6, 7)));
  afterEach(() => jest.restoreAllMocks());

  it.each(['write', 'clear', 'assign', 'save', 'setMaxAge'])('new session, handler "%s"', async (name) => {
    const [theirs, ours] = await both(options, handlers[name]!);
    expect(ours).toEqual(theirs);
    expect(ours!.length).toBeGreaterThan(0);
  });

  it.each(['change', 'read', 'clear', 'assign', 'save'])('a loaded session, handler "%s"', async (name) => {
    const seed = await request(implApp('koa-session', options, handlers.write!).callback()).get('/');
    const [theirs, ours] = await both(options, handlers[name]!, cookieHeader(seed));
    expect(ours).toEqual(theirs);
  });

  it('over HTTPS behind a trusted proxy (secure attribute)', async () => {
    const [theirs, ours] = await both(options, handlers.write!, '', true);
    expect(ours).toEqual(theirs);
    expect(ours![0]).toContain('; secure');
  });
});
