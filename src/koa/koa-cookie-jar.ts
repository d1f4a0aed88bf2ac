import { timingSafeEqual } from 'node:crypto';
import type { Context } from 'koa';
import { isValidCookieValue, serializeAttributes, serializeCookie } from '../core/cookie-format';
import { SessionCookieError } from '../core/errors';
import type { CookieAttributes, CookieJar, CookieReadOptions, CookieWriteOptions } from '../core/types';
import { HmacSha1 } from './hmac-sha1';

/** A Keygrip-compatible signer: what `app.keys` may hold besides an array of keys. */
interface KeygripLike {
  sign(data: string): string;
  index(data: string, digest: string): number;
}

type Keys = ReadonlyArray<string | Buffer>;

/**
 * Keygrip's default signature (HMAC-SHA1, base64 with `/+=` made URL-safe and padding dropped) is
 * exactly Node's `base64url` digest. Verification compares once in constant time: Keygrip, through
 * tsscmp, computes two extra HMACs per key for the same purpose, which showed up as the top cost of
 * a request in profiles. Wire format unchanged.
 */
class FastSigner implements KeygripLike {
  /** One HMAC signer per key, made on first use (`app.keys` may be changed in place, as with Keygrip). */
  private readonly hmacs = new Map<string | Buffer, HmacSha1>();

  constructor(private readonly keys: Keys) {}

  private digest(data: string, key: string | Buffer): string {
    let hmac = this.hmacs.get(key);
    if (!hmac) this.hmacs.set(key, (hmac = new HmacSha1(key)));
    return hmac.digest(data);
  }

  sign(data: string): string {
    return this.digest(data, this.keys[0]!);
  }

  index(data: string, digest: string): number {
    const given = Buffer.from(digest);
    for (let i = 0; i < this.keys.length; i++) {
      const expected = Buffer.from(this.digest(data, this.keys[i]!));
      if (expected.length === given.length && timingSafeEqual(expected, given)) return i;
    }
    return -1;
  }
}

const signers = new WeakMap<object, KeygripLike>();

/** The signer for `app.keys`: an array of keys, or a Keygrip instance used as it is. */
export function signerFor(keys: unknown): KeygripLike | undefined {
  if (keys === null || typeof keys !== 'object') return undefined;
  if (!Array.isArray(keys)) {
    const grip = keys as Partial<KeygripLike>;
    return typeof grip.sign === 'function' && typeof grip.index === 'function' ? (grip as KeygripLike) : undefined;
  }
  if (keys.length === 0) return undefined;
  let signer = signers.get(keys);
  if (!signer) signers.set(keys, (signer = new FastSigner(keys as Keys)));
  return signer;
}

const patterns = new Map<string, RegExp>();

function patternFor(name: string): RegExp {
  let pattern = patterns.get(name);
  if (!pattern) {
    // The same pattern as `cookies`: the first `name=` at the start or after `;` and spaces.
    pattern = new RegExp(`(?:^|;) *${name.replace(/[\^$\\.*+?()[\]{}|]/g, '\\$&')}=([^;]*)`);
    patterns.set(name, pattern);
  }
  return pattern;
}

/**
 * The request's cookies, read and written in the wire format of the `cookies` package that Koa and
 * koa-session use (same parsing, same signatures, same Set-Cookie strings, same overwrite rule),
 * without building a `Cookies` object and a Keygrip per request. Set-Cookie headers written by
 * `ctx.cookies` in other middleware are kept.
 */
export class KoaCookieJar implements CookieJar {
  /**
   * The `name=value` this request's cookie verified under the newest key, with its signature, and
   * the signer that checked it. Store mode writes the same id cookie back on every save: its
   * signature is then this one (same data, same key), so it needs no second HMAC.
   */
  private verified: { data: string; signature: string; signer: KeygripLike } | undefined;

  constructor(readonly ctx: Context) {}

  private read(name: string): string | undefined {
    const header = this.ctx.req.headers.cookie;
    if (!header) return undefined;
    const match = patternFor(name).exec(header);
    if (!match) return undefined;
    const value = match[1]!;
    return value.charCodeAt(0) === 34 /* " */ ? value.slice(1, -1) : value;
  }

  private signer(): KeygripLike {
    const signer = signerFor(this.ctx.app.keys);
    if (!signer) {
      throw new SessionCookieError(
        'signed cookies need `app.keys`: set `app.keys = [secret]`, or `signed: false`.',
        'ERR_SESSION_NO_KEYS',
      );
    }
    return signer;
  }

  get(name: string, options: CookieReadOptions): string | undefined {
    const value = this.read(name);
    if (value === undefined || !options.signed) return value;
    const sigName = `${name}.sig`;
    const remote = this.read(sigName);
    if (!remote) {
      // `cookies` silently ignores it; we report it (an unsigned cookie where a signed one belongs).
      if (value) options.onTampered?.('missing-signature');
      return undefined;
    }
    const data = `${name}=${value}`;
    const signer = this.signer();
    const index = signer.index(data, remote);
    if (index < 0) {
      // As `cookies`: clear the bad signature (path `/`, no overwrite).
      this.push(sigName, '', { path: '/', secure: this.ctx.secure }, false);
      options.onTampered?.('bad-signature');
      return undefined;
    }
    // (Our signer only: it verifies by byte equality, so the accepted string is exactly sign(data).)
    if (index === 0 && signer instanceof FastSigner) this.verified = { data, signature: remote, signer };
    // Signed with an older key: re-sign with the newest, as `cookies` does.
    if (index > 0) this.push(sigName, signer.sign(data), { path: '/', secure: this.ctx.secure }, false);
    return value;
  }

  set(name: string, value: string, attrs: CookieWriteOptions): void {
    if (!isValidCookieValue(value)) {
      throw new SessionCookieError(
        `the value for cookie \`${name}\` is not a valid cookie value (it contains ';' or control characters). Check \`genid\`/\`encode\`.`,
        'ERR_SESSION_COOKIE_VALUE',
      );
    }
    // `cookies` signs with the same Cookie object, so the `.sig` cookie has the same attributes
    // (a clearing cookie's epoch expiry included): serialise them once, write both in one setHeader.
    const attributes = serializeAttributes(value, attrs, Date.now());
    if (!attrs.signed) {
      this.write([name], [`${name}=${value}${attributes}`], attrs.overwrite === true);
      return;
    }
    const sigName = `${name}.sig`;
    const data = `${name}=${value}`;
    const signer = this.signer();
    const verified = this.verified;
    const signature =
      verified && verified.data === data && verified.signer === signer ? verified.signature : signer.sign(data);
    this.write(
      [name, sigName],
      [`${name}=${value}${attributes}`, `${sigName}=${signature}${attributes}`],
      attrs.overwrite === true,
    );
  }

  private push(name: string, value: string, attrs: CookieAttributes, overwrite: boolean): void {
    this.write([name], [serializeCookie(name, value, attrs)], overwrite);
  }

  /** Appends Set-Cookie lines; with `overwrite`, earlier lines for these names are dropped first (as `cookies` does). */
  private write(names: string[], lines: string[], overwrite: boolean): void {
    const res = this.ctx.res;
    const current = res.getHeader('Set-Cookie');
    let headers: string[] = current === undefined ? [] : Array.isArray(current) ? current : [String(current)];
    if (overwrite && headers.length > 0) {
      const prefixes = names.map((name) => `${name}=`);
      headers = headers.filter((header) => !prefixes.some((prefix) => header.startsWith(prefix)));
    }
    headers.push(...lines);
    res.setHeader('Set-Cookie', headers);
  }

  /** The Set-Cookie headers written so far. */
  outgoing(): string[] {
    const current = this.ctx.res.getHeader('Set-Cookie');
    return current === undefined ? [] : Array.isArray(current) ? current : [String(current)];
  }
}
