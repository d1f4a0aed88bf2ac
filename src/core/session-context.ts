import { checkCookieSize } from './cookie-writer';
import { SessionRevokedError } from './errors';
import { ONE_DAY } from './options';
import { encodePayload } from './payload';
import type { CommitOptions, Session } from './session';
import { SessionLoader } from './session-loader';
import { destroyAllOf, writeToStore } from './store-call';
import type { MaxAge, SaveReason, SessionData, SessionPayload } from './types';

export type { RequestPort } from './session-loader';

const NO_OPTIONS: CommitOptions = {};
const SETTLED = Promise.resolve();

/**
 * One request's session lifecycle: {@link SessionLoader} loads and hands out `ctx.session`; this
 * class decides whether and why to save, and commits to the cookie and/or the store.
 */
export class SessionContext<Ctx> extends SessionLoader<Ctx> {
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
    const key = (keys.current ??= await this.newKey());
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
    this.port.jar.set(this.key, '', this.cookieAttributes(undefined), this.signed);
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
    const attrs = this.cookieAttributes(maxAge);
    const key = this.key;
    checkCookieSize(opts, key, value, attrs, now);
    this.port.jar.set(key, value, attrs, this.signed);
  }
}
