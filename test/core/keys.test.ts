import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  isPersistedKey,
  isReservedForSchemas,
  isShadowingKey,
  jsonByKey,
  SESSION_ACCESSORS,
  SESSION_METHODS,
} from '../../src/core/keys';
import { Session } from '../../src/core/session';

/** One module owns the key rules: the lists it keeps by hand must match the Session class. */
describe('key rules (src/core/keys.ts)', () => {
  const own = Object.getOwnPropertyDescriptors(Session.prototype);

  test('SESSION_ACCESSORS lists exactly the accessors of Session', () => {
    const accessors = Object.keys(own).filter((name) => own[name]!.get ?? own[name]!.set);
    expect([...SESSION_ACCESSORS].sort()).toEqual(accessors.sort());
  });

  test('SESSION_METHODS lists exactly the string-named methods of Session', () => {
    const methods = Object.keys(own).filter((name) => name !== 'constructor' && typeof own[name]!.value === 'function');
    expect([...SESSION_METHODS].sort()).toEqual(methods.sort());
  });

  test('every name of the session prototype chain is reserved for schemas; methods and Object.prototype names shadow', () => {
    for (const name of Object.getOwnPropertyNames(Session.prototype)) expect(isReservedForSchemas(name)).toBe(true);
    for (const name of Object.getOwnPropertyNames(Object.prototype)) {
      expect(isReservedForSchemas(name)).toBe(true);
      expect(isShadowingKey(name)).toBe(true);
      expect(isPersistedKey(name)).toBe(false);
    }
    for (const name of ['isNew', '_expire', '_x', 'save', 'toJSON']) expect(isPersistedKey(name)).toBe(false);
    for (const name of ['views', 'user', '$flash:x']) expect(isPersistedKey(name)).toBe(true);
    expect(isReservedForSchemas('$flash:abc')).toBe(true);
    expect(isReservedForSchemas('views')).toBe(false);
  });

  test('jsonByKey leaves out values without JSON and keys the filter rejects', () => {
    const map = jsonByKey({ a: 1, b: undefined, c: () => 1, d: { e: [1] }, _f: 2 }, (key) => key !== '_f');
    expect([...map]).toEqual([
      ['a', '1'],
      ['d', '{"e":[1]}'],
    ]);
  });

  test('payload.ts does not import the Session class to list its accessors', () => {
    const source = readFileSync(join(__dirname, '../../src/core/payload.ts'), 'utf8');
    expect(source).not.toMatch(/from '\.\/session'/);
  });
});
