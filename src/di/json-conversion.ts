/**
 * A compiled fast path for class-transformer, used only for schema classes that carry no
 * class-transformer metadata at all (no `@Type`, `@Expose`, `@Exclude`, `@Transform`, on the class
 * or its ancestors). For those, `plainToInstance(type, json, { exposeDefaultValues: true })` and
 * `JSON.stringify(instanceToPlain(instance))` reduce to a few rules, written out here: the micro
 * benchmark showed class-transformer's generic walk (metadata lookups per key, key de-duplication,
 * an executor per call) as a leading cost of the decorator stack. Anything outside the rules
 * (a Date subclass, a Map, a class instance, a function, a sparse array...) returns `undefined` and
 * the caller uses class-transformer itself. `test/di/json-conversion.test.ts` checks both
 * directions against class-transformer with generated data.
 */
import { Exclude } from 'class-transformer';
import { isObjectPrototypeName, isUnsafeKey } from '../core/keys';
// class-transformer keeps its metadata in this module-level object and has no public query for it.
import { defaultMetadataStorage } from 'class-transformer/cjs/storage';

/** Deeper values go to class-transformer (which then behaves as it always did, cycles included). */
const MAX_DEPTH = 64;

type MetadataMaps = Record<
  '_typeMetadatas' | '_transformMetadatas' | '_exposeMetadatas' | '_excludeMetadatas',
  unknown
>;

function metadataMaps(): Map<unknown, unknown>[] | undefined {
  const storage = defaultMetadataStorage as unknown as MetadataMaps;
  const maps = [
    storage._typeMetadatas,
    storage._transformMetadatas,
    storage._exposeMetadatas,
    storage._excludeMetadatas,
  ];
  return maps.every((m) => m instanceof Map) ? (maps as Map<unknown, unknown>[]) : undefined;
}

/**
 * Whether the storage read above is the one class-transformer's decorators write to. It is not
 * when a bundler resolves `class-transformer` to its ESM build (which has its own storage) or when
 * a future version renames its fields: then the fast path is off and nothing changes.
 */
const STORAGE_IS_LIVE: boolean = (() => {
  class Probe {}
  Exclude()(Probe.prototype, 'probe');
  const maps = metadataMaps();
  return maps !== undefined && maps[3]!.has(Probe);
})();

/** True when `type` and its ancestors have no class-transformer metadata (decided once, at startup). */
export function isPlainSchema(type: abstract new () => object): boolean {
  const maps = STORAGE_IS_LIVE ? metadataMaps() : undefined;
  if (!maps) return false;
  for (let t: unknown = type; typeof t === 'function' && t !== Function.prototype; t = Object.getPrototypeOf(t)) {
    if (maps.some((m) => m.has(t))) return false;
  }
  // Nested plain objects are looked up under `Object` by class-transformer.
  return !maps.some((m) => m.has(Object));
}

/** class-transformer's copy of a nested JSON value: keys of `Object.prototype` are dropped. */
function copyJson(value: unknown): unknown {
  if (typeof value !== 'object' || value === null) return value;
  if (Array.isArray(value)) return value.map(copyJson);
  const copy: Record<string, unknown> = {};
  for (const key of Object.keys(value)) {
    if (isObjectPrototypeName(key)) continue;
    copy[key] = copyJson((value as Record<string, unknown>)[key]);
  }
  return copy;
}

/**
 * `plainToInstance(type, data, { exposeDefaultValues: true })` for a plain schema and JSON-shaped
 * data (as parsed from JSON, without `__proto__`/`constructor`/`prototype` keys).
 */
export function jsonToInstance<T extends object>(type: new () => T, data: Record<string, unknown>): T {
  const instance = new type();
  const proto = (instance.constructor as { prototype?: object } | undefined)?.prototype;
  for (const key of Object.keys(data)) {
    if (isUnsafeKey(key)) continue;
    if (proto) {
      // As class-transformer: never overwrite a method or a property without a setter.
      const descriptor = Object.getOwnPropertyDescriptor(proto, key);
      if ((descriptor && !descriptor.set) || (instance as Record<string, unknown>)[key] instanceof Function) continue;
    }
    (instance as Record<string, unknown>)[key] = copyJson(data[key]);
  }
  return instance;
}

function isJsonPlain(value: unknown, depth: number): boolean {
  switch (typeof value) {
    case 'string':
    case 'number':
    case 'boolean':
    case 'undefined':
      return true;
    case 'object':
      break;
    default:
      return false; // functions (class-transformer calls them), symbols, bigints
  }
  if (value === null) return true;
  if (depth > MAX_DEPTH) return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  if (proto === Date.prototype) return Object.keys(value).length === 0; // no own toJSON
  if (proto === Array.prototype) {
    const array = value as unknown[];
    for (let i = 0; i < array.length; i++) if (!(i in array) || !isJsonPlain(array[i], depth + 1)) return false;
    return true;
  }
  if (proto !== Object.prototype) return false;
  for (const key of Object.keys(value)) {
    if (isUnsafeKey(key)) return false;
    if (!isJsonPlain((value as Record<string, unknown>)[key], depth + 1)) return false;
  }
  return true;
}

/**
 * The JSON of each property of `JSON.parse(JSON.stringify(instanceToPlain(instance)))`, by key,
 * for an instance of a plain schema; `undefined` when a value is outside JSON-shaped data (then
 * class-transformer must do the conversion).
 */
export function instanceJson(instance: object): Map<string, string> | undefined {
  const map = new Map<string, string>();
  for (const key of Object.keys(instance)) {
    if (isUnsafeKey(key)) return undefined; // class-transformer decides what becomes of these
    const value = (instance as Record<string, unknown>)[key];
    if (!isJsonPlain(value, 0)) return undefined;
    const json = JSON.stringify(value) as string | undefined;
    if (json !== undefined) map.set(key, json);
  }
  return map;
}
