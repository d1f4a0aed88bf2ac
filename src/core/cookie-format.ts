/**
 * The Set-Cookie format of the `cookies` package (0.9), which koa-session writes through:
 * `name=value; path=/; expires=...; domain=...; priority=...; samesite=...; secure; httponly; partitioned`.
 * Kept here, framework-free, so the Koa adapter's fast path and the size check agree byte for byte.
 */
import type { CookieAttributes } from './types';

/** `expires` of a clearing cookie, as `cookies` writes it. */
export const EPOCH = new Date(0);
const EPOCH_TEXT = EPOCH.toUTCString();

/** The browser limit for one cookie: name, value and attributes (RFC 6265 §6.1). */
export const MAX_COOKIE_BYTES = 4096;

// RFC 7230 field-content, as `cookies` checks names and values.
const FIELD_CONTENT = /^[\t\u0020-\u007e\u0080-\u00ff]+$/;

/** True when `cookies` would accept this as a cookie value (no `;`, no control characters). */
export function isValidCookieValue(value: string): boolean {
  return value === '' || (FIELD_CONTENT.test(value) && !value.includes(';'));
}

/**
 * Serialises one cookie exactly as `cookies`' `Cookie.prototype.toHeader` does. An empty value
 * clears the cookie (`expires` at the epoch), as in `cookies`.
 */
export function serializeCookie(name: string, value: string, attrs: CookieAttributes, now = Date.now()): string {
  return `${name}=${value}${serializeAttributes(value, attrs, now)}`;
}

let expiresSecond = NaN;
let expiresText = '';

/**
 * `new Date(ms).toUTCString()`, remembered for the last second asked: the text has a resolution of
 * one second, and building a Date and its text on every write cost ~0.3 µs (a busy server writes
 * the same `expires` many times a second).
 */
function utcText(ms: number): string {
  const second = Math.floor(ms / 1000);
  if (second !== expiresSecond) {
    expiresText = new Date(ms).toUTCString();
    expiresSecond = second;
  }
  return expiresText;
}

/**
 * The `; path=/; expires=...` part of {@link serializeCookie}, which depends on the value only
 * through its emptiness: a signed cookie and its `.sig` share it (the Koa jar serialises it once).
 */
export function serializeAttributes(value: string, attrs: CookieAttributes, now = Date.now()): string {
  let header = '';
  let expires: string | undefined;
  if (!value) expires = EPOCH_TEXT;
  else if (attrs.maxAge) expires = utcText(now + attrs.maxAge);
  else if (attrs.expires) expires = attrs.expires.toUTCString();
  const path = attrs.path === undefined ? '/' : attrs.path;
  if (path) header += `; path=${path}`;
  if (expires) header += `; expires=${expires}`;
  if (attrs.domain) header += `; domain=${attrs.domain}`;
  if (attrs.priority) header += `; priority=${attrs.priority.toLowerCase()}`;
  if (attrs.sameSite) header += `; samesite=${attrs.sameSite === true ? 'strict' : attrs.sameSite.toLowerCase()}`;
  if (attrs.secure) header += '; secure';
  if (attrs.httpOnly !== false) header += '; httponly';
  if (attrs.partitioned) header += '; partitioned';
  return header;
}
