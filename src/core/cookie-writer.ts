/**
 * The session cookie's attributes for one request, and the browser size limit, checked before
 * anything is written.
 */
import { MAX_COOKIE_BYTES, serializeCookie } from './cookie-format';
import { warn } from './diagnostics';
import { SessionCookieError } from './errors';
import type { NormalizedOptions } from './options';
import type { CookieAttributes } from './types';

const COOKIE_ATTRIBUTES = [
  'path',
  'domain',
  'httpOnly',
  'sameSite',
  'partitioned',
  'priority',
  'expires',
  'overwrite',
] as const;

function pickCookieAttributes(view: Record<string, unknown>): CookieAttributes {
  const attrs: Record<string, unknown> = {};
  for (const name of COOKIE_ATTRIBUTES) if (view[name] !== undefined) attrs[name] = view[name];
  return attrs as CookieAttributes;
}

/**
 * The cookie attributes for this request: the options, or this request's `ctx.sessionOptions`
 * (`view`) once it was read.
 *
 * @throws SessionCookieError for a `secure` cookie over plain HTTP.
 */
export function cookieAttributes(
  opts: Pick<NormalizedOptions<unknown>, 'cookie' | 'secure'>,
  view: Record<string, unknown> | undefined,
  https: boolean,
  maxAge: number | undefined,
): CookieAttributes {
  const base = view ? pickCookieAttributes(view) : opts.cookie;
  // Object.assign, not `{ ...base, maxAge }`: on V8 (Node 20) a spread copy that then gains a
  // property costs about 1 µs to build, 30x an assign (bench/README.md, "What the profiles taught").
  const attrs: CookieAttributes = Object.assign({}, base);
  attrs.maxAge = maxAge;
  const secure = view ? ((view.secure as boolean | 'auto' | undefined) ?? 'auto') : opts.secure;
  if (secure === true && !https) {
    throw new SessionCookieError(
      'cannot send a `secure` cookie over plain HTTP. Behind a TLS-terminating proxy set `app.proxy = true` ' +
        "so X-Forwarded-Proto is trusted, or use `secure: 'auto'`.",
      'ERR_SESSION_SECURE_COOKIE',
    );
  }
  attrs.secure = secure === 'auto' ? https : secure;
  return attrs;
}

/**
 * Applies `oversizedCookie` to a cookie about to be written: over 4096 bytes (name, value and
 * attributes) browsers drop it silently.
 *
 * @throws SessionCookieError (`ERR_SESSION_COOKIE_TOO_LARGE`) with `oversizedCookie: 'error'`.
 */
export function checkCookieSize(
  opts: Pick<NormalizedOptions<unknown>, 'oversizedCookie'>,
  key: string,
  value: string,
  attrs: CookieAttributes,
  now: number,
): void {
  // Fast path: far below the limit whatever the attributes.
  if (key.length + value.length <= MAX_COOKIE_BYTES - 300) return;
  const bytes = Buffer.byteLength(serializeCookie(key, value, attrs, now));
  if (bytes <= MAX_COOKIE_BYTES) return;
  const message = `the session cookie \`${key}\` would be ${bytes} bytes, over the browser limit of ${MAX_COOKIE_BYTES}; browsers would drop it. Store less in the session, or use a store.`;
  if (opts.oversizedCookie === 'error') throw new SessionCookieError(message, 'ERR_SESSION_COOKIE_TOO_LARGE');
  warn(message, 'KTS_COOKIE_TOO_LARGE');
}
