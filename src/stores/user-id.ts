import { SessionConfigError } from '../core/errors';

/**
 * The check at the start of a store's `destroyAllOf`: the store indexes sessions by user only
 * when it was created with `userField`.
 * @throws SessionConfigError when `userField` is not set.
 */
export function requireUserField(store: 'MemoryStore' | 'RedisStore', userField: string | undefined): void {
  if (userField !== undefined) return;
  throw new SessionConfigError(
    `${store}.userField`,
    'is not set, so sessions are not indexed by user',
    `Create the store with e.g. \`new ${store}({ userField: 'userId' })\`.`,
  );
}

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/**
 * A user id as the per-user session indexes spell it (MemoryStore, RedisStore and RedisStore's Lua
 * scripts agree on it): a non-empty string as is, a finite number as its JSON text; else none.
 * A lone UTF-16 surrogate reads as U+FFFD: the spelling Redis gets for such a string (UTF-8 has no
 * lone surrogates), so the index key, the scripts and MemoryStore agree.
 */
export function userIdOf(value: unknown): string | undefined {
  if (typeof value === 'string') return value === '' ? undefined : value.replace(LONE_SURROGATE, '\ufffd');
  if (typeof value === 'number' && Number.isFinite(value)) return JSON.stringify(value);
  return undefined;
}
