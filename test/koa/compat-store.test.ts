/** Store-mode compatibility with koa-session 7: same records, same TTL argument, same cookies. */
import type Koa from 'koa';
import { type KoaSessionOptions } from 'koa-typed-session';
import { cookieHeader, freezeTime, request, setCookies } from './support/http';
import { implApp, other, type Impl } from './support/compat';
import { JsonStore } from './support/stores';

const counter: Koa.Middleware = (ctx) => {
  ctx.session!.views = ((ctx.session!.views as number) ?? 0) + 1;
  ctx.body = { views: ctx.session!.views, isNew: ctx.session!.isNew };
};

const configs: Array<[string, KoaSessionOptions]> = [
  ['default', {}],
  ['maxAge number', { maxAge: 60_000 }],
  ["maxAge 'session'", { maxAge: 'session' }],
  ['prefix', { prefix: 'sess:' }],
  ['rolling', { rolling: true }],
];

describe.each(configs)('store compatibility with koa-session: %s', (_name, options) => {
  afterEach(() => jest.restoreAllMocks());

  it.each([
    ['koa-session', 'ours'],
    ['ours', 'koa-session'],
  ] as Array<[Impl, Impl]>)('a session stored by %s is read by %s, and back', async (writer, reader) => {
    const store = new JsonStore();
    const first = await request(implApp(writer, { ...options, store }, counter).callback())
      .get('/')
      .expect({ views: 1, isNew: true });
    const second = await request(implApp(reader, { ...options, store }, counter).callback())
      .get('/')
      .set('Cookie', cookieHeader(first))
      .expect({ views: 2, isNew: false });
    await request(implApp(other(reader), { ...options, store }, counter).callback())
      .get('/')
      .set('Cookie', cookieHeader(second))
      .expect({ views: 3, isNew: false });
  });

  it('the same store calls (key, record, TTL, options) and the same Set-Cookie', async () => {
    freezeTime(Date.UTC(2031, 0, 2));
    const runs: Array<{ calls: unknown[]; cookies: string[][] }> = [];
    for (const impl of ['koa-session', 'ours'] as Impl[]) {
      const store = new JsonStore();
      const opts = { ...options, store, genid: () => 'fixed-id' };
      const first = await request(implApp(impl, opts, counter).callback()).get('/');
      const second = await request(implApp(impl, opts, counter).callback())
        .get('/')
        .set('Cookie', cookieHeader(first));
      const cleared = await request(
        implApp(impl, opts, (ctx) => void ((ctx.session = null), (ctx.body = 'ok'))).callback(),
      )
        .get('/')
        .set('Cookie', cookieHeader(second));
      runs.push({
        calls: store.calls.map(({ op, key, maxAge, sess, options: o }) => ({
          op,
          key,
          maxAge,
          sess,
          changed: o.changed,
          rolling: o.rolling,
          hasCtx: o.ctx !== undefined,
        })),
        cookies: [setCookies(first), setCookies(second), setCookies(cleared)],
      });
    }
    expect(runs[1]).toEqual(runs[0]);
  });
});

describe('store compatibility details', () => {
  it('ks store.set TTL: (maxAge || one day) + 10 s, or the string "session" (as koa-session)', async () => {
    for (const [options, ttl] of [
      [{}, 86_410_000],
      [{ maxAge: 1000 }, 11_000],
      [{ maxAge: 'session' }, 'session'],
    ] as const) {
      for (const impl of ['koa-session', 'ours'] as Impl[]) {
        const store = new JsonStore();
        await request(implApp(impl, { ...options, store }, counter).callback()).get('/');
        expect([impl, store.callsOf('set')[0]!.maxAge]).toEqual([impl, ttl]);
      }
    }
  });
});
