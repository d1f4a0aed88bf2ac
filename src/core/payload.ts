/**
 * The persisted payload: what this library could have written (checked on load), the per-key
 * snapshots and diffs behind `patch`, and the cookie JSON fast path.
 */
import { encodeBase64Json, isPayload } from './codec';
import { MAX_COOKIE_BYTES } from './cookie-format';
import { hasAccessorKey } from './keys';
import type { SessionData, SessionPatch, SessionPayload } from './types';

/** The fields the engine adds to the data, in the order save() adds them. */
export const BOOKKEEPING = ['_session', '_expire', '_maxAge', '_created'] as const;

/** The largest offset a Date can hold: a larger `_maxAge` would print `expires=Invalid Date`. */
const MAX_DATE_MS = 8.64e15;

/**
 * Whether this library could have persisted the payload: bookkeeping fields of the types it writes,
 * and no key named after a Session accessor (a forged `maxAge: {}` would run the setter on load).
 */
export function couldBePersisted(data: SessionPayload): boolean {
  const { _expire, _maxAge, _session, _created } = data;
  return (
    !hasAccessorKey(data) &&
    (_expire === undefined || typeof _expire === 'number') &&
    (_maxAge === undefined || (typeof _maxAge === 'number' && Math.abs(_maxAge) < MAX_DATE_MS)) &&
    (_session === undefined || typeof _session === 'boolean') &&
    (_created === undefined || typeof _created === 'number')
  );
}

/** The keys set and deleted since `previous` (per-key JSON, see `jsonByKey`), for stores that merge (`patch`). */
export function diff(previous: Map<string, string>, current: SessionData): SessionPatch {
  const set: Record<string, unknown> = {};
  const unset: string[] = [];
  for (const key of Object.keys(current)) {
    if (previous.get(key) !== JSON.stringify(current[key])) set[key] = current[key];
  }
  for (const key of previous.keys()) if (!(key in current)) unset.push(key);
  return { set, unset };
}

/**
 * The cookie value of `payload`. With the built-in encoders its JSON is made from the data's JSON
 * (already made by the commit) by appending the bookkeeping fields, which is where
 * JSON.stringify(payload) puts them (the data has no `_` keys): the same bytes, one pass fewer.
 */
export function encodePayload(
  payload: SessionPayload,
  json: string,
  encode: (payload: SessionPayload) => string,
): string {
  if (encode !== encodeBase64Json && encode !== JSON.stringify) return encode(payload);
  let text = json.slice(0, -1);
  let separator = json.length > 2 ? ',' : '';
  for (const key of BOOKKEEPING) {
    if (payload[key] === undefined) continue;
    text += `${separator}"${key}":${JSON.stringify(payload[key])}`;
    separator = ',';
  }
  text += '}';
  return encode === JSON.stringify ? text : Buffer.from(text).toString('base64');
}

/** Why loaded data cannot be a session, as the event to emit and its reason; `undefined` if it can. */
export interface Rejection {
  kind: 'missed' | 'expired' | 'invalid';
  reason: string;
}

/**
 * The checks every loaded payload goes through before the `valid` hook: present, a JSON object,
 * something this library could have persisted, not expired, within the absolute timeout.
 */
export function rejection(
  data: unknown,
  fromStore: boolean,
  now: number,
  absoluteTimeout: number | undefined,
): Rejection | undefined {
  // A store that returns nothing does not know the id (koa-session's "missed"); a cookie that
  // decodes to null/0/false is a malformed payload like any other non-object (koa-session: missed).
  if (!data && fromStore) return { kind: 'missed', reason: 'missed' };
  if (!isPayload(data)) return { kind: 'invalid', reason: 'not-an-object' };
  if (!couldBePersisted(data)) return { kind: 'invalid', reason: 'malformed' };
  // koa-session and this library always write `_expire` (a number maxAge) or `_session: true`: a
  // store record without either was written by another program sharing the store (a JSON object of
  // a shared Redis keyspace), and adopting it would merge into it, expire it, delete it on logout.
  if (fromStore && typeof data._expire !== 'number' && data._session !== true) {
    return { kind: 'invalid', reason: 'not-a-session' };
  }
  if (typeof data._expire === 'number' && data._expire < now) return { kind: 'expired', reason: 'expired' };
  if (absoluteTimeout !== undefined && typeof data._created === 'number' && now - data._created >= absoluteTimeout) {
    return { kind: 'expired', reason: 'absolute-timeout' };
  }
  return undefined;
}

/** Bytes kept for `; path=/; expires=...; httponly` and the like when judging an unsigned cookie's size. */
const ATTRIBUTE_BUDGET = 200;

/**
 * An unsigned cookie is unauthenticated: accept only what this library could have written (the
 * canonical base64 JSON, leaving room for the attributes), so that a forged payload cannot grow
 * past the size limit when the app re-saves it (`1e20` re-prints as 21 digits) and fail with a 500.
 */
export function isCanonicalCookie(
  value: string,
  data: unknown,
  key: string,
  opts: { readonly oversizedCookie: 'error' | 'warn' },
): boolean {
  if (opts.oversizedCookie === 'error' && key.length + 1 + value.length > MAX_COOKIE_BYTES - ATTRIBUTE_BUDGET) {
    return false;
  }
  return isPayload(data) && encodeBase64Json(data) === value;
}
