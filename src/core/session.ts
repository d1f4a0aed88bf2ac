import { inspect } from 'node:util';
import { isPersistedKey, isShadowingKey } from './keys';
import type { MaxAge, SessionData, SessionPayload } from './types';

/** What a {@link Session} needs from the request's lifecycle. */
export interface SessionHost {
  /** The session's lifetime. */
  maxAge: MaxAge | undefined;
  /** The current store key (store mode). */
  readonly externalKey: string | undefined;
  /** Takes the lifetime a loaded payload carries (its `_maxAge`, or `'session'`). */
  adoptMaxAge(value: MaxAge | undefined): void;
  /** Runs a commit with the given options. */
  commit(options?: CommitOptions): Promise<void>;
}

/** Options of {@link Session.commit}. */
export interface CommitOptions {
  /** Save even when nothing changed. */
  save?: boolean;
  /** Destroy the old session and save the data under a new id. */
  regenerate?: boolean;
  /** With `regenerate`: start a new absolute clock (`absoluteTimeout`), as at a fresh login. */
  restartAbsolute?: boolean;
}

/** Options of {@link Session.regenerate} (ours; koa-session's `regenerate()` takes none). */
export interface SessionRegenerateOptions {
  /**
   * Start a new absolute clock (`absoluteTimeout`), as a fresh login does. By default the clock
   * survives the rotation, so rotating ids periodically never extends a session. @default false
   */
  restartAbsolute?: boolean;
}

type Callback = (err?: unknown) => void;

/**
 * Makes the next commit save the session even if no data changed (what setting `maxAge` does),
 * so its expiry moves forward: the engine call behind `SessionService.touch()`.
 */
export function requireSave(session: Session): void {
  session._requireSave = true;
}

/**
 * `ctx.session`: the session's data as own properties, plus koa-session's API on the prototype.
 * Keys starting with `_`, `isNew` and function values are never persisted (as in koa-session), nor
 * the reserved names: `Object.prototype`'s (`toString`, `valueOf`, `hasOwnProperty`...) and the
 * session API's (`save`, `regenerate`, `commit`, `manuallyCommit`, `toJSON`).
 *
 * @example
 * ```ts
 * ctx.session!.views = (ctx.session!.views ?? 0) + 1;
 * await ctx.session!.regenerate(); // new id, same data
 * ```
 */
export class Session {
  #host: SessionHost;
  /** True when the session was created without data (first visit, or a rejected cookie). */
  isNew = false;
  /** Set by the `maxAge` setter: the next commit saves whatever changed. */
  _requireSave = false;
  /** Expiry (epoch ms) of the loaded payload. */
  _expire?: number;

  constructor(host: SessionHost, data?: SessionPayload) {
    this.#host = host;
    if (!data) {
      this.isNew = true;
      return;
    }
    for (const key of Object.keys(data)) {
      if (key === '_maxAge') host.adoptMaxAge(data._maxAge);
      else if (key === '_session') host.adoptMaxAge('session');
      // A `__proto__` key would replace this object's prototype, and a key named after a method
      // would shadow the API (a crafted `toJSON: 1` would break every commit): never copy them.
      else if (!isShadowingKey(key)) Reflect.set(this, key, data[key]);
    }
  }

  /** The persisted data: own keys except `isNew`, `_`-prefixed keys and functions. */
  toJSON(): SessionData {
    const out: SessionData = {};
    for (const key of Object.keys(this)) {
      // A reserved name assigned by the app shadows the method for this request only.
      if (!isPersistedKey(key)) continue;
      const value: unknown = (this as SessionData)[key];
      if (typeof value !== 'function') out[key] = value;
    }
    return out;
  }

  /** What `console.log(ctx.session)` shows: the persisted data. */
  [inspect.custom](): SessionData {
    return this.toJSON();
  }

  /** Number of persisted keys. */
  get length(): number {
    return Object.keys(this.toJSON()).length;
  }

  /** True when the session holds any data. */
  get populated(): boolean {
    return this.length > 0;
  }

  /** This session's lifetime (ms or `'session'`); setting it forces a save and persists with the session. */
  get maxAge(): MaxAge | undefined {
    return this.#host.maxAge;
  }

  /** Sets this session's lifetime; the next commit saves, and the lifetime persists with the session. */
  set maxAge(value: MaxAge | undefined) {
    this.#host.maxAge = value;
    this._requireSave = true;
  }

  /** The store key (store mode), current even after `regenerate()`; `undefined` in cookie mode. */
  get externalKey(): string | undefined {
    return this.#host.externalKey;
  }

  /** Saves now, even if nothing changed. With a callback, returns nothing (koa-passport style). */
  save(): Promise<void>;
  save(callback: Callback): undefined;
  save(callback?: Callback): Promise<void> | undefined {
    return this.commit({ save: true }, callback);
  }

  /**
   * Destroys the old session and saves the same data under a new id (fixation defence). The
   * absolute clock (`absoluteTimeout`) carries over unless `restartAbsolute` is set. With a store
   * that can `rename`, the move happens only if the old record still exists (see SessionStore.rename).
   */
  regenerate(options?: SessionRegenerateOptions): Promise<void>;
  regenerate(callback: Callback): undefined;
  regenerate(options: SessionRegenerateOptions, callback: Callback): undefined;
  regenerate(options?: SessionRegenerateOptions | Callback, callback?: Callback): Promise<void> | undefined {
    if (typeof options === 'function') return this.commit({ regenerate: true }, options);
    return this.commit({ regenerate: true, restartAbsolute: options?.restartAbsolute === true }, callback);
  }

  /** Runs the normal commit now (for `autoCommit: false`). */
  manuallyCommit(): Promise<void> {
    return this.#host.commit();
  }

  /** Commits with the given options; the promise-or-callback form of koa-session. */
  commit(options?: CommitOptions): Promise<void>;
  commit(options: CommitOptions | Callback | undefined, callback?: Callback): Promise<void> | undefined;
  commit(options?: CommitOptions | Callback, callback?: Callback): Promise<void> | undefined {
    if (typeof options === 'function') {
      callback = options;
      options = {};
    }
    const promise = this.#host.commit(options);
    if (!callback) return promise;
    const done = callback;
    promise.then(() => done(), done);
    return undefined;
  }
}
