/**
 * MemoryStore: TTLs (with its `now` option), the 'session' TTL, the entry bound, JSON isolation,
 * patch/touch, the user index (`userField`, destroyAllOf) and option checks.
 */
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

describe('MemoryStore: user index, capabilities and options', () => {
  let now = 1_000_000;
  const clock = (): number => now;

  it('keeps JSON copies, honours the TTL, and uses sessionTtl for browser-session records', () => {
    const store = new MemoryStore({ now: clock, sessionTtl: 500 });
    const payload = { list: [] as unknown[], when: new Date(0) };
    store.set('a', payload, 1_000);
    store.set('s', { a: 1 }, 'session');
    payload.list.push('mutated after set');
    expect(store.get('a')).toEqual({ list: [], when: '1970-01-01T00:00:00.000Z' });
    now += 600;
    expect(store.get('s')).toBeUndefined();
    expect(store.get('a')).toBeDefined();
    now += 500;
    expect(store.get('a')).toBeUndefined();
  });

  it('patch merges set/unset; patch and touch of a missing record write nothing', () => {
    const store = new MemoryStore({ now: clock });
    store.set('p', { a: 1, b: 2, c: 3 }, 1_000);
    expect(store.patch('p', { set: { b: 20, d: [] }, unset: ['c'] }, 1_000)).toBe(true);
    expect(store.get('p')).toEqual({ a: 1, b: 20, d: [] });
    expect(store.patch('gone', { set: { a: 1 }, unset: [] }, 1_000)).toBe(false);
    expect(store.touch('gone', { set: { _expire: 1 }, unset: [] }, 1_000)).toBe(false);
    expect(store.get('gone')).toBeUndefined();
    expect(store.size).toBe(1);
  });

  it('touch extends the TTL', () => {
    const store = new MemoryStore({ now: clock });
    store.set('t', { a: 1 }, 1_000);
    now += 900;
    store.touch('t', { set: { _expire: now + 1_000 }, unset: [] }, 1_000);
    now += 900;
    expect(store.get('t')).toEqual({ a: 1, _expire: now + 100 });
  });

  it('indexes sessions by userField and destroys all of one user, including after eviction', () => {
    const store = new MemoryStore({ now: clock, userField: 'userId', maxEntries: 3 });
    store.set('a1', { userId: 'ann' }, 1_000);
    store.set('a2', { userId: 'ann' }, 1_000);
    store.set('b1', { userId: 7 }, 1_000);
    store.set('x', {}, 1_000); // evicts a1, the oldest
    expect(store.get('a1')).toBeUndefined();
    expect(store.destroyAllOf('ann')).toBe(1);
    expect(store.get('a2')).toBeUndefined();
    expect(store.destroyAllOf('7')).toBe(1);
    expect(store.destroyAllOf('nobody')).toBe(0);
    expect(store.get('x')).toEqual({});
  });

  it('moves a session between users when its user field changes', () => {
    const store = new MemoryStore({ now: clock, userField: 'userId' });
    store.set('s', { userId: 'eve' }, 1_000);
    store.patch('s', { set: { userId: 'fay' }, unset: [] }, 1_000);
    expect(store.destroyAllOf('eve')).toBe(0);
    expect(store.destroyAllOf('fay')).toBe(1);
  });

  it('rejects bad options, and destroyAllOf without userField', () => {
    expect(() => new MemoryStore({ maxEntries: 0 })).toThrow(/maxEntries/);
    expect(() => new MemoryStore({ userField: '' })).toThrow(/userField/);
    expect(() => new MemoryStore().destroyAllOf('ann')).toThrow(SessionConfigError);
  });

  it('rejects every bad option with an error naming it, unknown names included', () => {
    const cases: Array<[unknown, RegExp]> = [
      [{ sessionTtl: -1 }, /^koa-typed-session: option `sessionTtl` of MemoryStore must be a positive number/],
      [{ sessionTtl: 'long' }, /^koa-typed-session: option `sessionTtl` of MemoryStore must be a positive number/],
      [{ now: 5 }, /^koa-typed-session: option `now` of MemoryStore must be a function/],
      [
        { maxEntrie: 5 },
        /^koa-typed-session: option `maxEntrie` of MemoryStore is not a known option\. Did you mean `maxEntries`\? Use one of/,
      ],
      ['big', /^koa-typed-session: option `options` of MemoryStore must be an object/],
    ];
    for (const [options] of cases) expect(() => new MemoryStore(options as never)).toThrow(SessionConfigError);
    for (const [options, message] of cases) expect(() => new MemoryStore(options as never)).toThrow(message);
  });
});
