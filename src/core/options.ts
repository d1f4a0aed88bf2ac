import { randomUUID } from 'node:crypto';
import { decodeBase64Json, encodeBase64Json, safeJsonParse } from './codec';
import { createCookieSealer, type CookieSealer, type EncryptionOptions } from './crypto-codec';
import { warn } from './diagnostics';
import { issuedKeyTest } from './session-id';
import {
  checkCookieAttributes,
  checkMaxAge,
  checkOptionNames,
  checkStore,
  COOKIE_NAME,
  fail,
  optionalBoolean,
  optionalFunction,
  positiveInteger,
  show,
} from './option-checks';
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
  /**
   * Cookie `SameSite` attribute. Booleans are rejected, as by koa-session 7 (per request,
   * `ctx.sessionOptions.sameSite = true` still means `'strict'`, as with the cookies package).
   * @default undefined (attribute omitted)
   */
  sameSite?: 'lax' | 'strict' | 'none' | 'Lax' | 'Strict' | 'None';
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
   * Ours: encrypt the cookie with AES-256-GCM (see docs/security.md). Keys newest first: the first
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
  /** Whether a store key read from the request could have been issued by `genid` (see `core/session-id.ts`). */
  readonly isIssuedKey: (key: string) => boolean;
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

/**
 * How each option is checked and its default: the one list of option names (`satisfies` keeps it
 * in step with {@link SessionOptions}: a missing or extra name does not compile). `check` names a
 * generic check of normalizeOptions() (`boolean`, `function`, `positive`, `oneOf`) or the group
 * check of option-checks.ts that covers it.
 */
interface OptionSpec {
  readonly check:
    | 'boolean'
    | 'function'
    | 'positive'
    | 'oneOf'
    | 'cookieName'
    | 'maxAge'
    | 'secure'
    | 'string'
    | 'store'
    | 'cookieAttributes'
    | 'encrypt'
    | 'httpErrorStatus';
  /** The default (absent: `undefined`). */
  readonly default?: unknown;
  /** `oneOf`: the accepted values, and the fix a wrong one gets. */
  readonly values?: readonly string[];
  readonly fix?: string;
}

const OPTIONS = {
  key: { check: 'cookieName', default: 'koa.sess' },
  maxAge: { check: 'maxAge' },
  maxage: { check: 'maxAge' },
  autoCommit: { check: 'boolean', default: true },
  overwrite: { check: 'cookieAttributes', default: true },
  httpOnly: { check: 'cookieAttributes', default: true },
  // false when `encrypt` is set (AES-GCM already authenticates)
  signed: { check: 'boolean', default: true },
  rolling: { check: 'boolean', default: false },
  renew: { check: 'boolean', default: false },
  secure: { check: 'secure', default: 'auto' },
  sameSite: { check: 'cookieAttributes' },
  domain: { check: 'cookieAttributes' },
  path: { check: 'cookieAttributes', default: '/' },
  partitioned: { check: 'cookieAttributes' },
  priority: { check: 'cookieAttributes' },
  expires: { check: 'cookieAttributes' },
  store: { check: 'store' },
  ContextStore: { check: 'store' },
  externalKey: { check: 'store' },
  prefix: { check: 'string' },
  genid: { check: 'function' },
  encode: { check: 'function' },
  decode: { check: 'function' },
  valid: { check: 'function' },
  beforeSave: { check: 'function' },
  encrypt: { check: 'encrypt' },
  absoluteTimeout: { check: 'positive' },
  oversizedCookie: {
    check: 'oneOf',
    values: ['error', 'warn'],
    default: 'error',
    fix: "Use `oversizedCookie: 'error'` (the default).",
  },
  storeTimeout: { check: 'positive', default: 5000 },
  onStoreError: {
    check: 'oneOf',
    values: ['fail', 'continue'],
    default: 'fail',
    fix: "Use `onStoreError: 'fail'` (the default) to answer 503.",
  },
  storeErrorStatus: { check: 'httpErrorStatus', default: 503 },
} as const satisfies Record<keyof SessionOptions, OptionSpec>;

type OptionName = keyof typeof OPTIONS;
type NamesOf<C extends OptionSpec['check']> = {
  [K in OptionName]: (typeof OPTIONS)[K]['check'] extends C ? K : never;
}[OptionName];

const KNOWN: ReadonlySet<string> = new Set(Object.keys(OPTIONS));

function booleanOption(opts: Record<string, unknown>, name: NamesOf<'boolean'>, fallback?: boolean): boolean {
  return optionalBoolean(opts, name, fallback ?? OPTIONS[name].default);
}

function functionOption<F>(opts: Record<string, unknown>, name: NamesOf<'function'>): F | undefined {
  return optionalFunction(opts, name) as F | undefined;
}

function oneOfOption<N extends NamesOf<'oneOf'>>(
  opts: Record<string, unknown>,
  name: N,
): (typeof OPTIONS)[N]['values'][number] {
  const spec: OptionSpec = OPTIONS[name];
  const value = opts[name] ?? spec.default;
  if (!spec.values!.includes(value as string)) {
    fail(name, `must be ${spec.values!.map((v) => `'${v}'`).join(' or ')}, got ${show(value)}`, spec.fix!);
  }
  return value as (typeof OPTIONS)[N]['values'][number];
}

/**
 * Validates the user's options once, at startup, and fills in defaults. The caller's object is
 * copied, never mutated (unlike koa-session, which merges defaults into it and keeps it live).
 * `callerNames`: names the caller accepts and removed before (SessionModule's `keys`), offered
 * as suggestions for a mistyped name.
 *
 * @throws SessionConfigError naming the option and how to fix it.
 */
export function normalizeOptions<Ctx>(
  input: SessionOptions<Ctx> | undefined,
  callerNames: readonly string[] = [],
): NormalizedOptions<Ctx> {
  if (input !== undefined && (input === null || typeof input !== 'object')) {
    fail('options', `must be an object, got ${show(input)}`, 'Call `session({ ... }, app)` or `session(app)`.');
  }
  const opts: Record<string, unknown> = { ...(input ?? {}) };
  checkOptionNames(opts, KNOWN, {
    fail,
    suggest: callerNames,
    fix: () => 'Check the spelling against the option table in docs/options.md (options are case-sensitive).',
  });
  // An invalid legacy `maxage` is reported under the name the user wrote.
  let maxAgeName = 'maxAge';
  if (!('maxAge' in opts) && 'maxage' in opts) {
    opts.maxAge = opts.maxage;
    maxAgeName = 'maxage';
    if (process.env.NODE_ENV !== 'production')
      warn('the `maxage` option has been renamed to `maxAge`', 'KTS_MAXAGE_DEPRECATED', 'DeprecationWarning');
  }
  const key = opts.key ?? OPTIONS.key.default;
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
  const genid = functionOption<NormalizedOptions<Ctx>['genid']>(opts, 'genid');
  const prefix = opts.prefix;
  if (prefix !== undefined && typeof prefix !== 'string')
    fail('prefix', `must be a string, got ${show(prefix)}`, "For example `prefix: 'sess:'`.");
  const encode = functionOption<NormalizedOptions<Ctx>['encode']>(opts, 'encode');
  const decode = functionOption<NormalizedOptions<Ctx>['decode']>(opts, 'decode');
  const oversized = oneOfOption(opts, 'oversizedCookie');
  const onStoreError = oneOfOption(opts, 'onStoreError');
  const storeErrorStatus = opts.storeErrorStatus ?? OPTIONS.storeErrorStatus.default;
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
  const cookie = checkCookieAttributes(opts, {
    path: OPTIONS.path.default,
    httpOnly: OPTIONS.httpOnly.default,
    overwrite: OPTIONS.overwrite.default,
  });
  // Encrypted: the plaintext is JSON itself (base64 inside a seal would only add a third).
  const sealer = opts.encrypt === undefined ? undefined : createCookieSealer(opts.encrypt as EncryptionOptions, key);
  const normalized: NormalizedOptions<Ctx> = {
    key,
    maxAge,
    autoCommit: booleanOption(opts, 'autoCommit'),
    signed: booleanOption(opts, 'signed', sealer === undefined),
    rolling: booleanOption(opts, 'rolling'),
    renew: booleanOption(opts, 'renew'),
    secure: (secure as boolean | 'auto' | undefined) ?? OPTIONS.secure.default,
    ...stores,
    genid: genid ?? (prefix ? () => `${prefix}${randomUUID()}` : () => randomUUID()),
    isIssuedKey: issuedKeyTest(prefix, genid !== undefined),
    encode: encode ?? (sealer ? JSON.stringify : encodeBase64Json),
    decode: decode ?? (sealer ? safeJsonParse : decodeBase64Json),
    sealer,
    defaultCodec: decode === undefined,
    valid: functionOption<NonNullable<NormalizedOptions<Ctx>['valid']>>(opts, 'valid'),
    beforeSave: functionOption<NonNullable<NormalizedOptions<Ctx>['beforeSave']>>(opts, 'beforeSave'),
    absoluteTimeout: positiveInteger(opts, 'absoluteTimeout', undefined),
    oversizedCookie: oversized,
    storeTimeout: positiveInteger(opts, 'storeTimeout', OPTIONS.storeTimeout.default) as number,
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

/**
 * What {@link SessionOptions}.parse() returns: the options as given, with koa-session's defaults
 * filled in (the shape of `ctx.sessionOptions`).
 */
export type ParsedSessionOptions<Ctx = unknown> = SessionOptions<Ctx> &
  Required<
    Pick<
      SessionOptions<Ctx>,
      'key' | 'autoCommit' | 'overwrite' | 'httpOnly' | 'signed' | 'rolling' | 'renew' | 'genid' | 'encode' | 'decode'
    >
  >;

/**
 * koa-session 7 compatibility: koa-session exports `SessionOptions` as a runtime value (its zod
 * schema), and code such as its own tests calls `SessionOptions.parse(opts)`. This is the same
 * call without zod: the options are checked as `session()` checks them (a bad one throws a
 * {@link SessionConfigError}, where zod throws a ZodError; an unknown name is rejected, where zod
 * drops it) and a new object with the defaults filled in is returned; the input is not changed.
 *
 * @example
 * ```ts
 * SessionOptions.parse({ rolling: true }).key; // 'koa.sess'
 * ```
 */
export const SessionOptions = {
  /**
   * Checks `input` and returns a new object with the defaults filled in.
   * @throws SessionConfigError for an invalid or unknown option.
   */
  parse<Ctx = unknown>(input: unknown): ParsedSessionOptions<Ctx> {
    // `view` is built by normalizeOptions with every defaulted name set; its static type is a record.
    const view = normalizeOptions<Ctx>(input as SessionOptions<Ctx> | undefined).view;
    return { ...view } as unknown as ParsedSessionOptions<Ctx>;
  },
};
