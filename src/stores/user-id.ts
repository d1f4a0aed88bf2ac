/**
 * A user id as the per-user session indexes spell it (MemoryStore, RedisStore and RedisStore's Lua
 * scripts agree on it): a non-empty string as is, a finite number as its JSON text; else none.
 */
export function userIdOf(value: unknown): string | undefined {
  if (typeof value === 'string') return value === '' ? undefined : value;
  if (typeof value === 'number' && Number.isFinite(value)) return JSON.stringify(value);
  return undefined;
}
