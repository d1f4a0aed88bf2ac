/** MemoryStore: TTLs (with its `now` option), the 'session' TTL, the entry bound, JSON isolation, patch/touch. */
import Koa from 'koa';
import request from 'supertest';
import { MemoryStore, SessionConfigError, session, type SessionPayload } from 'koa-typed-session';

function clock(start = 1_000_000) {
  let t = start;
  return { now: () => t, advance: (ms: number) => void (t += ms) };
}

describe('MemoryStore', () => {
  it('honours the TTL it is given (ms)', () => {
    const c = clock();
    const store = new MemoryStore({ now: c.now });
    store.set('a', { v: 1 }, 1000);
    c.advance(999);
    expect(store.get('a')).toEqual({ v: 1 });
    c.advance(1);
    expect(store.get('a')).toBeUndefined();
    expect(store.size).toBe(0);
  });

  it("uses sessionTtl for the TTL 'session' (koa-session's browser-session cookies), one day by default", () => {
    const c = clock();
    const store = new MemoryStore({ now: c.now });
    store.set('a', { v: 1, _session: true }, 'session');
    c.advance(86_400_000 - 1);
    expect(store.get('a')).toBeDefined();
    c.advance(1);
    expect(store.get('a')).toBeUndefined();
    const short = new MemoryStore({ now: c.now, sessionTtl: 50 });
    short.set('b', {}, 'session');
    c.advance(50);
    expect(short.get('b')).toBeUndefined();
  });

  it('a non-positive TTL falls back to sessionTtl instead of never expiring', () => {
    const c = clock();
    const store = new MemoryStore({ now: c.now, sessionTtl: 10 });
    store.set('a', {}, 0);
    store.set('b', {}, -5);
    c.advance(10);
    expect([store.get('a'), store.get('b')]).toEqual([undefined, undefined]);
  });

  it('keeps JSON copies: neither the stored nor the returned object is shared', () => {
    const store = new MemoryStore();
    const data: SessionPayload = { list: [1], when: new Date(0) as unknown, gone: undefined };
    store.set('a', data, 1000);
    (data.list as number[]).push(2);
    const first = store.get('a')!;
    expect(first).toEqual({ list: [1], when: '1970-01-01T00:00:00.000Z' });
    (first.list as number[]).push(3);
    expect(store.get('a')!.list).toEqual([1]);
  });

  it('is bounded: past maxEntries the oldest written entries are evicted', () => {
    const store = new MemoryStore({ maxEntries: 3 });
    for (const key of ['a', 'b', 'c']) store.set(key, { key }, 60_000);
    store.set('a', { key: 'a', again: true }, 60_000); // rewritten: now the newest
    store.set('d', { key: 'd' }, 60_000);
    expect(store.size).toBe(3);
    expect(['a', 'b', 'c', 'd'].map((k) => store.get(k) !== undefined)).toEqual([true, false, true, true]);
  });

  it('sweeps expired entries before evicting live ones', () => {
    const c = clock();
    const store = new MemoryStore({ maxEntries: 3, now: c.now });
    store.set('old-live', {}, 60_000);
    store.set('expiring-1', {}, 10);
    store.set('expiring-2', {}, 10);
    c.advance(10);
    store.set('new', {}, 60_000);
    expect(store.size).toBe(2);
    expect(store.get('old-live')).toBeDefined();
    expect(store.get('new')).toBeDefined();
  });

  it('a flood of new sessions through the middleware stays within maxEntries', async () => {
    const store = new MemoryStore({ maxEntries: 20 });
    const app = new Koa();
    app.keys = ['k'];
    app.use(session({ store }, app));
    app.use((ctx) => {
      ctx.session!.n = 1;
      ctx.body = 'ok';
    });
    const server = app.callback();
    for (let i = 0; i < 60; i++) await request(server).get('/');
    expect(store.size).toBe(20);
  });

  it('patch merges set and unset into the stored record and refreshes the TTL', () => {
    const c = clock();
    const store = new MemoryStore({ now: c.now });
    store.set('a', { keep: 1, drop: 2, change: 3, _expire: 5 }, 100);
    c.advance(90);
    expect(store.patch('a', { set: { change: 4, added: 5, _expire: 6 }, unset: ['drop'] }, 100)).toBe(true);
    expect(store.get('a')).toEqual({ keep: 1, change: 4, added: 5, _expire: 6 });
    c.advance(90);
    expect(store.get('a')).toBeDefined();
  });

  it('patch and touch write nothing for a missing or expired record (no resurrected fragments)', () => {
    const c = clock();
    const store = new MemoryStore({ now: c.now });
    expect(store.patch('nope', { set: { a: 1 }, unset: [] }, 100)).toBe(false);
    store.set('a', { a: 1 }, 10);
    c.advance(10);
    expect(store.touch('a', { set: { _expire: 1 }, unset: [] }, 100)).toBe(false);
    expect(store.size).toBe(0);
  });

  it('touch extends the TTL and the bookkeeping fields, keeping the data', () => {
    const c = clock();
    const store = new MemoryStore({ now: c.now });
    store.set('a', { data: 'x', _expire: 100 }, 100);
    c.advance(99);
    expect(store.touch('a', { set: { _expire: 199 }, unset: [] }, 100)).toBe(true);
    c.advance(99);
    expect(store.get('a')).toEqual({ data: 'x', _expire: 199 });
  });

  it('destroy and clear remove entries', () => {
    const store = new MemoryStore();
    store.set('a', {}, 1000);
    store.set('b', {}, 1000);
    store.destroy('a');
    expect(store.get('a')).toBeUndefined();
    store.clear();
    expect(store.size).toBe(0);
  });

  it.each([0, -1, 1.5, Number.NaN])('rejects maxEntries %p', (maxEntries) => {
    expect(() => new MemoryStore({ maxEntries })).toThrow(SessionConfigError);
    expect(() => new MemoryStore({ maxEntries })).toThrow(
      /^koa-typed-session: option `maxEntries` of MemoryStore must be a positive integer/,
    );
  });

  it('as the middleware store it receives maxAge + 10 s as the TTL', async () => {
    const c = clock(Date.now());
    const store = new MemoryStore({ now: c.now });
    const app = new Koa();
    app.keys = ['k'];
    app.use(session({ store, maxAge: 1000 }, app));
    app.use((ctx) => {
      ctx.session!.n = 1;
      ctx.body = ctx.sessionId;
    });
    const res = await request(app.callback()).get('/');
    c.advance(10_999);
    expect(store.get(res.text)).toBeDefined();
    c.advance(1);
    expect(store.get(res.text)).toBeUndefined();
  });
});
