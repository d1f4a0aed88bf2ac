/**
 * Framework-free types of the session engine. Nothing here imports Koa: the engine talks to the
 * host through {@link CookieJar} and to stores through {@link SessionStore}.
 */

/** Lifetime of a session: milliseconds, or `'session'` for a browser-session cookie. */
export type MaxAge = number | 'session';

/**
 * The data of a session, as persisted. Augment it to type `ctx.session`:
 *
 * @example
 * ```ts
 * declare module 'koa-typed-session' {
 *   interface SessionData { views?: number; user?: string }
 * }
 * ```
 *
 * The index signature is `any` on purpose: it is what `@types/koa-session` gave `ctx.session`, so
 * code written for koa-session compiles unchanged. Declared keys get their declared types.
 */
export interface SessionData {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- koa-session compatibility, see above
  [key: string]: any;
}

/** What the engine persists: the session's data plus the koa-session bookkeeping fields. */
export type SessionPayload = Record<string, unknown> & {
  /** Expiry time (epoch ms) after which the payload is refused. */
  _expire?: number;
  /** The session's own lifetime in ms, when it differs from the configured `maxAge`. */
  _maxAge?: number;
  /** Present for browser-session cookies (`maxAge: 'session'`). */
  _session?: true;
  /** Creation time (epoch ms), for `absoluteTimeout` (ours). */
  _created?: number;
};

/** Why a commit writes: the save reason, as koa-session computes it. */
export type SaveReason = 'force' | 'changed' | 'rolling' | 'renew';

/** Options handed to {@link SessionStore.get}. */
export interface StoreGetOptions<Ctx = unknown> {
  /** The middleware's `rolling` option. */
  rolling: boolean;
  /** The request's context. */
  ctx: Ctx;
}

/** Options handed to {@link SessionStore.set}. */
export interface StoreSetOptions<Ctx = unknown> {
  /** The middleware's `rolling` option. */
  rolling: boolean;
  /** True when the data changed (false for a rolling or renew re-save of unchanged data). */
  changed: boolean;
  /** The request's context. */
  ctx: Ctx;
}

/** Options handed to {@link SessionStore.destroy}. */
export interface StoreDestroyOptions<Ctx = unknown> {
  /** The request's context. */
  ctx: Ctx;
}

/**
 * The keys a request changed, for stores that can merge them into the stored record atomically
 * (see {@link SessionStore.patch}). `set` also carries the bookkeeping fields (`_expire`, `_maxAge`,
 * `_session`, `_created`) of the new payload.
 */
export interface SessionPatch {
  /** Keys to write, with their new values. */
  set: Record<string, unknown>;
  /** Keys to delete. */
  unset: string[];
}

/**
 * The koa-session store contract, unchanged, so koa-redis and other koa-session stores plug in.
 * `maxAge` handed to `set` is the TTL in milliseconds (the session's maxAge plus 10 s), or the
 * string `'session'` for browser-session cookies, exactly as koa-session hands it.
 *
 * Optional capabilities (used when present, ignored by stores written for koa-session):
 * - `patch`: merge only the changed keys into the stored record (no lost updates);
 * - `touch`: extend the TTL and the record's `_expire` without rewriting the data;
 * - `destroyAllOf`: destroy every session of one user ("log out everywhere");
 * - `take`: remove named keys from the stored record and return them, atomically (flash messages);
 * - `rename`: move a session to a new id only if its old record still exists, so that a logout
 *   landing during `regenerate()` wins. Without it the engine writes the new record with `set`,
 *   then destroys the old one (koa-session's behaviour, minus the order): a revocation that lands
 *   between the load and that write does not stop the session from coming back under the new id.
 */
export interface SessionStore<Ctx = unknown> {
  /** The stored payload for `key` (or a promise of it); `undefined`/`null` when there is none. */
  get(key: string, maxAge: MaxAge | undefined, options: StoreGetOptions<Ctx>): unknown;
  /** Stores `sess` under `key` for `maxAge` (the TTL); may return a promise. */
  set(key: string, sess: SessionPayload, maxAge: MaxAge, options: StoreSetOptions<Ctx>): unknown;
  /** Removes `key`; may return a promise. */
  destroy(key: string, options: StoreDestroyOptions<Ctx>): unknown;
  /** Optional: merges only the changed keys into the stored record (no lost updates). */
  patch?(key: string, patch: SessionPatch, maxAge: MaxAge, options: StoreSetOptions<Ctx>): unknown;
  /** Optional: extends the TTL and the record's `_expire` without rewriting the data. */
  touch?(key: string, patch: SessionPatch, maxAge: MaxAge, options: StoreSetOptions<Ctx>): unknown;
  /** Optional: destroys every session of one user ("log out everywhere"). */
  destroyAllOf?(userId: string, options: StoreDestroyOptions<Ctx>): unknown;
  /**
   * Optional: removes the named top-level keys from the stored record, atomically, and returns the
   * ones it held (`{ name: value }`, or a promise of it); nothing (`null`/`false`) when the record is
   * gone. The TTL is unchanged. Two parallel calls never both get the same key (flash messages).
   */
  take?(key: string, names: readonly string[], options: StoreDestroyOptions<Ctx>): unknown;
  /**
   * Optional: writes `sess` under `newKey` and deletes `oldKey`, only if `oldKey` still exists.
   * Resolves to `true` when moved, `false` (nothing written, or what was written undone) when the
   * old record is gone: the session was revoked meanwhile and must not come back. A session
   * destroyed by `destroyAllOf` while it moves must not survive under `newKey` either.
   */
  rename?(oldKey: string, newKey: string, sess: SessionPayload, maxAge: MaxAge, options: StoreSetOptions<Ctx>): unknown;
}

/** A per-request store class: `new ContextStore(ctx)` on each request (koa-session's `ContextStore`). */
export type ContextStoreClass<Ctx = unknown> = new (ctx: Ctx) => SessionStore<Ctx>;

/** Carries the store key somewhere other than the cookie, e.g. a header (koa-session's `externalKey`). */
export interface ExternalKey<Ctx = unknown> {
  /** Reads the store key from the request; nullish when there is none. */
  get(ctx: Ctx): string | undefined | null;
  /** Hands the (new) store key to the client. */
  set(ctx: Ctx, key: string): void;
}

/** Cookie attributes, as the `cookies` package understands them. */
export interface CookieAttributes {
  /** Lifetime in ms (sent as `Expires`, as the `cookies` package does). */
  maxAge?: number | undefined;
  /** Absolute expiry date. */
  expires?: Date | undefined;
  /** `Path` attribute. */
  path?: string | undefined;
  /** `Domain` attribute. */
  domain?: string | undefined;
  /** `Secure` attribute. */
  secure?: boolean | undefined;
  /** `HttpOnly` attribute: scripts cannot read the cookie. */
  httpOnly?: boolean | undefined;
  /** `SameSite` attribute (`true` means `strict`). */
  sameSite?: 'lax' | 'strict' | 'none' | boolean | undefined;
  /** `Partitioned` attribute (CHIPS). */
  partitioned?: boolean | undefined;
  /** `Priority` attribute (a Chromium extension). */
  priority?: 'low' | 'medium' | 'high' | undefined;
  /** Replace earlier Set-Cookie headers of the same name in this response. */
  overwrite?: boolean | undefined;
}

/** How {@link CookieJar.get} reads a cookie: the `cookies` package's `get(name, { signed })`. */
export interface CookieReadOptions {
  /** Return the value only when `<name>.sig` verifies against a key. */
  signed: boolean;
  /** Called when the cookie is there but its signature is wrong or missing. */
  onTampered?: ((reason: 'bad-signature' | 'missing-signature') => void) | undefined;
}

/** How {@link CookieJar.set} writes a cookie: its attributes, and `signed` (as the `cookies` package). */
export interface CookieWriteOptions extends CookieAttributes {
  /** Also write `<name>.sig`, the value's signature under the newest key. */
  signed?: boolean | undefined;
}

/**
 * The engine's port to the host's cookies. The Koa adapter implements it with the same wire format
 * as the `cookies` package that koa-session uses.
 */
export interface CookieJar {
  /** The cookie's value; with `signed`, only when its signature verifies. */
  get(name: string, options: CookieReadOptions): string | undefined;
  /** Sets the cookie (and `<name>.sig` when `signed`). An empty value clears it. */
  set(name: string, value: string, options: CookieWriteOptions): void;
}

/** Payload of the `session:missed`, `session:expired` and `session:invalid` app events. */
export interface SessionEvent<Ctx = unknown> {
  /** The store key; `undefined` in cookie mode, as in koa-session. */
  key: string | undefined;
  /** The raw loaded data (or the undecodable value). */
  value: unknown;
  /** The request's context. */
  ctx: Ctx;
  /** Why the session was rejected (ours; koa-session sends no reason). */
  reason?: string;
  /** Further detail, such as validation errors from the decorator module. */
  errors?: unknown;
}
