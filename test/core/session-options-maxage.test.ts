/**
 * `ctx.sessionOptions.maxAge` and `ctx.session.maxAge` are one value (the request's lifetime), as
 * in koa-session, whose session reads its lifetime from `ctx.sessionOptions.maxAge`: even when a
 * handler deletes or redefines that property.
 */
import Koa from 'koa';
import koaSession from 'koa-session';
import request from 'supertest';
import { session } from 'koa-typed-session';

type Handler = (ctx: Koa.Context) => void;

function apps(handler: Handler): Array<[string, Koa]> {
  const ours = new Koa();
  ours.keys = ['test-secret-key-1'];
  ours.use(session({ maxAge: 5000 }, ours));
  ours.use((ctx) => {
    handler(ctx);
    ctx.body = 'ok';
  });
  const theirs = new Koa();
  theirs.keys = ['test-secret-key-1'];
  theirs.use(koaSession({ maxAge: 5000 }, theirs));
  theirs.use((ctx) => {
    handler(ctx);
    ctx.body = 'ok';
  });
  return [
    ['ours', ours],
    ['koa-session', theirs],
  ];
}

async function savedMaxAge(app: Koa): Promise<unknown> {
  const res = await request(app.callback()).get('/');
  const cookies = ([] as string[]).concat(res.headers['set-cookie'] ?? []);
  const value = cookies
    .find((c) => c.startsWith('koa.sess='))!
    .split(';')[0]!
    .slice('koa.sess='.length);
  return (JSON.parse(Buffer.from(value, 'base64').toString('utf8')) as Record<string, unknown>)._maxAge;
}

describe('ctx.sessionOptions.maxAge and ctx.session.maxAge', () => {
  it.each([
    ['assigned on sessionOptions', 1234, (ctx: Koa.Context) => void (ctx.sessionOptions.maxAge = 1234)],
    ['assigned on the session', 2345, (ctx: Koa.Context) => void (ctx.session!.maxAge = 2345)],
    [
      'deleted from sessionOptions (the default day applies)',
      86_400_000,
      (ctx: Koa.Context) => void Reflect.deleteProperty(ctx.sessionOptions, 'maxAge'),
    ],
    [
      'deleted, then assigned again on sessionOptions',
      3456,
      (ctx: Koa.Context) => {
        Reflect.deleteProperty(ctx.sessionOptions, 'maxAge');
        ctx.sessionOptions.maxAge = 3456;
      },
    ],
    [
      'deleted, then assigned on the session',
      4567,
      (ctx: Koa.Context) => {
        Reflect.deleteProperty(ctx.sessionOptions, 'maxAge');
        ctx.session!.maxAge = 4567;
        if (ctx.sessionOptions.maxAge !== 4567) throw new Error('sessionOptions.maxAge did not follow');
      },
    ],
  ])('%s: the cookie carries the same lifetime as with koa-session', async (_name, expected, change) => {
    for (const [lib, app] of apps((ctx) => {
      change(ctx);
      ctx.session!.n = 1;
    })) {
      expect([lib, await savedMaxAge(app)]).toEqual([lib, expected]);
    }
  });
});
