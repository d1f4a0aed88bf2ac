/** Two-way cookie compatibility with the real koa-session 7: each reads the other's cookies. */
import type Koa from 'koa';
import { type KoaSessionOptions } from 'koa-typed-session';
import { cookieHeader, request, setCookies } from './support/http';
import { implApp, other, type Impl } from './support/compat';

const counter: Koa.Middleware = (ctx) => {
  const s = ctx.session!;
  s.views = ((s.views as number) ?? 0) + 1;
  s.user ??= { name: 'Zoë ✓', tags: ['a;b', 'c=d'] };
  ctx.body = { isNew: s.isNew, data: s.toJSON(), maxAge: s.maxAge ?? null };
};

const configs: Array<[string, KoaSessionOptions, string[] | null]> = [
  ['default', {}, ['k1', 'k2']],
  ['maxAge number', { maxAge: 60_000 }, ['k1', 'k2']],
  ["maxAge 'session'", { maxAge: 'session' }, ['k1', 'k2']],
  ['custom key', { key: 'app:sid' }, ['k1', 'k2']],
  [
    'all cookie attributes',
    {
      domain: 'example.com',
      path: '/',
      sameSite: 'lax',
      priority: 'high',
      partitioned: true,
      httpOnly: false,
      overwrite: true,
      maxAge: 3_600_000,
    },
    ['k1', 'k2'],
  ],
  ['signed false, no keys', { signed: false }, null],
  ['rolling', { rolling: true }, ['k1', 'k2']],
];

describe.each(configs)('cookie compatibility with koa-session: %s', (_name, options, keys) => {
  it.each([
    ['koa-session', 'ours'],
    ['ours', 'koa-session'],
  ] as Array<[Impl, Impl]>)('a cookie written by %s is read by %s, and back', async (writer, reader) => {
    const first = await request(implApp(writer, options, counter, keys).callback())
      .get('/')
      .expect(200);
    expect((first.body as { isNew: boolean }).isNew).toBe(true);
    const second = await request(implApp(reader, options, counter, keys).callback())
      .get('/')
      .set('Cookie', cookieHeader(first))
      .expect(200);
    expect(second.body).toMatchObject({
      isNew: false,
      data: { views: 2, user: { name: 'Zoë ✓', tags: ['a;b', 'c=d'] } },
    });
    const third = await request(implApp(other(reader), options, counter, keys).callback())
      .get('/')
      .set('Cookie', cookieHeader(second))
      .expect(200);
    expect(third.body).toMatchObject({ isNew: false, data: { views: 3 } });
  });
});

describe('cookie compatibility: rotation and tampering', () => {
  it('a cookie koa-session signed with an older key is accepted by us and re-signed identically', async () => {
    const first = await request(implApp('koa-session', {}, counter, ['old']).callback()).get('/');
    const ours = await request(
      implApp('ours', {}, (ctx) => void (ctx.body = String(ctx.session!.views)), ['new', 'old']).callback(),
    )
      .get('/')
      .set('Cookie', cookieHeader(first))
      .expect('1');
    const theirs = await request(
      implApp('koa-session', {}, (ctx) => void (ctx.body = String(ctx.session!.views)), ['new', 'old']).callback(),
    )
      .get('/')
      .set('Cookie', cookieHeader(first))
      .expect('1');
    expect(setCookies(ours)).toEqual(setCookies(theirs));
    expect(setCookies(ours)).toHaveLength(1);
  });

  it('both reject a cookie signed with a key neither has, with the same clearing header', async () => {
    const first = await request(implApp('ours', {}, counter, ['gone']).callback()).get('/');
    const responses = await Promise.all(
      (['ours', 'koa-session'] as Impl[]).map((impl) =>
        request(implApp(impl, {}, (ctx) => void (ctx.body = String(ctx.session!.isNew)), ['k1']).callback())
          .get('/')
          .set('Cookie', cookieHeader(first))
          .expect('true'),
      ),
    );
    expect(setCookies(responses[0]!)).toEqual(setCookies(responses[1]!));
  });
});
