/** koa-session externalkey.test #114-#115: the store key carried in a header. */
import type Koa from 'koa';
import { SessionConfigError, type KoaSessionOptions } from 'koa-typed-session';
import { createTestApp, request } from './support/http';
import { JsonStore } from './support/stores';

const externalKey = {
  get: (ctx: Koa.Context) => ctx.get('User-Token'),
  set: (ctx: Koa.Context, value: string) => ctx.set('User-Token', value),
};

describe('externalKey', () => {
  it.each([{}, { get: () => 'x' }, { set: () => undefined }, null])(
    'ks#114 an invalid externalKey (%p) throws at startup, naming it',
    (value) => {
      const opts = { store: new JsonStore(), externalKey: value } as unknown as KoaSessionOptions;
      expect(() => createTestApp(opts)).toThrow(SessionConfigError);
      expect(() => createTestApp(opts)).toThrow(/option `externalKey`/);
    },
  );

  it('ks#115 the key travels in a header, no cookie needed', async () => {
    const store = new JsonStore();
    const app = createTestApp({ store, externalKey });
    app.use((ctx) => {
      if (ctx.method === 'POST') {
        ctx.session!.string = ';';
        ctx.status = 204;
      } else {
        ctx.body = `${ctx.session!.string} ${ctx.session!.externalKey === ctx.get('User-Token')}`;
      }
    });
    const res = await request(app.callback()).post('/').expect(204);
    const token = res.headers['user-token'] as string;
    expect(token).toMatch(/^[0-9a-f-]{36}$/);
    expect(res.headers['set-cookie']).toBeUndefined();
    await request(app.callback()).get('/').set('User-Token', token).expect('; true');
  });

  it('regenerate() hands the new key to externalKey.set', async () => {
    const store = new JsonStore();
    const app = createTestApp({ store, externalKey });
    app.use(async (ctx) => {
      ctx.session!.a = 1;
      if (ctx.path === '/regen') await ctx.session!.regenerate();
      ctx.body = ctx.sessionId;
    });
    const first = await request(app.callback()).post('/');
    const token = first.headers['user-token'] as string;
    const second = await request(app.callback()).post('/regen').set('User-Token', token);
    expect(second.headers['user-token']).toBe(second.text);
    expect(second.text).not.toBe(token);
    expect(store.data.has(token)).toBe(false);
  });
});
