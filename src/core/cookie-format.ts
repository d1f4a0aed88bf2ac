/**
 * The Set-Cookie format of the `cookies` package (0.9), which koa-session writes through:
 * `name=value; path=/; expires=...; domain=...; priority=...; samesite=...; secure; httponly; partitioned`.
 * Kept here, framework-free, so the Koa adapter's fast path and the size check agree byte for byte.
 */
import type { CookieAttributes } from './types';

/** `expires` of a clearing cookie, as `cookies` writes it. */
export const EPOCH = new Date(0);

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

/**
 * The `; path=/; expires=...` part of {@link serializeCookie}, which depends on the value only
 * through its emptiness: a signed cookie and its `.sig` share it (the Koa jar serialises it once).
 */
export function serializeAttributes(value: string, attrs: CookieAttributes, now = Date.now()): string {
  let header = '';
  let expires = attrs.expires;
  if (!value) expires = EPOCH;
  else if (attrs.maxAge) expires = new Date(now + attrs.maxAge);
  const path = attrs.path === undefined ? '/' : attrs.path;
  if (path) header += `; path=${path}`;
  if (expires) header += `; expires=${expires.toUTCString()}`;
  if (attrs.domain) header += `; domain=${attrs.domain}`;
  if (attrs.priority) header += `; priority=${attrs.priority.toLowerCase()}`;
  if (attrs.sameSite) header += `; samesite=${attrs.sameSite === true ? 'strict' : attrs.sameSite.toLowerCase()}`;
  if (attrs.secure) header += '; secure';
  if (attrs.httpOnly !== false) header += '; httponly';
  if (attrs.partitioned) header += '; partitioned';
  return header;
}
