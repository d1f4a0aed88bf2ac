import { MemoryStore, SessionConfigError } from 'koa-typed-session';

describe('MemoryStore', () => {
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
