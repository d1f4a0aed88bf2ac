/**
 * MemoryStore at capacity: least-recently-used eviction, an incremental sweep of expired entries,
 * and a bounded amount of work per new session (counted, never timed).
 */
import { MemoryStore } from 'koa-typed-session';

function clock(start = 1_000_000) {
  let t = start;
  return { now: () => t, advance: (ms: number) => void (t += ms) };
}

const alive = (store: MemoryStore, keys: string[]): string[] => keys.filter((k) => store.get(k) !== undefined);

/** Counts the steps taken by every Map iterator while `fn` runs: a measure of entries examined. */
function mapIteratorSteps(fn: () => void): number {
  const proto = Object.getPrototypeOf(new Map().entries()) as { next: () => unknown };
  const spy = jest.spyOn(proto, 'next');
  try {
    fn();
    return spy.mock.calls.length;
  } finally {
    spy.mockRestore();
  }
}

describe('MemoryStore eviction', () => {
  it('evicts the least recently used entry: a read counts as a use', () => {
    const store = new MemoryStore({ maxEntries: 3 });
    for (const key of ['a', 'b', 'c']) store.set(key, { key }, 60_000);
    expect(store.get('a')).toBeDefined(); // 'b' is now the least recently used
    store.set('d', { key: 'd' }, 60_000);
    expect(store.size).toBe(3);
    expect(alive(store, ['a', 'c', 'd'])).toEqual(['a', 'c', 'd']);
    expect(store.get('b')).toBeUndefined();
  });

  it('evicts in order of last use, one per new session, and never exceeds maxEntries', () => {
    const store = new MemoryStore({ maxEntries: 100 });
    for (let i = 0; i < 100; i++) store.set(`k${i}`, { i }, 60_000);
    for (let i = 0; i < 100; i += 2) store.get(`k${i}`); // even keys used again, in order
    for (let i = 0; i < 60; i++) {
      store.set(`n${i}`, { i }, 60_000);
      expect(store.size).toBe(100);
    }
    const old = Array.from({ length: 100 }, (_, i) => `k${i}`);
    // The 50 odd keys went first, then the 10 least recently read even keys.
    expect(alive(store, old)).toEqual(old.filter((_, i) => i % 2 === 0).slice(10));
  });

  it('drops expired entries it meets before evicting a live one (small store: the whole map)', () => {
    const c = clock();
    const store = new MemoryStore({ maxEntries: 4, now: c.now });
    store.set('live-old', {}, 60_000);
    store.set('exp-1', {}, 10);
    store.set('live-mid', {}, 60_000);
    store.set('exp-2', {}, 10);
    c.advance(10);
    store.set('new-1', {}, 60_000);
    store.set('new-2', {}, 60_000);
    expect(store.size).toBe(4);
    expect(alive(store, ['live-old', 'live-mid', 'new-1', 'new-2'])).toEqual([
      'live-old',
      'live-mid',
      'new-1',
      'new-2',
    ]);
  });

  it('sweeps expired entries of a large store a few at a time, until they are all gone', () => {
    const c = clock();
    const store = new MemoryStore({ maxEntries: 2000, now: c.now });
    for (let i = 0; i < 1000; i++) store.set(`exp${i}`, {}, 10);
    for (let i = 0; i < 1000; i++) store.set(`live${i}`, {}, 60_000);
    c.advance(10);
    // Each new session past the bound sweeps a few entries: the expired ones leave first, and no
    // live entry is evicted while expired ones are still ahead of it.
    for (let i = 0; i < 200; i++) store.set(`new${i}`, {}, 60_000);
    expect(store.size).toBeLessThanOrEqual(2000);
    const live = Array.from({ length: 1000 }, (_, i) => `live${i}`);
    expect(alive(store, live)).toHaveLength(1000);
    expect(store.size).toBe(1200);
  });

  it('a new session at capacity examines a bounded number of entries, whatever the size', () => {
    const store = new MemoryStore({ maxEntries: 10_000 });
    for (let i = 0; i < 10_000; i++) store.set(`k${i}`, {}, 60_000);
    const steps = mapIteratorSteps(() => store.set('one-more', {}, 60_000));
    expect(store.size).toBe(10_000);
    expect(steps).toBeLessThanOrEqual(32);
  });
});
