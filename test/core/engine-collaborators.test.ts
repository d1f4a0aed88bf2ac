import { ChangeTracker } from '../../src/core/change-tracker';
import { StoreKeys } from '../../src/core/store-keys';

/** The per-request engine's collaborators: each owns its state, so its rules are testable alone. */
describe('StoreKeys (the store-key lifecycle)', () => {
  test('adopt, retire, move and destroy', async () => {
    const keys = new StoreKeys();
    keys.adopt('a');
    expect([keys.current, keys.persisted]).toEqual(['a', 'a']);
    keys.retire();
    expect([keys.current, keys.persisted, keys.stale]).toEqual([undefined, undefined, ['a']]);
    keys.retire(); // nothing persisted: nothing more to destroy
    expect(keys.stale).toEqual(['a']);
    keys.persisted = 'b';
    keys.retire();
    expect(keys.moveSource).toBe('b');
    keys.moved();
    expect(keys.stale).toEqual(['a']);
    keys.persisted = 'c';
    keys.retire();
    keys.drop('a');
    const destroyed: string[] = [];
    await keys.destroyStale(async (key) => void destroyed.push(key));
    expect([destroyed, keys.stale]).toEqual([['c'], []]);
  });

  test('a failed destroy keeps the key for the next attempt', async () => {
    const keys = new StoreKeys();
    keys.persisted = 'a';
    keys.retire();
    await expect(keys.destroyStale(() => Promise.reject(new Error('down')))).rejects.toThrow('down');
    expect(keys.stale).toEqual(['a']);
  });
});

describe('ChangeTracker (change tracking)', () => {
  test('compares with the baseline, saved once, and per-key JSON for merging stores', () => {
    const fresh = new ChangeTracker();
    expect(fresh.compare('{}')).toBe('skip');
    expect(fresh.compare('{"a":1}')).toBe('changed');

    const changes = new ChangeTracker();
    changes.loaded({ a: 1, b: { c: 2 } }, true);
    expect(changes.compare('{"a":1,"b":{"c":2}}')).toBe('unchanged');
    expect([...changes.keys!]).toEqual([
      ['a', '1'],
      ['b', '{"c":2}'],
    ]);
    changes.forget(['a']);
    expect([changes.json, [...changes.keys!.keys()]]).toEqual(['{"b":{"c":2}}', ['b']]);
    changes.saved('{"b":3}');
    expect(changes.compare('{"b":3}')).toBe('skip');
    changes.written({ b: 3 });
    expect([...changes.keys!]).toEqual([['b', '3']]);
    changes.forgetRecord();
    changes.written({ b: 4 });
    expect(changes.keys).toBeUndefined();
  });

  test('without per-key tracking no per-key JSON is kept', () => {
    const changes = new ChangeTracker();
    changes.loaded({ a: 1 }, false);
    expect(changes.keys).toBeUndefined();
  });
});
