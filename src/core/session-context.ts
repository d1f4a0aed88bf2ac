import { ChangeTracker } from './change-tracker';
import { DEBUG, debug } from './diagnostics';
import { checkCookieSize, cookieAttributes } from './cookie-writer';
import { SessionConfigError, SessionRevokedError, SessionStateError } from './errors';
import { COOKIE_NAME } from './option-checks';
import { ONE_DAY, type NormalizedOptions } from './options';
import { encodePayload } from './payload';
import { Session, type CommitOptions, type SessionHost } from './session';
import {
  loadFromCookie,
  loadFromStore,
  newKey,
  rejectTampered,
  type LoadingRequest,
  type RequestPort,
} from './session-loader';
import { callStore, destroyAllOf, isThenable, writeToStore, type StoreOperation } from './store-call';
import { StoreKeys } from './store-keys';
import type { CookieWriteOptions, MaxAge, SaveReason, SessionData, SessionPayload, SessionStore } from './types';

export type { RequestPort } from './session-loader';

const NO_OPTIONS: CommitOptions = {};
const SETTLED = Promise.resolve();

/**
 * One request's session lifecycle, and the only owner of its state: `ctx.session` itself, this
 * request's lifetime (`maxAge`, in one place) and view of the options (`ctx.sessionOptions`), and
 * the commit queue. Its collaborators own their own state: {@link StoreKeys} (the store-key
 * lifecycle) and {@link ChangeTracker} (what changed since the load or the last save). Loading
 * (the cookie, the store, the checks and their events) is done by session-loader.ts, which asks
 * this class for each state change through {@link LoadingRequest}'s methods. This class decides
 * whether and why to save, and commits to the cookie and/or the store.
 */
export class SessionContext<Ctx> implements SessionHost, LoadingRequest<Ctx> {
  readonly store: SessionStore<Ctx> | undefined;
  /** What changed since the session was loaded or last saved. */
  readonly changes = new ChangeTracker();
  /** The store-key lifecycle (store mode). */
  readonly keys = new StoreKeys();
  /** `undefined`: not loaded yet; `null`: removed by `ctx.session = null`. */
  private session: Session | null | undefined;
  private created: number | undefined;
  /** Set when the store failed and `onStoreError: 'continue'`: the session is never saved. */
  private unsaved = false;
  private preloaded = false;
  /** The last commit queued: commits are serialised (see {@link commit}). */
  private commitQueue: Promise<void> | undefined;
  /** Commits queued and not settled yet: while there are none, the auto-commit runs inline. */
  private pendingCommits = 0;
  /** The cookie was opened by an older `encrypt` key: it is re-sealed on this request's commit. */
  private sealedByOldKey = false;
  /** This request's session lifetime: the one place it lives (`ctx.sessionOptions.maxAge` is an accessor of it). */
  private currentMaxAge: MaxAge | undefined;
  /** `ctx.sessionOptions`, made on first read. */
  private optionsView: Record<string, unknown> | undefined;

  constructor(
    readonly port: RequestPort<Ctx>,
    readonly opts: NormalizedOptions<Ctx>,
  ) {
    this.store = opts.ContextStore ? new opts.ContextStore(port.ctx) : opts.store;
    this.currentMaxAge = opts.maxAge;
  }

  // ---- SessionHost ----

  /** The current store key (store mode). */
  get externalKey(): string | undefined {
    return this.keys.current;
  }

  /**
   * This request's session lifetime. Once `ctx.sessionOptions` exists it is read there, as in
   * koa-session: its `maxAge` accessor reads {@link currentMaxAge}, unless a handler deleted or
   * redefined that property (then the view's own value is the lifetime, as in koa-session).
   */
  get maxAge(): MaxAge | undefined {
    const view = this.optionsView;
    return view ? (view.maxAge as MaxAge | undefined) : this.currentMaxAge;
  }

  /** Changes this request's session lifetime (through `ctx.sessionOptions` once that exists). */
  set maxAge(value: MaxAge | undefined) {
    const view = this.optionsView;
    if (view) view.maxAge = value;
    else this.currentMaxAge = value;
  }

  /** The lifetime a loaded payload carries (`_maxAge`, or `'session'` for `_session`). */
  adoptMaxAge(value: MaxAge | undefined): void {
    this.maxAge = value;
  }

  /**
   * `ctx.sessionOptions`: a per-request copy of the options; changes apply to this request only.
   * Its `maxAge` reads and writes this request's lifetime.
   */
  get sessionOptions(): Record<string, unknown> {
    if (this.optionsView) return this.optionsView;
    // eslint-disable-next-line @typescript-eslint/no-this-alias -- the view's accessors close over the coordinator
    const self = this;
    return (this.optionsView = {
      ...this.opts.view,
      get maxAge(): MaxAge | undefined {
        return self.currentMaxAge;
      },
      set maxAge(value: MaxAge | undefined) {
        self.currentMaxAge = value;
      },
    });
  }

  // As koa-session, which keeps a per-request copy of its options and reads it when loading and
  // committing: once `ctx.sessionOptions` was read, its `key`, `signed`, `rolling` and `renew` (and
  // the cookie attributes, see cookieAttributes) are this request's. Until then, no copy exists
  // and the frozen options are read directly.

  /** This request's cookie name. @throws SessionConfigError when `ctx.sessionOptions.key` is not a cookie name. */
  get key(): string {
    const view = this.optionsView;
    return view ? requestKey(view.key) : this.opts.key;
  }

  /** A boolean option as this request sees it (`ctx.sessionOptions[name]`, truthy as koa-session). */
  private flag(name: 'signed' | 'rolling' | 'renew'): boolean {
    const view = this.optionsView;
    return view ? Boolean(view[name]) : this.opts[name];
  }

  /** Whether this request's cookie is signed (`ctx.sessionOptions.signed`). */
  get signed(): boolean {
    return this.flag('signed');
  }

  /** Whether this request re-saves an unchanged session (`ctx.sessionOptions.rolling`). */
  get rolling(): boolean {
    return this.flag('rolling');
  }

  /** Whether this request renews a session past half its maxAge (`ctx.sessionOptions.renew`). */
  private get renew(): boolean {
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
    const loaded = loadFromCookie(this);
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
  load(): Promise<void> {
    if (this.session !== undefined && !this.preloaded) return SETTLED;
    this.preloaded = false;
    // The loader's own promise, not one more async frame around it (store mode's hot path).
    return this.store ? loadFromStore(this) : this.loadCookieEagerly();
  }

  /** Cookie mode with `valid`: the load awaits the hook; a decoder's throw becomes a rejection. */
  private async loadCookieEagerly(): Promise<void> {
    await loadFromCookie(this);
  }

  // ---- LoadingRequest: the state changes loading asks for ----

  /** Makes `ctx.session` a session holding `data` (a new, empty one without). */
  begin(data?: SessionPayload): Session {
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

  /** The cookie's signature is wrong or missing (the jar calls this: see readCookie). */
  onTampered(reason: 'bad-signature' | 'missing-signature'): void {
    rejectTampered(this, reason);
  }

  /** The cookie was opened by an older `encrypt` key. */
  openedByOldKey(): void {
    this.sealedByOldKey = true;
  }

  /** The store failed to load and `onStoreError: 'continue'`: this request never saves. */
  storeFailed(): void {
    this.unsaved = true;
  }

  /** How this request writes its cookie: the attributes and `signed`, from the options (or `ctx.sessionOptions`). */
  cookieOptions(maxAge: number | undefined): CookieWriteOptions {
    const options: CookieWriteOptions = cookieAttributes(this.opts, this.optionsView, this.port.isSecure(), maxAge);
    options.signed = this.signed;
    return options;
  }

  /** Runs one store call within `storeTimeout` (see {@link callStore}). */
  private callStore<T>(operation: StoreOperation, call: () => T): Promise<Awaited<T>> {
    return callStore(operation, call, this.opts);
  }

  // ---- flash messages (see flash.ts) ----

  /**
   * Removes the named keys from the session and returns the values this request claimed. With a
   * store that can `take` and a record loaded in this request, the record loses them atomically
   * now (a parallel request that took one first wins it) and the change baseline forgets them, so
   * the commit writes nothing for them. Otherwise the removal is an ordinary change of this
   * request (cookie mode: the cookie is rewritten; other stores: written at commit).
   */
  claim(names: readonly string[]): ReadonlyMap<string, unknown> | Promise<ReadonlyMap<string, unknown>> {
    const session = this.session;
    const local = new Map<string, unknown>();
    if (!session) return local;
    for (const name of names) {
      if (Object.hasOwn(session, name)) local.set(name, (session as SessionData)[name]);
      Reflect.deleteProperty(session, name);
    }
    const store = this.store;
    const key = this.keys.persisted;
    if (!store?.take || key === undefined || key !== this.keys.current || this.unsaved) return local;
    return this.callStore('take', () => store.take!(key, names, { ctx: this.port.ctx })).then(
      (taken) => {
        this.changes.forget(names);
        const claimed = new Map<string, unknown>();
        if (typeof taken !== 'object' || taken === null) return claimed;
        for (const name of names) if (Object.hasOwn(taken, name)) claimed.set(name, (taken as SessionData)[name]);
        return claimed;
      },
      (err: unknown) => {
        if (this.opts.onStoreError === 'fail') throw err;
        this.port.emit('session:error', {
          key,
          value: undefined,
          ctx: this.port.ctx,
          reason: 'store-take',
          errors: err,
        });
        return local;
      },
    );
  }

  // ---- commit ----

  /**
   * Commits a change or removal: the engine behind auto-commit, `save()`, `regenerate()`,
   * `manuallyCommit()`. Commits run one after another, so a `save()` the handler did not await
   * has finished (and written its cookie) before the auto-commit decides, instead of racing it and
   * setting headers after the response was sent.
   */
  commit(options: CommitOptions = {}): Promise<void> {
    this.pendingCommits++;
    const settle = (): void => {
      this.pendingCommits--;
    };
    const run = (this.commitQueue ?? SETTLED).then(() => this.commitNow(options));
    this.commitQueue = run.then(settle, settle);
    return run;
  }

  /**
   * The middleware's auto-commit. With no commit queued it runs inline, and in cookie mode without
   * a `beforeSave` hook it completes synchronously (`undefined`): no promise chain on the hot path.
   * Otherwise it queues behind the pending ones, as {@link commit}. May throw synchronously.
   */
  autoCommit(): void | Promise<void> {
    return this.pendingCommits === 0 ? this.commitNow(NO_OPTIONS) : this.commit();
  }

  /** One commit; synchronous (returns `undefined`) unless a store or the `beforeSave` hook is involved. */
  private commitNow({
    save = false,
    regenerate = false,
    restartAbsolute = false,
  }: CommitOptions): void | Promise<void> {
    const session = this.session;
    if (session === undefined) return;
    // A removal is attempted even when the store failed to load: a logout must not look done when it is not.
    if (session === null) return this.remove();
    if (this.unsaved) return;
    if (regenerate) {
      // Fixation defence: the new record is written before the old one is destroyed.
      if (this.store) this.keys.retire();
      // The absolute clock survives a rotation (else periodic rotation would lift the limit);
      // a fresh login restarts it explicitly.
      if (restartAbsolute) this.created = undefined;
      this.changes.forgetRecord();
    }
    const data = session.toJSON();
    const json = JSON.stringify(data);
    const reason: SaveReason | null =
      save || regenerate || session._requireSave ? 'force' : this.saveReason(session, json);
    if (DEBUG) debug('commit: %s', reason ? `save (${reason})` : 'nothing to save');
    if (!reason) return this.destroyStaleIfAny();
    if (this.opts.beforeSave) return this.saveAfterHook(session, reason);
    const saving = this.save(session, reason, data, json);
    return saving ? saving.then(() => this.destroyStaleIfAny()) : this.destroyStaleIfAny();
  }

  private async saveAfterHook(session: Session, reason: SaveReason): Promise<void> {
    await this.opts.beforeSave!(this.port.ctx, session as SessionData);
    // The hook may have changed the session.
    const data = session.toJSON();
    await this.save(session, reason, data, JSON.stringify(data));
    await this.destroyStaleIfAny();
  }

  private saveReason(session: Session, json: string): SaveReason | null {
    // 'skip' includes: already written in this request (save(), manuallyCommit()), where
    // koa-session would write again.
    const change = this.changes.compare(json);
    if (change !== 'unchanged') return change === 'changed' ? 'changed' : null;
    if (this.rolling) return 'rolling';
    const maxAge = this.maxAge;
    if (
      this.renew &&
      session._expire &&
      typeof maxAge === 'number' &&
      maxAge &&
      session._expire - this.port.now() < maxAge / 2
    ) {
      return 'renew';
    }
    return null;
  }

  /**
   * Writes `data` (the session's toJSON(), whose JSON is `json`) to the cookie and/or the store;
   * synchronous in cookie mode.
   */
  private save(session: Session, reason: SaveReason, data: SessionData, json: string): void | Promise<void> {
    const { opts, port } = this;
    const now = port.now();
    // Object.assign, not a spread: the bookkeeping fields are added next (see cookieAttributes).
    const payload: SessionPayload = Object.assign({}, data);
    const maxAge = this.maxAge;
    let ttl: MaxAge;
    let cookieMaxAge: number | undefined;
    if (maxAge === 'session') {
      payload._session = true;
      ttl = 'session';
    } else {
      const ms = maxAge || ONE_DAY;
      payload._expire = now + ms;
      payload._maxAge = ms;
      // koa-session: "ensure store expired after cookie".
      ttl = ms + 10_000;
      cookieMaxAge = maxAge || undefined;
    }
    if (opts.absoluteTimeout !== undefined) payload._created = this.created ??= now;
    if (this.store) {
      return this.saveToStore(payload, data, ttl, reason).then(() => {
        const key = this.keys.current!;
        if (opts.externalKey) opts.externalKey.set(port.ctx, key);
        else this.writeCookie(key, cookieMaxAge, now);
        this.saved(session, payload, json);
      });
    }
    this.writeCookie(encodePayload(payload, json, opts.encode), cookieMaxAge, now);
    this.saved(session, payload, json);
  }

  /** The bookkeeping after a write: the new expiry and the baseline of the next change check. */
  private saved(session: Session, payload: SessionPayload, json: string): void {
    session._expire = payload._expire;
    session._requireSave = false;
    this.changes.saved(json);
  }

  private async saveToStore(
    payload: SessionPayload,
    data: SessionData,
    ttl: MaxAge,
    reason: SaveReason,
  ): Promise<void> {
    const store = this.store!;
    const keys = this.keys;
    const key = (keys.current ??= await newKey(this.port.ctx, this.opts));
    const options = { changed: reason === 'changed', rolling: this.rolling, ctx: this.port.ctx };
    const existing = keys.persisted === key;
    // A move to a new id (regenerate, null-then-object): conditional on the old record, when the
    // store can (`rename`), so that a logout landing meanwhile wins.
    const from = !existing && store.rename ? keys.moveSource : undefined;
    try {
      if (from === undefined) {
        const loaded = existing ? this.changes.keys : undefined;
        await writeToStore({ store, key, payload, data, loaded, ttl, options, limits: this.opts });
      } else if (await this.callStore('rename', () => store.rename!(from, key, payload, ttl, options))) {
        keys.moved(); // the store deleted it
      } else {
        return await this.revoked(from);
      }
    } catch (err) {
      if (this.opts.onStoreError === 'fail' || err instanceof SessionRevokedError) throw err;
      this.port.emit('session:error', { key, value: payload, ctx: this.port.ctx, reason: 'store-set', errors: err });
      return;
    }
    keys.persisted = key;
    this.changes.written(data);
  }

  /**
   * The old record was gone when the session moved to its new id: it was revoked (logout, log out
   * everywhere) or expired meanwhile. Nothing is restored: the session ends, the cookie is
   * cleared, and the request fails with a 401 (its handler assumed a live session).
   */
  private async revoked(from: string): Promise<never> {
    this.keys.drop(from);
    this.session = null;
    this.keys.current = undefined;
    this.port.emit('session:missed', { key: from, value: undefined, ctx: this.port.ctx, reason: 'revoked' });
    await this.destroyStale().catch(() => undefined); // older ids of this request, if any
    this.clearCookie();
    const err = new SessionRevokedError();
    err.headers = { 'set-cookie': this.port.outgoingCookies() };
    throw err;
  }

  /** Clears the cookie, after destroying the store record (store mode). */
  private remove(): void | Promise<void> {
    if (!this.store) return this.clearCookie();
    this.keys.retire();
    return this.destroyStale().then(() => this.clearCookie());
  }

  private clearCookie(): void {
    this.port.jar.set(this.key, '', this.cookieOptions(undefined));
  }

  private destroyStaleIfAny(): Promise<void> | undefined {
    return this.keys.stale.length > 0 ? this.destroyStale() : undefined;
  }

  private destroyStale(): Promise<void> {
    return this.keys.destroyStale((key) =>
      this.callStore('destroy', () => this.store!.destroy(key, { ctx: this.port.ctx })),
    );
  }

  /**
   * "Log out everywhere": destroys every session of one user through the store's `destroyAllOf`
   * capability, within `storeTimeout`. Returns what the store returns (RedisStore and MemoryStore:
   * the number of sessions destroyed).
   *
   * @throws SessionConfigError when there is no store or it lacks the capability;
   *   SessionStoreError when the store fails.
   */
  async destroyAllOf(userId: string | number): Promise<unknown> {
    return destroyAllOf(this.store, String(userId), this.port.ctx, this.opts);
  }

  private writeCookie(plain: string, maxAge: number | undefined, now: number): void {
    const { opts } = this;
    const value = opts.sealer ? opts.sealer.seal(plain) : plain;
    const attrs = this.cookieOptions(maxAge);
    const key = this.key;
    checkCookieSize(opts, key, value, attrs, now);
    this.port.jar.set(key, value, attrs);
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
