import { MemoryStore } from 'koa-typed-session';
import { cookieHeader, createTestApp, request } from '../helpers/app';
import { signCookie } from './support/http';

/** Every own name of Object.prototype: a loaded key of that name would shadow the method. */
const NAMES = Object.getOwnPropertyNames(Object.prototype);

function payload(): Record<string, unknown> {
  const data: Record<string, unknown> = { kept: 1 };
  for (const name of NAMES) if (name !== '__proto__') data[name] = 'x';
  return data;
}

function inspectApp(store?: MemoryStore) {
  const app = createTestApp(store ? { store } : {});
  app.use((ctx) => {
    const s = ctx.session!;
    if (ctx.path === '/assign') {
      Reflect.set(s, 'toString', 'shadow');
      Reflect.set(s, 'valueOf', 1);
      s.kept = 2;
      ctx.body = 'ok';
      return;
    }
    ctx.body = {
      concat: '' + (s as unknown as string),
      string: String(s),
      json: JSON.parse(JSON.stringify(s)) as unknown,
      own: NAMES.filter((n) => Object.hasOwn(s, n)),
      // eslint-disable-next-line no-prototype-builtins -- the method a loaded key would shadow
      hasKept: s.hasOwnProperty('kept'),
    };
  });
  return app;
}

describe('keys named after Object.prototype members are reserved', () => {
  it('cookie mode: dropped on load, so `"" + ctx.session` and String() work', async () => {
    const value = Buffer.from(JSON.stringify(payload())).toString('base64');
    const app = inspectApp();
    const res = await request(app.callback())
      .get('/')
      .set('Cookie', `koa.sess=${value}; koa.sess.sig=${signCookie('koa.sess', value, 'a')}`)
      .expect(200);
    expect(res.body).toEqual({
      concat: '[object Object]',
      string: '[object Object]',
      json: { kept: 1 },
      own: [],
      hasKept: true,
    });
  });

  it('store mode: dropped on load from a record', async () => {
    const store = new MemoryStore();
    const id = '5a0c7b1e-2d3f-4a5b-8c6d-7e8f9a0b1c2d';
    store.set(id, { ...payload(), _session: true }, 60_000);
    const app = inspectApp(store);
    const res = await request(app.callback())
      .get('/')
      .set('Cookie', `koa.sess=${id}; koa.sess.sig=${signCookie('koa.sess', id, 'a')}`)
      .expect(200);
    expect(res.body).toMatchObject({ string: '[object Object]', json: { kept: 1 }, own: [] });
  });

  it('assigned by the app: shadows for this request only, never persisted', async () => {
    const app = inspectApp();
    const res = await request(app.callback()).get('/assign').expect(200);
    const written = JSON.parse(
      Buffer.from(cookieHeader(res).split(';')[0]!.split('=')[1]!, 'base64').toString(),
    ) as object;
    expect(Object.keys(written).filter((k) => !k.startsWith('_'))).toEqual(['kept']);
    const next = await request(app.callback()).get('/').set('Cookie', cookieHeader(res)).expect(200);
    expect(next.body).toMatchObject({ string: '[object Object]', json: { kept: 2 } });
  });
});
