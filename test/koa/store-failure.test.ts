/** A store that throws, rejects or hangs: SessionStoreError (503 by default), stored data untouched. */
import type Koa from 'koa';
import { SessionStoreError, type KoaSessionOptions } from 'koa-typed-session';
import { cookieHeader, createTestApp, flushEvents, recordEvents, request, setCookies } from './support/http';
import { JsonStore } from './support/stores';

type Op = 'get' | 'set' | 'destroy';

/** A JsonStore whose `op` fails in the given way once `broken` is set. */
class BrokenStore extends JsonStore {
  broken: { op: Op; how: 'throw' | 'reject' | 'hang' } | undefined;
  private fail(op: Op): unknown {
    if (this.broken?.op !== op) return undefined;
    if (this.broken.how === 'throw') throw new Error(`${op} exploded`);
    if (this.broken.how === 'reject') return Promise.reject(new Error(`${op} rejected`));
    return new Promise(() => undefined);
  }
  override get(...args: Parameters<JsonStore['get']>): unknown {
    return this.fail('get') ?? super.get(...args);
  }
  override set(...args: Parameters<JsonStore['set']>): void {
    const failure = this.fail('set');
    if (failure) return failure as unknown as void;
    super.set(...args);
  }
  override destroy(...args: Parameters<JsonStore['destroy']>): void {
    const failure = this.fail('destroy');
    if (failure) return failure as unknown as void;
    super.destroy(...args);
  }
}

function app(store: BrokenStore, opts: KoaSessionOptions = {}): { app: Koa; errors: Error[] } {
  const a = createTestApp({ store, ...opts });
  a.silent = true;
  const errors: Error[] = [];
  a.on('error', (err: Error) => errors.push(err));
  a.use((ctx) => {
    if (ctx.path === '/null') ctx.session = null;
    else if (ctx.path === '/regenerate') return ctx.session!.regenerate().then(() => void (ctx.body = 'ok'));
    else ctx.session!.n = ((ctx.session!.n as number) ?? 0) + 1;
    ctx.body = String(ctx.session?.n ?? 'gone');
    return undefined;
  });
  return { app: a, errors };
}

async function seeded(): Promise<{ store: BrokenStore; cookie: string; snapshot: string }> {
  const store = new BrokenStore();
  const cookie = cookieHeader(await request(app(store).app.callback()).get('/').expect('1'));
  return { store, cookie, snapshot: JSON.stringify([...store.data]) };
}

describe('store failures', () => {
  describe.each(['throw', 'reject'] as const)('a store that %ss', (how) => {
    it.each(['get', 'set', 'destroy'] as const)(
      'on %s: 503 with SessionStoreError, stored data untouched',
      async (op) => {
        const { store, cookie, snapshot } = await seeded();
        store.broken = { op, how };
        const { app: a, errors } = app(store);
        const path = op === 'destroy' ? '/null' : '/';
        const res = await request(a.callback()).get(path).set('Cookie', cookie).expect(503);
        expect(res.text).toMatch(/^koa-typed-session: the session store is unavailable \(`/);
        expect(res.headers['set-cookie']).toBeUndefined();
        expect(JSON.stringify([...store.data])).toBe(snapshot);
        const err = errors[0] as SessionStoreError;
        expect(err).toBeInstanceOf(SessionStoreError);
        expect(err.operation).toBe(op);
        expect(err.code).toBe('ERR_SESSION_STORE');
        expect((err.cause as Error).message).toMatch(new RegExp(`${op} (exploded|rejected)`));
        // The store recovers: the session is still there.
        store.broken = undefined;
        await request(a.callback()).get('/').set('Cookie', cookie).expect('2');
      },
    );
  });

  it('a failing destroy during regenerate() keeps the old record (the new one is already written)', async () => {
    const { store, cookie } = await seeded();
    const oldId = /koa\.sess=([^;]+)/.exec(cookie)![1]!;
    store.broken = { op: 'destroy', how: 'reject' };
    await request(app(store).app.callback()).get('/regenerate').set('Cookie', cookie).expect(503);
    expect(store.record(oldId)).toMatchObject({ n: 1 });
  });

  it('a store that never answers fails after storeTimeout with a 503', async () => {
    const { store, cookie } = await seeded();
    store.broken = { op: 'get', how: 'hang' };
    const { app: a, errors } = app(store, { storeTimeout: 50 });
    const started = Date.now();
    await request(a.callback()).get('/').set('Cookie', cookie).expect(503);
    expect(Date.now() - started).toBeLessThan(2000);
    expect((errors[0]!.cause as Error).message).toMatch(/no answer within 50 ms \(storeTimeout\)/);
  });

  it('a hanging set times out too', async () => {
    const { store, cookie, snapshot } = await seeded();
    store.broken = { op: 'set', how: 'hang' };
    await request(app(store, { storeTimeout: 50 }).app.callback())
      .get('/')
      .set('Cookie', cookie)
      .expect(503);
    expect(JSON.stringify([...store.data])).toBe(snapshot);
  });

  it('storeErrorStatus changes the status', async () => {
    const { store, cookie } = await seeded();
    store.broken = { op: 'get', how: 'throw' };
    const res = await request(app(store, { storeErrorStatus: 500 }).app.callback())
      .get('/')
      .set('Cookie', cookie)
      .expect(500);
    expect(res.text).toBe('Internal Server Error');
  });

  it("onStoreError: 'continue' serves an empty, unsaved session and emits session:error", async () => {
    const { store, cookie, snapshot } = await seeded();
    store.broken = { op: 'get', how: 'reject' };
    const { app: a } = app(store, { onStoreError: 'continue' });
    const events = recordEvents(a);
    const res = await request(a.callback()).get('/').set('Cookie', cookie).expect(200, '1');
    expect(res.headers['set-cookie']).toBeUndefined();
    expect(JSON.stringify([...store.data])).toBe(snapshot);
    await flushEvents();
    expect(events.map((e) => [e.name, e.payload.reason])).toEqual([['session:error', 'store-get']]);
    expect(events[0]!.payload.errors).toBeInstanceOf(SessionStoreError);
  });

  it("onStoreError: 'continue': a logout while get fails still destroys the record and clears the cookie", async () => {
    const { store, cookie } = await seeded();
    store.broken = { op: 'get', how: 'reject' };
    const { app: a } = app(store, { onStoreError: 'continue' });
    const res = await request(a.callback()).get('/null').set('Cookie', cookie).expect(200, 'gone');
    expect(setCookies(res)).toEqual([expect.stringMatching(/^koa\.sess=;/), expect.stringMatching(/^koa\.sess\.sig=/)]);
    expect(store.data.size).toBe(0);
  });

  it("onStoreError: 'continue': a logout while the whole store is down fails with 503, not a false success", async () => {
    const { store, cookie, snapshot } = await seeded();
    store.broken = { op: 'get', how: 'reject' };
    store.destroy = () => {
      throw new Error('destroy exploded');
    };
    const { app: a, errors } = app(store, { onStoreError: 'continue' });
    const res = await request(a.callback()).get('/null').set('Cookie', cookie).expect(503);
    expect(setCookies(res)).toEqual([]);
    expect(JSON.stringify([...store.data])).toBe(snapshot);
    expect(errors[0]).toBeInstanceOf(SessionStoreError);
  });

  it("onStoreError: 'continue' on set: the response succeeds, session:error emitted", async () => {
    const { store, cookie, snapshot } = await seeded();
    store.broken = { op: 'set', how: 'throw' };
    const { app: a } = app(store, { onStoreError: 'continue' });
    const events = recordEvents(a);
    await request(a.callback()).get('/').set('Cookie', cookie).expect(200, '2');
    expect(JSON.stringify([...store.data])).toBe(snapshot);
    await flushEvents();
    expect(events.map((e) => e.payload.reason)).toEqual(['store-set']);
  });

  it('a handler error is not hidden when the store works', async () => {
    const store = new BrokenStore();
    const a = createTestApp({ store });
    a.silent = true;
    a.use((ctx) => {
      ctx.session!.a = 1;
      ctx.throw(418, 'teapot');
    });
    const res = await request(a.callback()).get('/').expect(418);
    expect(setCookies(res)).toEqual([]);
  });
});
