import { randomUUID } from 'node:crypto';
import { decodeBase64Json, encodeBase64Json, safeJsonParse } from './codec';
import { createCookieSealer, type CookieSealer, type EncryptionOptions } from './crypto-codec';
import { SessionConfigError } from './errors';
import type {
  ContextStoreClass,
  CookieAttributes,
  ExternalKey,
  MaxAge,
  SessionData,
  SessionPayload,
  SessionStore,
} from './types';

/** One day, koa-session's default lifetime for the payload and the store TTL. */
export const ONE_DAY = 86_400_000;

/**
 * Every koa-session 7 option, plus this library's own (marked "ours"). All are optional.
 * Defaults are koa-session's unless stated.
 */
export interface SessionOptions<Ctx = unknown> {
  /** Cookie name. @default 'koa.sess' */
  key?: string;
  /** Lifetime in ms, or `'session'` for a browser-session cookie. @default undefined (payload: 1 day) */
  maxAge?: MaxAge;
  /** @deprecated koa-session's old spelling of `maxAge`. */
  maxage?: MaxAge;
  /** Commit after the downstream middleware. @default true */
  autoCommit?: boolean;
  /** Replace earlier Set-Cookie headers of the same name. @default true */
  overwrite?: boolean;
  /** @default true */
  httpOnly?: boolean;
  /** Sign the cookie with `app.keys` (`<key>.sig`). @default true; false when `encrypt` is set (AES-GCM already authenticates) */
  signed?: boolean;
  /** Re-save on every request that has a session. @default false */
  rolling?: boolean;
  /** Re-save when less than half of maxAge is left. @default false */
  renew?: boolean;
  /** `true`, `false`, or `'auto'` (ours): secure when the request is HTTPS. @default undefined (as `'auto'`) */
  secure?: boolean | 'auto';
  /** Cookie `SameSite` attribute. @default undefined (attribute omitted) */
  sameSite?: 'lax' | 'strict' | 'none' | 'Lax' | 'Strict' | 'None' | boolean;
  /** Cookie `Domain` attribute. @default undefined (host-only cookie) */
  domain?: string;
  /** Cookie `Path` attribute. @default '/' */
  path?: string;
  /** Cookie `Partitioned` attribute (CHIPS, for third-party contexts). @default undefined */
  partitioned?: boolean;
  /** Cookie `Priority` attribute (a Chromium extension). @default undefined */
  priority?: 'low' | 'medium' | 'high';
  /** Absolute cookie expiry; prefer `maxAge`. @default undefined */
  expires?: Date;
  /** External store: the cookie then carries only the session id. */
  store?: SessionStore<Ctx>;
  /** A store class instantiated per request with `ctx`; takes precedence over `store`. */
  ContextStore?: ContextStoreClass<Ctx>;
  /** Carry the store key somewhere other than the cookie. */
  externalKey?: ExternalKey<Ctx>;
  /** Prefix of generated store keys (ignored when `genid` is given). */
  prefix?: string;
  /** Generates store keys. May return a promise (ours). @default randomUUID */
  genid?: (ctx: Ctx) => string | Promise<string>;
  /** Cookie-mode encoder. @default base64 JSON */
  encode?: (payload: SessionPayload) => string;
  /** Cookie-mode decoder. @default base64 JSON */
  decode?: (value: string) => unknown;
  /** Extra validity check of loaded data. May return a promise (ours). */
  valid?: (ctx: Ctx, data: SessionPayload) => unknown;
  /** Called before every save. May return a promise (ours), which is awaited. */
  beforeSave?: (ctx: Ctx, session: SessionData) => unknown;
  /**
   * Ours: encrypt the cookie with AES-256-GCM (see SECURITY.md). Keys newest first: the first
   * seals, all open, a value opened by an older key is re-sealed on load. In store mode the
   * cookie's session id is sealed. `signed` then defaults to false and `app.keys` is not needed.
   */
  encrypt?: EncryptionOptions;
  /** Ours: end a session this many ms after it was created, whatever the activity. */
  absoluteTimeout?: number;
  /** Ours: what to do with a cookie over 4096 bytes: fail the request, or warn and send it. @default 'error' */
  oversizedCookie?: 'error' | 'warn';
  /** Ours: ms to wait for each store call before failing it. @default 5000 */
  storeTimeout?: number;
  /** Ours: when the store fails: fail the request (503), or continue with an unsaved empty session. @default 'fail' */
  onStoreError?: 'fail' | 'continue';
  /** Ours: the HTTP status of a store failure. @default 503 */
  storeErrorStatus?: number;
}

/** The options after validation: defaults filled in, hooks resolved. Frozen; shared by all requests. */
export interface NormalizedOptions<Ctx = unknown> {
  /** The cookie name. */
  readonly key: string;
  /** The session lifetime (`undefined`: one day for the payload, a browser-session cookie). */
  readonly maxAge: MaxAge | undefined;
  /** Commit after the downstream middleware. */
  readonly autoCommit: boolean;
  /** Sign the cookie with `app.keys`. */
  readonly signed: boolean;
  /** Re-save on every request that has a session. */
  readonly rolling: boolean;
  /** Re-save when less than half of maxAge is left. */
  readonly renew: boolean;
  /** `Secure` cookie attribute; `'auto'` follows the request's protocol. */
  readonly secure: boolean | 'auto';
  /** The external store, if any. */
  readonly store: SessionStore<Ctx> | undefined;
  /** The per-request store class, if any. */
  readonly ContextStore: ContextStoreClass<Ctx> | undefined;
  /** Where the store key travels instead of the cookie, if set. */
  readonly externalKey: ExternalKey<Ctx> | undefined;
  /** Generates new store keys (applies `prefix`). */
  readonly genid: (ctx: Ctx) => string | Promise<string>;
  /** Cookie-mode encoder. */
  readonly encode: (payload: SessionPayload) => string;
  /** Cookie-mode decoder. */
  readonly decode: (value: string) => unknown;
  /** Seals and opens the cookie value when `encrypt` is set. */
  readonly sealer: CookieSealer | undefined;
  /** True when `decode` is the built-in one (any failure then means "no session"). */
  readonly defaultCodec: boolean;
  /** Extra validity check of loaded data. */
  readonly valid: ((ctx: Ctx, data: SessionPayload) => unknown) | undefined;
  /** Hook run before every save. */
  readonly beforeSave: ((ctx: Ctx, session: SessionData) => unknown) | undefined;
  /** Maximum session age in ms, whatever the activity. */
  readonly absoluteTimeout: number | undefined;
  /** Policy for cookies over 4096 bytes. */
  readonly oversizedCookie: 'error' | 'warn';
  /** Milliseconds allowed for each store call. */
  readonly storeTimeout: number;
  /** What a store failure does to the request. */
  readonly onStoreError: 'fail' | 'continue';
  /** HTTP status of a store failure. */
  readonly storeErrorStatus: number;
  /** Cookie attributes except maxAge/secure, which are decided per request. */
  readonly cookie: Readonly<CookieAttributes>;
  /** The options as the user would see them in `ctx.sessionOptions` (a koa-session-shaped object). */
  readonly view: Readonly<Record<string, unknown>>;
}

const KNOWN = new Set([
  'key',
  'maxAge',
  'maxage',
  'autoCommit',
  'overwrite',
  'httpOnly',
  'signed',
  'rolling',
  'renew',
  'secure',
  'sameSite',
  'domain',
  'path',
  'partitioned',
  'priority',
  'expires',
  'store',
  'ContextStore',
  'externalKey',
  'prefix',
  'genid',
  'encode',
  'decode',
  'valid',
  'beforeSave',
  'encrypt',
  'absoluteTimeout',
  'oversizedCookie',
  'storeTimeout',
  'onStoreError',
  'storeErrorStatus',
]);

// Characters `cookies` accepts in a name, minus `;` and `=` (RFC 7230 field-content).
const COOKIE_NAME = /^[\u0021-\u003a\u003c\u003e-\u007e]+$/;
const PATH_VALUE = /^[\u0020-\u003a\u003c-\u007e]*$/;

function fail(option: string, problem: string, fix: string): never {
  throw new SessionConfigError(option, problem, fix);
}

function show(value: unknown): string {
  if (typeof value === 'function') return 'a function';
  if (typeof value === 'string') return JSON.stringify(value);
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

function optionalBoolean(opts: Record<string, unknown>, name: string, fallback: boolean): boolean {
  const value = opts[name];
  if (value === undefined) return fallback;
  if (typeof value !== 'boolean')
    fail(name, `must be true or false, got ${show(value)}`, `Set \`${name}: ${fallback}\` or remove it.`);
  return value;
}

function optionalFunction(opts: Record<string, unknown>, name: string): ((...args: never[]) => unknown) | undefined {
  const value = opts[name];
  if (value === undefined) return undefined;
  if (typeof value !== 'function')
    fail(name, `must be a function, got ${show(value)}`, `Pass a function or remove \`${name}\`.`);
  return value as (...args: never[]) => unknown;
}

function positiveInteger(
  opts: Record<string, unknown>,
  name: string,
  fallback: number | undefined,
): number | undefined {
  const value = opts[name];
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
    fail(
      name,
      `must be a positive number of milliseconds, got ${show(value)}`,
      `For example \`${name}: 86_400_000\` (one day).`,
    );
  }
  return value;
}

function hasMethods(value: unknown, names: string[]): boolean {
  if (value === null || (typeof value !== 'object' && typeof value !== 'function')) return false;
  const record = value as Record<string, unknown>;
  return names.every((n) => typeof record[n] === 'function');
}

function checkMaxAge(value: unknown, name: string): MaxAge | undefined {
  if (value === undefined || value === 'session') return value;
  if (typeof value === 'number' && !Number.isNaN(value)) return value;
  return fail(
    name,
    `must be a number of milliseconds or the string 'session', got ${show(value)} (Invalid input)`,
    "Use e.g. `maxAge: 86_400_000` for one day, or `maxAge: 'session'` for a browser-session cookie.",
  );
}

function checkStore<Ctx>(
  opts: Record<string, unknown>,
): Pick<NormalizedOptions<Ctx>, 'store' | 'ContextStore' | 'externalKey'> {
  const { store, ContextStore, externalKey } = opts;
  if (store !== undefined && !hasMethods(store, ['get', 'set', 'destroy'])) {
    fail(
      'store',
      'must have get, set and destroy functions',
      'Pass a koa-session compatible store such as `new MemoryStore()`.',
    );
  }
  if (ContextStore !== undefined) {
    if (
      typeof ContextStore !== 'function' ||
      !hasMethods((ContextStore as { prototype: unknown }).prototype, ['get', 'set', 'destroy'])
    ) {
      fail(
        'ContextStore',
        'must be a class whose instances have get, set and destroy',
        'Pass the class itself, e.g. `ContextStore: MyStore`.',
      );
    }
  }
  if (externalKey !== undefined && !hasMethods(externalKey, ['get', 'set'])) {
    fail(
      'externalKey',
      `must be an object with get(ctx) and set(ctx, key) functions, got ${show(externalKey)} (Invalid input)`,
      'For example `externalKey: { get: (ctx) => ctx.get("x-session"), set: (ctx, key) => ctx.set("x-session", key) }`.',
    );
  }
  return {
    store: store as SessionStore<Ctx> | undefined,
    ContextStore: ContextStore as ContextStoreClass<Ctx> | undefined,
    externalKey: externalKey as ExternalKey<Ctx> | undefined,
  };
}

function checkCookieAttributes(opts: Record<string, unknown>): CookieAttributes {
  const { domain, path, sameSite, priority, partitioned, expires } = opts;
  if (path !== undefined && (typeof path !== 'string' || !PATH_VALUE.test(path))) {
    fail('path', `must be a cookie path without ';', got ${show(path)}`, "For example `path: '/'`.");
  }
  if (domain !== undefined && (typeof domain !== 'string' || !PATH_VALUE.test(domain))) {
    fail('domain', `must be a domain name, got ${show(domain)}`, "For example `domain: 'example.com'`.");
  }
  if (
    sameSite !== undefined &&
    typeof sameSite !== 'boolean' &&
    !(typeof sameSite === 'string' && /^(lax|strict|none)$/i.test(sameSite))
  ) {
    fail(
      'sameSite',
      `must be 'lax', 'strict', 'none' or a boolean, got ${show(sameSite)}`,
      "Use `sameSite: 'lax'` for most apps.",
    );
  }
  if (priority !== undefined && !(typeof priority === 'string' && /^(low|medium|high)$/i.test(priority))) {
    fail(
      'priority',
      `must be 'low', 'medium' or 'high', got ${show(priority)}`,
      'Remove it to let the browser decide.',
    );
  }
  if (partitioned !== undefined && typeof partitioned !== 'boolean')
    fail('partitioned', `must be a boolean, got ${show(partitioned)}`, 'Use `partitioned: true` for CHIPS.');
  if (expires !== undefined && !(expires instanceof Date))
    fail('expires', `must be a Date, got ${show(expires)}`, 'Prefer `maxAge`.');
  const cookie: CookieAttributes = {
    path: (path as string | undefined) ?? '/',
    httpOnly: optionalBoolean(opts, 'httpOnly', true),
    overwrite: optionalBoolean(opts, 'overwrite', true),
  };
  if (domain !== undefined) cookie.domain = domain as string;
  if (sameSite !== undefined)
    cookie.sameSite = (
      typeof sameSite === 'string' ? sameSite.toLowerCase() : sameSite
    ) as CookieAttributes['sameSite'];
  if (priority !== undefined) cookie.priority = (priority as string).toLowerCase() as CookieAttributes['priority'];
  if (partitioned !== undefined) cookie.partitioned = partitioned as boolean;
  if (expires !== undefined) cookie.expires = expires as Date;
  return cookie;
}

/**
 * Validates the user's options once, at startup, and fills in defaults. The caller's object is
 * copied, never mutated (unlike koa-session, which merges defaults into it and keeps it live).
 *
 * @throws SessionConfigError naming the option and how to fix it.
 */
export function normalizeOptions<Ctx>(
  input: SessionOptions<Ctx> | undefined,
  warn: (message: string) => void = console.warn,
): NormalizedOptions<Ctx> {
  if (input !== undefined && (input === null || typeof input !== 'object')) {
    fail('options', `must be an object, got ${show(input)}`, 'Call `session({ ... }, app)` or `session(app)`.');
  }
  const opts: Record<string, unknown> = { ...(input ?? {}) };
  for (const name of Object.keys(opts)) {
    if (!KNOWN.has(name)) {
      fail(
        name,
        'is not a known option',
        'Check the spelling against the README option table (options are case-sensitive).',
      );
    }
  }
  // An invalid legacy `maxage` is reported under the name the user wrote.
  let maxAgeName = 'maxAge';
  if (!('maxAge' in opts) && 'maxage' in opts) {
    opts.maxAge = opts.maxage;
    maxAgeName = 'maxage';
    if (process.env.NODE_ENV !== 'production')
      warn('[koa-typed-session] DeprecationWarning: `maxage` option has been renamed to `maxAge`');
  }
  const key = opts.key ?? 'koa.sess';
  if (typeof key !== 'string' || !COOKIE_NAME.test(key)) {
    fail('key', `must be a valid cookie name (no spaces, ';' or '='), got ${show(key)}`, "Use e.g. `key: 'koa.sess'`.");
  }
  const maxAge = checkMaxAge(opts.maxAge, maxAgeName);
  const secure = opts.secure;
  if (secure !== undefined && typeof secure !== 'boolean' && secure !== 'auto') {
    fail(
      'secure',
      `must be true, false or 'auto', got ${show(secure)}`,
      "Use `secure: 'auto'` behind a TLS proxy, with `app.proxy = true`.",
    );
  }
  const stores = checkStore<Ctx>(opts);
  const genid = optionalFunction(opts, 'genid') as NormalizedOptions<Ctx>['genid'] | undefined;
  const prefix = opts.prefix;
  if (prefix !== undefined && typeof prefix !== 'string')
    fail('prefix', `must be a string, got ${show(prefix)}`, "For example `prefix: 'sess:'`.");
  const encode = optionalFunction(opts, 'encode') as NormalizedOptions<Ctx>['encode'] | undefined;
  const decode = optionalFunction(opts, 'decode') as NormalizedOptions<Ctx>['decode'] | undefined;
  const oversized = opts.oversizedCookie ?? 'error';
  if (oversized !== 'error' && oversized !== 'warn')
    fail(
      'oversizedCookie',
      `must be 'error' or 'warn', got ${show(oversized)}`,
      "Use `oversizedCookie: 'error'` (the default).",
    );
  const onStoreError = opts.onStoreError ?? 'fail';
  if (onStoreError !== 'fail' && onStoreError !== 'continue')
    fail(
      'onStoreError',
      `must be 'fail' or 'continue', got ${show(onStoreError)}`,
      "Use `onStoreError: 'fail'` (the default) to answer 503.",
    );
  const storeErrorStatus = opts.storeErrorStatus ?? 503;
  if (
    typeof storeErrorStatus !== 'number' ||
    !Number.isInteger(storeErrorStatus) ||
    storeErrorStatus < 400 ||
    storeErrorStatus > 599
  ) {
    fail(
      'storeErrorStatus',
      `must be an HTTP error status (400-599), got ${show(storeErrorStatus)}`,
      'Use 503 (the default) or 500.',
    );
  }
  const cookie = checkCookieAttributes(opts);
  // Encrypted: the plaintext is JSON itself (base64 inside a seal would only add a third).
  const sealer = opts.encrypt === undefined ? undefined : createCookieSealer(opts.encrypt as EncryptionOptions, key);
  const normalized: NormalizedOptions<Ctx> = {
    key,
    maxAge,
    autoCommit: optionalBoolean(opts, 'autoCommit', true),
    signed: optionalBoolean(opts, 'signed', sealer === undefined),
    rolling: optionalBoolean(opts, 'rolling', false),
    renew: optionalBoolean(opts, 'renew', false),
    secure: (secure as boolean | 'auto' | undefined) ?? 'auto',
    ...stores,
    genid: genid ?? (prefix ? () => `${prefix}${randomUUID()}` : () => randomUUID()),
    encode: encode ?? (sealer ? JSON.stringify : encodeBase64Json),
    decode: decode ?? (sealer ? safeJsonParse : decodeBase64Json),
    sealer,
    defaultCodec: decode === undefined,
    valid: optionalFunction(opts, 'valid') as NormalizedOptions<Ctx>['valid'],
    beforeSave: optionalFunction(opts, 'beforeSave') as NormalizedOptions<Ctx>['beforeSave'],
    absoluteTimeout: positiveInteger(opts, 'absoluteTimeout', undefined),
    oversizedCookie: oversized,
    storeTimeout: positiveInteger(opts, 'storeTimeout', 5000) as number,
    onStoreError,
    storeErrorStatus,
    cookie: Object.freeze(cookie),
    view: {},
  };
  const view: Record<string, unknown> = {
    ...opts,
    key,
    maxAge,
    autoCommit: normalized.autoCommit,
    overwrite: cookie.overwrite,
    httpOnly: cookie.httpOnly,
    signed: normalized.signed,
    rolling: normalized.rolling,
    renew: normalized.renew,
    genid: normalized.genid,
    encode: normalized.encode,
    decode: normalized.decode,
  };
  delete view.maxage;
  // Keys never travel with ctx.sessionOptions (handlers log it).
  if (sealer) view.encrypt = { keys: '[redacted]' };
  return Object.freeze({ ...normalized, view: Object.freeze(view) });
}
