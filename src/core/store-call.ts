import { SessionConfigError, SessionError, SessionStoreError, StoreUnavailableError } from './errors';
import { isBookkeepingKey } from './keys';
import { BOOKKEEPING, diff } from './payload';
import type { MaxAge, SessionData, SessionPayload, SessionStore, StoreSetOptions } from './types';

/** A store operation, as named in {@link SessionStoreError}. */
export type StoreOperation = SessionStoreError['operation'];

/** True for promises and other thenables (stores and hooks may answer either way). */
export function isThenable(value: unknown): value is PromiseLike<unknown> {
  return typeof (value as PromiseLike<unknown> | null)?.then === 'function';
}

/**
 * Runs one store call within `storeTimeout` ms; any failure becomes a {@link SessionStoreError}
 * with status `storeErrorStatus`. A store's own SessionError (e.g. a RedisStore without
 * `userField`) is passed through: it already says what to fix; except a
 * {@link StoreUnavailableError}, which is a store failure like any other.
 */
export function callStore<T>(
  operation: StoreOperation,
  call: () => T,
  limits: { readonly storeTimeout: number; readonly storeErrorStatus: number },
): Promise<Awaited<T>> {
  const wrap = (err: unknown): Error =>
    err instanceof SessionError && !(err instanceof StoreUnavailableError)
      ? err
      : new SessionStoreError(operation, err, limits.storeErrorStatus);
  let answer: T;
  try {
    answer = call();
  } catch (err) {
    return Promise.reject(wrap(err));
  }
  // A synchronous store (MemoryStore) has answered already: no timer to set and race.
  if (!isThenable(answer)) return Promise.resolve(answer as Awaited<T>);
  // One promise settled by whichever comes first, the answer or the timer: cheaper than
  // Promise.race over a second timeout promise inside an async function (two store calls a request).
  return new Promise<Awaited<T>>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(wrap(new Error(`no answer within ${limits.storeTimeout} ms (storeTimeout)`))),
      limits.storeTimeout,
    );
    const fail = (err: unknown): void => {
      clearTimeout(timer);
      reject(wrap(err));
    };
    try {
      (answer as PromiseLike<Awaited<T>>).then((value) => {
        clearTimeout(timer);
        resolve(value);
      }, fail);
    } catch (err) {
      fail(err); // a thenable whose then() throws
    }
  });
}

/**
 * Writes a payload (`data`, the session's toJSON(), plus the bookkeeping fields) with the cheapest
 * call the store offers. A record loaded in this request
 * (`loaded`, its per-key snapshot) gets only what changed: `touch` when no data key changed,
 * `patch` otherwise, so parallel requests do not erase each other's keys; `set` for new records
 * and for stores with neither capability.
 */
/** What {@link writeToStore} writes, where, and within which limits. */
export interface StoreWrite<Ctx> {
  readonly store: SessionStore<Ctx>;
  readonly key: string;
  readonly payload: SessionPayload;
  /** The session's toJSON(). */
  readonly data: SessionData;
  /** The per-key snapshot of the record as loaded in this request; `undefined` for a new record. */
  readonly loaded: Map<string, string> | undefined;
  readonly ttl: MaxAge;
  readonly options: StoreSetOptions<Ctx>;
  readonly limits: { readonly storeTimeout: number; readonly storeErrorStatus: number };
}

export async function writeToStore<Ctx>(write: StoreWrite<Ctx>): Promise<void> {
  const { store, key, payload, data, loaded, ttl, options, limits } = write;
  if (!loaded || !(store.patch || store.touch)) {
    await callStore('set', () => store.set(key, payload, ttl, options), limits);
    return;
  }
  const patch = diff(loaded, data);
  // The bookkeeping fields follow the new payload: a field it lacks (e.g. `_expire` after a
  // switch to maxAge 'session') is deleted from the record, as a full `set` would.
  for (const meta of BOOKKEEPING) {
    if (payload[meta] !== undefined) patch.set[meta] = payload[meta];
    else patch.unset.push(meta);
  }
  const unchanged = [...patch.unset, ...Object.keys(patch.set)].every(isBookkeepingKey);
  if (unchanged && store.touch) await callStore('touch', () => store.touch!(key, patch, ttl, options), limits);
  else if (store.patch) await callStore('patch', () => store.patch!(key, patch, ttl, options), limits);
  else await callStore('set', () => store.set(key, payload, ttl, options), limits);
}

/**
 * "Log out everywhere" through the store's `destroyAllOf` capability, within `storeTimeout`.
 *
 * @throws SessionConfigError when there is no store or it lacks the capability.
 */
export function destroyAllOf<Ctx>(
  store: SessionStore<Ctx> | undefined,
  userId: string,
  ctx: Ctx,
  limits: { readonly storeTimeout: number; readonly storeErrorStatus: number },
): Promise<unknown> {
  if (!store?.destroyAllOf) {
    throw new SessionConfigError(
      'store',
      store
        ? 'has no destroyAllOf(userId) method, so it cannot destroy all sessions of a user'
        : 'is not set: destroying all sessions of a user needs a store',
      "Use a store that indexes sessions by user, e.g. `new RedisStore({ userField: 'userId' })` or `new MemoryStore({ userField: 'userId' })`.",
    );
  }
  return callStore('destroyAllOf', () => store.destroyAllOf!(userId, { ctx }), limits);
}
