import { MAX_COOKIE_BYTES } from './cookie-format';
import { cookieAttributes } from './cookie-writer';
import { SessionConfigError, SessionStateError } from './errors';
import { COOKIE_NAME } from './option-checks';
import type { NormalizedOptions } from './options';
import { ChangeTracker } from './change-tracker';
import { isCanonicalCookie, rejection } from './payload';
import { CUSTOM_KEY_RULE } from './session-id';
import { Session, type CommitOptions, type SessionHost } from './session';
import { callStore, isThenable, type StoreOperation } from './store-call';
import { StoreKeys } from './store-keys';
import type { CookieAttributes, CookieJar, MaxAge, SessionEvent, SessionPayload, SessionStore } from './types';

/** What the engine needs from the host framework for one request. */
export interface RequestPort<Ctx> {
  /** The host's request context (Koa's `ctx`), handed to hooks and stores. */
  readonly ctx: Ctx;
  /** The request's cookies. */
  readonly jar: CookieJar;
  /** Emits an app event (asynchronously, as koa-session does). */
  emit(
    event: 'session:missed' | 'session:expired' | 'session:invalid' | 'session:error',
    payload: SessionEvent<Ctx>,
  ): void;
  /** Whether the request arrived over HTTPS (honouring the host's proxy setting). */
  isSecure(): boolean;
  /** The Set-Cookie headers written so far (attached to rethrown decode errors). */
  outgoingCookies(): string[];
  /** Clock, injectable for tests. */
  now(): number;
}

/**
 * The first half of a request's session lifecycle: the state, `ctx.session` itself, and loading
 * (lazily in cookie mode, eagerly with a store) with its checks and events. `SessionContext`
 * adds the commit.
 */
export abstract class SessionLoader<Ctx> implements SessionHost {
  /** `undefined`: not loaded yet; `null`: removed by `ctx.session = null`. */
  protected session: Session | null | undefined;
  protected readonly store: SessionStore<Ctx> | undefined;
  /** What changed since the session was loaded or last saved. */
  protected readonly changes = new ChangeTracker();
  /** The store-key lifecycle (store mode). */
  protected readonly keys = new StoreKeys();
  protected created: number | undefined;
  /** Set when the store failed and `onStoreError: 'continue'`: the session is never saved. */
  protected unsaved = false;
  protected preloaded = false;
  /** The last commit queued: commits are serialised (see {@link commit}). */
  protected commitQueue: Promise<void> | undefined;
  /** Commits queued and not settled yet: while there are none, the auto-commit runs inline. */
  protected pendingCommits = 0;
  /** The cookie was opened by an older `encrypt` key: it is re-sealed on this request's commit. */
  protected sealedByOldKey = false;
  protected currentMaxAge: MaxAge | undefined;
  protected optionsView: Record<string, unknown> | undefined;

  constructor(
    protected readonly port: RequestPort<Ctx>,
    protected readonly opts: NormalizedOptions<Ctx>,
  ) {
    this.store = opts.ContextStore ? new opts.ContextStore(port.ctx) : opts.store;
    this.currentMaxAge = opts.maxAge;
  }

  // ---- SessionHost ----

  /** The current store key (store mode). */
  get externalKey(): string | undefined {
    return this.keys.current;
  }

  /** This request's session lifetime (`ctx.sessionOptions.maxAge` once that was read). */
  get maxAge(): MaxAge | undefined {
    return this.optionsView ? (this.optionsView.maxAge as MaxAge | undefined) : this.currentMaxAge;
  }

  /** Changes this request's session lifetime. */
  set maxAge(value: MaxAge | undefined) {
    this.currentMaxAge = value;
    if (this.optionsView) this.optionsView.maxAge = value;
  }

  /** `ctx.sessionOptions`: a per-request copy of the options; changes apply to this request only. */
  get sessionOptions(): Record<string, unknown> {
    return (this.optionsView ??= { ...this.opts.view, maxAge: this.currentMaxAge });
  }

  // As koa-session, which keeps a per-request copy of its options and reads it when loading and
  // committing: once `ctx.sessionOptions` was read, its `key`, `signed`, `rolling` and `renew` (and
  // the cookie attributes, see cookieAttributes) are this request's. Until then, no copy exists
  // and the frozen options are read directly.

  /** This request's cookie name. @throws SessionConfigError when `ctx.sessionOptions.key` is not a cookie name. */
  protected get key(): string {
    const view = this.optionsView;
    return view ? requestKey(view.key) : this.opts.key;
  }

  /** A boolean option as this request sees it (`ctx.sessionOptions[name]`, truthy as koa-session). */
  private flag(name: 'signed' | 'rolling' | 'renew'): boolean {
    const view = this.optionsView;
    return view ? Boolean(view[name]) : this.opts[name];
  }

  /** Whether this request's cookie is signed (`ctx.sessionOptions.signed`). */
  protected get signed(): boolean {
    return this.flag('signed');
  }

  /** Whether this request re-saves an unchanged session (`ctx.sessionOptions.rolling`). */
  protected get rolling(): boolean {
    return this.flag('rolling');
  }

  /** Whether this request renews a session past half its maxAge (`ctx.sessionOptions.renew`). */
  protected get renew(): boolean {
    return this.flag('renew');
  }

  /** Whether the middleware must load before the handler runs (a store, or an async-capable `valid`). */
  get loadsEagerly(): boolean {
    return this.store !== undefined || this.opts.valid !== undefined;
  }

  // ---- ctx.session ----

  /** `ctx.session`: the session (loaded from the cookie on first use), or `null` once set to null. */
  get(): Session | null {
    if (this.session !== undefined) return this.session;
    if (this.store) {
      // Read before the middleware ran: koa-session hands out an empty session that the
      // middleware's load then replaces.
      this.preloaded = true;
      return (this.session = new Session(this));
    }
    const loaded = this.loadFromCookie();
    if (isThenable(loaded)) {
      throw new SessionStateError(
        'the `valid` hook returned a promise while ctx.session was read before the session middleware ran. ' +
          'Mount the session middleware first, or make `valid` synchronous.',
      );
    }
    return loaded;
  }

  /** `ctx.session = value`: `null` destroys the session; an object replaces its data. */
  set(value: unknown): void {
    if (value === null) {
      this.session = null;
      return;
    }
    if (typeof value !== 'object' || value === undefined) {
      throw new SessionStateError(
        `ctx.session can only be set as null or an object, got ${typeof value}. ` +
          'Assign `null` to end the session, or an object to replace its data.',
      );
    }
    const rotated = this.session === null && this.store !== undefined && this.keys.persisted !== undefined;
    // koa-session would save the new data under the old id (a fixation risk): take a new one.
    if (this.session === null && this.store) this.keys.retire();
    this.session = new Session(this, value as SessionPayload);
    // The old record is destroyed at commit: the data must be written under the new id even when
    // it equals what was loaded (else the session would silently end).
    if (rotated) this.session._requireSave = true;
  }

  /** Loads the session before the handler runs (store mode, or cookie mode with `valid`). */
  async load(): Promise<void> {
    if (this.session !== undefined && !this.preloaded) return;
    this.preloaded = false;
    if (!this.store) {
      await this.loadFromCookie();
      return;
    }
    const key = this.opts.externalKey ? this.opts.externalKey.get(this.port.ctx) : this.readCookie();
    if (!key) {
      await this.createFresh();
      return;
    }
    if (!this.opts.isIssuedKey(key)) {
      // Not an id genid could have issued (a foreign key of a shared keyspace, the user index, a
      // 1 kB string): never asked of the store. The key is not echoed into the event.
      this.reject('invalid', undefined, undefined, 'malformed-id');
      await this.createFresh();
      return;
    }
    let data: unknown;
    try {
      data = await this.callStore('get', () =>
        this.store!.get(key, this.currentMaxAge, { rolling: this.rolling, ctx: this.port.ctx }),
      );
    } catch (err) {
      if (this.opts.onStoreError === 'fail') throw err;
      this.port.emit('session:error', { key, value: undefined, ctx: this.port.ctx, reason: 'store-get', errors: err });
      this.unsaved = true;
      await this.createFresh();
      // The record may still exist: a logout (`ctx.session = null`) must still destroy it.
      this.keys.persisted = key;
      return;
    }
    if (!(await this.accept(data, key))) {
      await this.createFresh();
      return;
    }
    this.create(data as SessionPayload);
    this.keys.adopt(key);
  }

  // ---- loading ----

  protected loadFromCookie(): Session | Promise<Session> {
    const { opts, port } = this;
    const value = this.readCookie();
    if (!value) return this.create();
    let data: unknown;
    try {
      data = opts.decode(value);
    } catch (err) {
      if (!opts.defaultCodec && err instanceof Error && !(err instanceof SyntaxError)) {
        // koa-session: a custom decoder's own error clears the cookie and propagates (500).
        port.jar.set(this.key, '', this.cookieAttributes(undefined), this.signed);
        Reflect.set(err, 'headers', { 'set-cookie': port.outgoingCookies() });
        throw err;
      }
      this.reject('invalid', undefined, value, 'malformed');
      return this.create();
    }
    if (!this.signed && !opts.sealer && opts.defaultCodec && !isCanonicalCookie(value, data, this.key, opts)) {
      this.reject('invalid', undefined, value, 'malformed');
      return this.create();
    }
    const verdict = this.accept(data, undefined);
    if (isThenable(verdict)) return verdict.then((ok) => (ok ? this.create(data as SessionPayload) : this.create()));
    return verdict ? this.create(data as SessionPayload) : this.create();
  }

  /** Expiry and validity checks of loaded data; emits the koa-session events on rejection. */
  protected accept(data: unknown, key: string | undefined): boolean | Promise<boolean> {
    const rejected = rejection(data, this.store !== undefined, this.port.now(), this.opts.absoluteTimeout);
    if (rejected) return this.reject(rejected.kind, key, data, rejected.reason);
    const valid = this.opts.valid;
    if (!valid) return true;
    const verdict = valid(this.port.ctx, data as SessionPayload);
    const judge = (ok: unknown): boolean => (ok ? true : this.reject('invalid', key, data, 'valid-hook'));
    return isThenable(verdict) ? Promise.resolve(verdict).then(judge) : judge(verdict);
  }

  protected reject(
    kind: 'missed' | 'expired' | 'invalid',
    key: string | undefined,
    value: unknown,
    reason: string,
  ): false {
    this.port.emit(`session:${kind}`, { key, value, ctx: this.port.ctx, reason });
    return false;
  }

  /** The cookie's value: signature checked, opened when encrypted. `undefined`: no usable cookie. */
  protected readCookie(): string | undefined {
    const { opts } = this;
    const value = this.port.jar.get(this.key, this.signed, (reason) =>
      this.reject('invalid', undefined, undefined, reason),
    );
    // No browser sends a cookie over the limit, and this library never writes one (unless
    // `oversizedCookie: 'warn'`): don't spend a decode or a store lookup on it.
    if (value && value.length > MAX_COOKIE_BYTES) {
      this.reject('invalid', undefined, undefined, 'oversized');
      return undefined;
    }
    if (!value || !opts.sealer) return value;
    const opened = opts.sealer.unseal(value);
    if (!opened) {
      this.reject('invalid', undefined, value, 'undecryptable');
      return undefined;
    }
    this.sealedByOldKey = opened.keyIndex > 0;
    return opened.plaintext;
  }

  protected create(data?: SessionPayload): Session {
    const session = new Session(this, data);
    this.session = session;
    // Re-seal with the newest key now rather than at the next change: an old key can then be
    // dropped once every active session has made one request.
    if (data && this.sealedByOldKey) session._requireSave = true;
    if (data) {
      this.changes.loaded(session.toJSON(), this.store?.patch !== undefined || this.store?.touch !== undefined);
      this.created = typeof data._created === 'number' ? data._created : undefined;
    }
    return session;
  }

  protected async createFresh(): Promise<void> {
    this.create();
    if (this.store) this.keys.current = await this.newKey();
  }

  protected async newKey(): Promise<string> {
    const id: unknown = await this.opts.genid(this.port.ctx);
    if (typeof id !== 'string' || id === '') {
      throw new SessionStateError(`genid must return a non-empty string, got ${typeof id}. Fix the \`genid\` option.`);
    }
    if (!this.opts.isIssuedKey(id)) {
      throw new SessionStateError(
        `genid returned a key that is not ${CUSTOM_KEY_RULE} (${id.length} characters): such a key would never load again. Fix the \`genid\` option.`,
      );
    }
    return id;
  }

  /** Commits a change or removal (implemented by `SessionContext`). */
  abstract commit(options?: CommitOptions): Promise<void>;

  /** Runs one store call within `storeTimeout` (see {@link callStore}). */
  protected callStore<T>(operation: StoreOperation, call: () => T): Promise<Awaited<T>> {
    return callStore(operation, call, this.opts);
  }

  /** The cookie attributes for this request: the options (or this request's `ctx.sessionOptions`). */
  protected cookieAttributes(maxAge: number | undefined): CookieAttributes {
    return cookieAttributes(this.opts, this.optionsView, this.port.isSecure(), maxAge);
  }
}

/** `ctx.sessionOptions.key`, checked: a handler's typo must not write a broken Set-Cookie header. */
function requestKey(key: unknown): string {
  if (typeof key === 'string' && COOKIE_NAME.test(key)) return key;
  throw new SessionConfigError(
    'key',
    `set on ctx.sessionOptions must be a valid cookie name (no spaces, ';' or '='), got ${typeof key === 'string' ? JSON.stringify(key) : typeof key}`,
    "Assign a cookie name, e.g. `ctx.sessionOptions.key = 'koa.sess'`.",
  );
}
