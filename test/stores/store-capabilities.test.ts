import Koa from 'koa';
import request from 'supertest';
import {
  MemoryStore,
  session,
  type KoaSessionOptions,
  type MaxAge,
  type SessionPatch,
  type SessionPayload,
  type SessionStore,
} from 'koa-typed-session';
import { cookieHeader } from '../helpers/app';

/** A real MemoryStore that records which store method the engine chose for each write. */
class RecordingStore extends MemoryStore {
  calls: Array<{ method: string; patch?: SessionPatch; ttl: MaxAge }> = [];

  override set(key: string, sess: SessionPayload, maxAge: MaxAge): void {
    this.calls.push({ method: 'set', ttl: maxAge });
    super.set(key, sess, maxAge);
  }

  override patch(key: string, patch: SessionPatch, maxAge: MaxAge): boolean {
    this.calls.push({ method: 'patch', patch: structuredClone(patch), ttl: maxAge });
    return this.merge(key, patch, maxAge);
  }

  override touch(key: string, patch: SessionPatch, maxAge: MaxAge): boolean {
    this.calls.push({ method: 'touch', patch: structuredClone(patch), ttl: maxAge });
    return this.merge(key, patch, maxAge);
  }

  /** MemoryStore's merge, without recording the inner `set` call. */
  private merge(key: string, patch: SessionPatch, maxAge: MaxAge): boolean {
    const record = this.get(key);
    if (!record) return false;
    for (const name of patch.unset) delete record[name];
    super.set(key, { ...record, ...patch.set }, maxAge);
    return true;
  }
}

function createApp(store: SessionStore, options: KoaSessionOptions = {}): Koa {
  const app = new Koa();
  app.keys = ['k'];
  app.use(session({ store, ...options }, app));
  app.use((ctx) => {
    if (ctx.path === '/set') ctx.session!.a = Number(ctx.query.v ?? 1);
    else if (ctx.path === '/del') delete ctx.session!.a;
    else if (ctx.path === '/browser-session') ctx.session!.maxAge = 'session';
    ctx.body = ctx.session!.toJSON();
  });
  return app;
}

describe('the engine uses the optional store capabilities (patch, touch) and falls back to set', () => {
  it('new session: set; changed: patch with only the changed keys; removed key: unset', async () => {
    const store = new RecordingStore();
    const app = createApp(store, { maxAge: 60_000 });
    const cookie = cookieHeader(await request(app.callback()).get('/set?v=1').expect(200));
    await request(app.callback()).get('/set?v=2').set('Cookie', cookie).expect(200);
    await request(app.callback()).get('/del').set('Cookie', cookie).expect(200);
    expect(store.calls.map((c) => c.method)).toEqual(['set', 'patch', 'patch']);
    expect(store.calls[1]!.patch).toEqual({
      set: { a: 2, _expire: expect.any(Number), _maxAge: 60_000 },
      unset: ['_session', '_created'],
    });
    expect(store.calls[2]!.patch!.unset).toEqual(['a', '_session', '_created']);
    expect(store.calls[1]!.ttl).toBe(70_000);
  });

  it('rolling with nothing changed: touch (TTL and _expire only, the data untouched)', async () => {
    const store = new RecordingStore();
    const app = createApp(store, { rolling: true });
    const cookie = cookieHeader(await request(app.callback()).get('/set').expect(200));
    await request(app.callback()).get('/read').set('Cookie', cookie).expect(200, { a: 1 });
    expect(store.calls.map((c) => c.method)).toEqual(['set', 'touch']);
    expect(Object.keys(store.calls[1]!.patch!.set).sort()).toEqual(['_expire', '_maxAge']);
  });

  it('switching to a browser-session cookie deletes _expire/_maxAge from the record', async () => {
    const store = new RecordingStore();
    const app = createApp(store, { maxAge: 60_000 });
    const cookie = cookieHeader(await request(app.callback()).get('/set').expect(200));
    const id = /koa\.sess=([^;]+)/.exec(cookie)![1]!;
    await request(app.callback()).get('/browser-session').set('Cookie', cookie).expect(200);
    expect(store.get(id)).toEqual({ a: 1, _session: true });
    expect(store.calls.at(-1)!.ttl).toBe('session');
  });

  it('a store without patch/touch (koa-session contract) gets full writes', async () => {
    const inner = new MemoryStore();
    const calls: string[] = [];
    const plain: SessionStore = {
      get: (k) => inner.get(k),
      set: (k, s, m) => {
        calls.push('set');
        inner.set(k, s, m);
      },
      destroy: (k) => inner.destroy(k),
    };
    const app = createApp(plain, { rolling: true });
    const cookie = cookieHeader(await request(app.callback()).get('/set').expect(200));
    await request(app.callback()).get('/set?v=2').set('Cookie', cookie).expect(200);
    await request(app.callback()).get('/read').set('Cookie', cookie).expect(200, { a: 2 });
    expect(calls).toEqual(['set', 'set', 'set']);
  });
});
