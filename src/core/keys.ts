/**
 * The one owner of every rule about session keys: which keys are persisted, which are reserved
 * (for the engine, the session API, flash messages), which are dangerous in parsed JSON, and how
 * data becomes the per-key JSON maps that change tracking and schema views compare.
 */

/** Prefix of the keys that hold flash messages (one key per message). */
export const FLASH_PREFIX = '$flash:';

/** The methods of `ctx.session` (the koa-session API): a data key of that name would shadow one. */
export const SESSION_METHODS = ['toJSON', 'save', 'regenerate', 'manuallyCommit', 'commit'] as const;

/**
 * The accessors of `ctx.session` (`maxAge`, `externalKey`, `length`, `populated`): assigning one
 * runs the accessor, so they are never persisted, and a payload holding one was never written by
 * this library (a forged `maxAge: {}` would run the setter on load).
 */
export const SESSION_ACCESSORS = ['maxAge', 'externalKey', 'length', 'populated'] as const;

/** `Object.prototype`'s names (`toString`, `constructor`, `__proto__`, ...). */
const OBJECT_PROTOTYPE_NAMES: ReadonlySet<string> = new Set(Object.getOwnPropertyNames(Object.prototype));

/**
 * Keys never copied into a session nor persisted: they would replace the prototype or shadow a
 * method of the session API or of `Object.prototype` (a loaded `toString: 1` makes `'' + ctx.session` throw).
 */
const SHADOWING_KEYS: ReadonlySet<string> = new Set([...OBJECT_PROTOTYPE_NAMES, ...SESSION_METHODS]);

/** Names a property of `ctx.session` can have without being data: every name its prototype chain defines. */
const SESSION_API_KEYS: ReadonlySet<string> = new Set([...SHADOWING_KEYS, ...SESSION_ACCESSORS]);

/** The keys whose JSON could change an object's prototype or reach a constructor: dropped from copies of client data. */
const UNSAFE_KEYS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

/** How an {@link UNSAFE_KEYS unsafe key} appears in JSON text (JSON.stringify never escapes letters or `_`). */
export const UNSAFE_KEY_IN_JSON = /"(?:__proto__|constructor|prototype)":/;

/** A name of `Object.prototype` (`__proto__` and `constructor` included): class-transformer never copies these. */
export function isObjectPrototypeName(key: string): boolean {
  return OBJECT_PROTOTYPE_NAMES.has(key);
}

/**
 * The key JSON.parse makes an own property but an assignment turns into a prototype switch:
 * dropped from everything parsed from a cookie or a store.
 */
export function isProtoKey(key: string): boolean {
  return key === '__proto__';
}

/** `__proto__`, `constructor` or `prototype`: never copied out of client data into a new object. */
export function isUnsafeKey(key: string): boolean {
  return UNSAFE_KEYS.has(key);
}

/** A key the engine keeps for itself (`_maxAge`, `_expire`, `_session`, `_created`, any `_` key): never data. */
export function isBookkeepingKey(key: string): boolean {
  return key.charCodeAt(0) === 95; /* _ */
}

/** A key a session never copies from loaded or assigned data: it would shadow the API or `Object.prototype`. */
export function isShadowingKey(key: string): boolean {
  return SHADOWING_KEYS.has(key);
}

/**
 * Whether an own key of `ctx.session` is persisted (as in koa-session: not `isNew`, not `_`-prefixed;
 * ours: not a shadowing name). Function values are not persisted either (the caller checks values).
 */
export function isPersistedKey(key: string): boolean {
  return key !== 'isNew' && !isBookkeepingKey(key) && !SHADOWING_KEYS.has(key);
}

/** Whether the payload has a key named after a session accessor (then this library did not write it). */
export function hasAccessorKey(data: object): boolean {
  return SESSION_ACCESSORS.some((name) => Object.hasOwn(data, name));
}

/**
 * A key typed session views (schemas) never read nor write: the engine's (`isNew`, `_` keys), the
 * session API's names, `Object.prototype`'s, and flash messages.
 */
export function isReservedForSchemas(key: string): boolean {
  return key === 'isNew' || isBookkeepingKey(key) || SESSION_API_KEYS.has(key) || key.startsWith(FLASH_PREFIX);
}

/**
 * The JSON of each value by key (keys whose value has no JSON, such as `undefined` or a function,
 * are left out), optionally only for the keys `keep` accepts: what change tracking and schema views compare.
 */
export function jsonByKey(
  data: Readonly<Record<string, unknown>>,
  keep?: (key: string) => boolean,
): Map<string, string> {
  const map = new Map<string, string>();
  for (const key of Object.keys(data)) {
    if (keep && !keep(key)) continue;
    const json = JSON.stringify(data[key]) as string | undefined;
    if (json !== undefined) map.set(key, json);
  }
  return map;
}
