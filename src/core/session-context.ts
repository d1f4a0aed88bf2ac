import { MAX_COOKIE_BYTES } from './cookie-format';
import { checkCookieSize, cookieAttributes } from './cookie-writer';
import { SessionStateError } from './errors';
import { ONE_DAY, type NormalizedOptions } from './options';
import { encodePayload, isCanonicalCookie, rejection, snapshot } from './payload';
import { Session, type CommitOptions, type SessionHost } from './session';
import { callStore, destroyAllOf, isThenable, writeToStore, type StoreOperation } from './store-call';
import type {
  CookieAttributes,
  CookieJar,
  MaxAge,
  SaveReason,
  SessionData,
  SessionEvent,
  SessionPayload,
  SessionStore,
} from './types';

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

const NO_OPTIONS: CommitOptions = {};
const SETTLED = Promise.resolve();

/**
 * One request's session lifecycle: load (lazily in cookie mode, eagerly with a store), hand out
 * `ctx.session`, decide whether and why to save, and commit to the cookie and/or the store.
 */
export class SessionContext<Ctx> implements SessionHost {
  /** `undefined`: not loaded yet; `null`: removed by `ctx.session = null`. */
  private session: Session | null | undefined;
  private readonly store: SessionStore<Ctx> | undefined;
  /** JSON of the data as loaded or last saved; `undefined` for a new session. */
  private prevJson: string | undefined;
  /** Per-key JSON as loaded, for stores that merge changes (`patch`). */
  private prevValues: Map<string, string> | undefined;
  /** The store key this session exists under in the store, if any. */
  private persistedKey: string | undefined;
  /** Old keys to destroy once the new record is written (regenerate, null-then-object). */
  private staleKeys: string[] = [];
  private created: number | undefined;
  private savedOnce = false;
  /** Set when the store failed and `onStoreError: 'continue'`: the session is never saved. */
  private unsaved = false;
  private preloaded = false;
  /** The last commit queued: commits are serialised (see {@link commit}). */
  private commitQueue: Promise<void> | undefined;
  /** Commits queued and not settled yet: while there are none, the auto-commit runs inline. */
  private pendingCommits = 0;
  /** The cookie was opened by an older `encrypt` key: it is re-sealed on this request's commit. */
  private sealedByOldKey = false;
  private currentMaxAge: MaxAge | undefined;
  private optionsView: Record<string, unknown> | undefined;
  /** The current store key (store mode). */
  externalKey: string | undefined;

  constructor(
    private readonly port: RequestPort<Ctx>,
    private readonly opts: NormalizedOptions<Ctx>,
  ) {
    this.store = opts.ContextStore ? new opts.ContextStore(port.ctx) : opts.store;
    this.currentMaxAge = opts.maxAge;
  }

  // ---- SessionHost ----

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
    if (this.session === null && this.store) {
      // koa-session would save the new data under the old id (a fixation risk): take a new one.
      this.retireKey();
    }
    this.session = new Session(this, value as SessionPayload);
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
    let data: unknown;
    try {
      data = await this.callStore('get', () =>
        this.store!.get(key, this.currentMaxAge, { rolling: this.opts.rolling, ctx: this.port.ctx }),
      );
    } catch (err) {
      if (this.opts.onStoreError === 'fail') throw err;
      this.port.emit('session:error', { key, value: undefined, ctx: this.port.ctx, reason: 'store-get', errors: err });
      this.unsaved = true;
      await this.createFresh();
      // The record may still exist: a logout (`ctx.session = null`) must still destroy it.
      this.persistedKey = key;
      return;
    }
    if (!(await this.accept(data, key))) {
      await this.createFresh();
      return;
    }
    this.create(data as SessionPayload);
    this.externalKey = key;
    this.persistedKey = key;
  }

  // ---- loading ----

  private loadFromCookie(): Session | Promise<Session> {
    const { opts, port } = this;
    const value = this.readCookie();
    if (!value) return this.create();
    let data: unknown;
    try {
      data = opts.decode(value);
    } catch (err) {
      if (!opts.defaultCodec && err instanceof Error && !(err instanceof SyntaxError)) {
        // koa-session: a custom decoder's own error clears the cookie and propagates (500).
        port.jar.set(opts.key, '', this.cookieAttributes(undefined), opts.signed);
        Reflect.set(err, 'headers', { 'set-cookie': port.outgoingCookies() });
        throw err;
      }
      this.reject('invalid', undefined, value, 'malformed');
      return this.create();
    }
    if (!opts.signed && !opts.sealer && opts.defaultCodec && !isCanonicalCookie(value, data, opts)) {
      this.reject('invalid', undefined, value, 'malformed');
      return this.create();
    }
    const verdict = this.accept(data, undefined);
    if (isThenable(verdict)) return verdict.then((ok) => (ok ? this.create(data as SessionPayload) : this.create()));
    return verdict ? this.create(data as SessionPayload) : this.create();
  }

  /** Expiry and validity checks of loaded data; emits the koa-session events on rejection. */
  private accept(data: unknown, key: string | undefined): boolean | Promise<boolean> {
    const rejected = rejection(data, this.store !== undefined, this.port.now(), this.opts.absoluteTimeout);
    if (rejected) return this.reject(rejected.kind, key, data, rejected.reason);
    const valid = this.opts.valid;
    if (!valid) return true;
    const verdict = valid(this.port.ctx, data as SessionPayload);
    const judge = (ok: unknown): boolean => (ok ? true : this.reject('invalid', key, data, 'valid-hook'));
    return isThenable(verdict) ? Promise.resolve(verdict).then(judge) : judge(verdict);
  }

  private reject(
    kind: 'missed' | 'expired' | 'invalid',
    key: string | undefined,
    value: unknown,
    reason: string,
  ): false {
    this.port.emit(`session:${kind}`, { key, value, ctx: this.port.ctx, reason });
    return false;
  }

  /** The cookie's value: signature checked, opened when encrypted. `undefined`: no usable cookie. */
  private readCookie(): string | undefined {
    const { opts } = this;
    const value = this.port.jar.get(opts.key, opts.signed, (reason) =>
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

  private create(data?: SessionPayload): Session {
    const session = new Session(this, data);
    this.session = session;
    // Re-seal with the newest key now rather than at the next change: an old key can then be
    // dropped once every active session has made one request.
    if (data && this.sealedByOldKey) session._requireSave = true;
    if (data) {
      this.prevJson = JSON.stringify(session.toJSON());
      this.created = typeof data._created === 'number' ? data._created : undefined;
      if (this.store?.patch || this.store?.touch) this.prevValues = snapshot(session.toJSON());
    }
    return session;
  }

  private async createFresh(): Promise<void> {
    this.create();
    if (this.store) this.externalKey = await this.newKey();
  }

  private async newKey(): Promise<string> {
    const id: unknown = await this.opts.genid(this.port.ctx);
    if (typeof id !== 'string' || id === '') {
      throw new SessionStateError(`genid must return a non-empty string, got ${typeof id}. Fix the \`genid\` option.`);
    }
    return id;
  }

  /** Forgets the current store key: it is destroyed after the next write, and a new one is generated. */
  private retireKey(): void {
    if (this.persistedKey) this.staleKeys.push(this.persistedKey);
    this.persistedKey = undefined;
    this.externalKey = undefined;
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
  private commitNow({ save = false, regenerate = false }: CommitOptions): void | Promise<void> {
    const session = this.session;
    if (session === undefined) return;
    // A removal is attempted even when the store failed to load: a logout must not look done when it is not.
    if (session === null) return this.remove();
    if (this.unsaved) return;
    if (regenerate) {
      // Fixation defence: the new record is written before the old one is destroyed.
      if (this.store) this.retireKey();
      this.created = undefined;
      this.prevValues = undefined;
    }
    const data = session.toJSON();
    const json = JSON.stringify(data);
    const reason: SaveReason | null =
      save || regenerate || session._requireSave ? 'force' : this.saveReason(session, json);
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
    if (this.prevJson === undefined && json === '{}') return null;
    if (json !== this.prevJson) return 'changed';
    // Already written in this request (save(), manuallyCommit()): koa-session would write again.
    if (this.savedOnce) return null;
    if (this.opts.rolling) return 'rolling';
    const maxAge = this.maxAge;
    if (
      this.opts.renew &&
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
        const key = this.externalKey!;
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
    this.prevJson = json;
    this.savedOnce = true;
  }

  private async saveToStore(
    payload: SessionPayload,
    data: SessionData,
    ttl: MaxAge,
    reason: SaveReason,
  ): Promise<void> {
    const store = this.store!;
    const key = (this.externalKey ??= await this.newKey());
    const options = { changed: reason === 'changed', rolling: this.opts.rolling, ctx: this.port.ctx };
    const existing = this.persistedKey === key;
    try {
      await writeToStore(store, key, payload, data, existing ? this.prevValues : undefined, ttl, options, this.opts);
    } catch (err) {
      if (this.opts.onStoreError === 'fail') throw err;
      this.port.emit('session:error', { key, value: payload, ctx: this.port.ctx, reason: 'store-set', errors: err });
      return;
    }
    this.persistedKey = key;
    if (this.prevValues) this.prevValues = snapshot(data);
  }

  /** Clears the cookie, after destroying the store record (store mode). */
  private remove(): void | Promise<void> {
    if (!this.store) return this.clearCookie();
    this.retireKey();
    return this.destroyStale().then(() => this.clearCookie());
  }

  private clearCookie(): void {
    this.port.jar.set(this.opts.key, '', this.cookieAttributes(undefined), this.opts.signed);
  }

  private destroyStaleIfAny(): Promise<void> | undefined {
    return this.staleKeys.length > 0 ? this.destroyStale() : undefined;
  }

  private async destroyStale(): Promise<void> {
    while (this.staleKeys.length > 0) {
      const key = this.staleKeys[0]!;
      await this.callStore('destroy', () => this.store!.destroy(key, { ctx: this.port.ctx }));
      this.staleKeys.shift();
    }
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

  /** Runs one store call within `storeTimeout` (see {@link callStore}). */
  private callStore<T>(operation: StoreOperation, call: () => T): Promise<Awaited<T>> {
    return callStore(operation, call, this.opts);
  }

  // ---- cookies ----

  /** The cookie attributes for this request: the options (or this request's `ctx.sessionOptions`). */
  private cookieAttributes(maxAge: number | undefined): CookieAttributes {
    return cookieAttributes(this.opts, this.optionsView, this.port.isSecure(), maxAge);
  }

  private writeCookie(plain: string, maxAge: number | undefined, now: number): void {
    const { opts } = this;
    const value = opts.sealer ? opts.sealer.seal(plain) : plain;
    const attrs = this.cookieAttributes(maxAge);
    checkCookieSize(opts, value, attrs, now);
    this.port.jar.set(opts.key, value, attrs, opts.signed);
  }
}
