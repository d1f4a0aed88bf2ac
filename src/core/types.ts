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
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  [key: string]: any;
}

/** What the engine persists: the session's data plus the koa-session bookkeeping fields. */
export type SessionPayload = Record<string, unknown> & {
  _expire?: number;
  _maxAge?: number;
  _session?: true;
  _created?: number;
};

/** Why a commit writes: the save reason, as koa-session computes it. */
export type SaveReason = 'force' | 'changed' | 'rolling' | 'renew';

/** Options handed to {@link SessionStore.get}. */
export interface StoreGetOptions<Ctx = unknown> {
  rolling: boolean;
  ctx: Ctx;
}

/** Options handed to {@link SessionStore.set}. */
export interface StoreSetOptions<Ctx = unknown> {
  rolling: boolean;
  changed: boolean;
  ctx: Ctx;
}

/** Options handed to {@link SessionStore.destroy}. */
export interface StoreDestroyOptions<Ctx = unknown> {
  ctx: Ctx;
}

/**
 * The keys a request changed, for stores that can merge them into the stored record atomically
 * (see {@link SessionStore.patch}). `set` also carries the bookkeeping fields (`_expire`, `_maxAge`,
 * `_session`, `_created`) of the new payload.
 */
export interface SessionPatch {
  set: Record<string, unknown>;
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
 * - `destroyAllOf`: destroy every session of one user ("log out everywhere").
 */
export interface SessionStore<Ctx = unknown> {
  get(key: string, maxAge: MaxAge | undefined, options: StoreGetOptions<Ctx>): unknown;
  set(key: string, sess: SessionPayload, maxAge: MaxAge, options: StoreSetOptions<Ctx>): unknown;
  destroy(key: string, options: StoreDestroyOptions<Ctx>): unknown;
  patch?(key: string, patch: SessionPatch, maxAge: MaxAge, options: StoreSetOptions<Ctx>): unknown;
  touch?(key: string, patch: SessionPatch, maxAge: MaxAge, options: StoreSetOptions<Ctx>): unknown;
  destroyAllOf?(userId: string, options: StoreDestroyOptions<Ctx>): unknown;
}

/** A per-request store class: `new ContextStore(ctx)` on each request (koa-session's `ContextStore`). */
export type ContextStoreClass<Ctx = unknown> = new (ctx: Ctx) => SessionStore<Ctx>;

/** Carries the store key somewhere other than the cookie, e.g. a header (koa-session's `externalKey`). */
export interface ExternalKey<Ctx = unknown> {
  get(ctx: Ctx): string | undefined | null;
  set(ctx: Ctx, key: string): void;
}

/** Cookie attributes, as the `cookies` package understands them. */
export interface CookieAttributes {
  maxAge?: number | undefined;
  expires?: Date | undefined;
  path?: string | undefined;
  domain?: string | undefined;
  secure?: boolean | undefined;
  httpOnly?: boolean | undefined;
  sameSite?: 'lax' | 'strict' | 'none' | boolean | undefined;
  partitioned?: boolean | undefined;
  priority?: 'low' | 'medium' | 'high' | undefined;
  overwrite?: boolean | undefined;
}

/**
 * The engine's port to the host's cookies. The Koa adapter implements it with the same wire format
 * as the `cookies` package that koa-session uses.
 */
export interface CookieJar {
  /**
   * The cookie's value; with `signed`, only when `<name>.sig` verifies against a key.
   * `onTampered` is called when a signature is present but wrong.
   */
  get(name: string, signed: boolean, onTampered?: () => void): string | undefined;
  /** Sets the cookie (and `<name>.sig` when signed). An empty value clears it. */
  set(name: string, value: string, attributes: CookieAttributes, signed: boolean): void;
}

/** Payload of the `session:missed`, `session:expired` and `session:invalid` app events. */
export interface SessionEvent<Ctx = unknown> {
  /** The store key; `undefined` in cookie mode, as in koa-session. */
  key: string | undefined;
  /** The raw loaded data (or the undecodable value). */
  value: unknown;
  ctx: Ctx;
  /** Why the session was rejected (ours; koa-session sends no reason). */
  reason?: string;
  /** Further detail, such as validation errors from the decorator module. */
  errors?: unknown;
}
