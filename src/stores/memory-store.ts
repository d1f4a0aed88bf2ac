import { checkOptionNames, failFor, type Fail } from '../core/option-checks';
import type { MaxAge, SessionPatch, SessionPayload, SessionStore } from '../core/types';
import { requireUserField, userIdOf } from './user-id';

/** Options of {@link MemoryStore}. */
export interface MemoryStoreOptions {
  /** Most sessions kept; past it, the least recently used is evicted (see MemoryStore). @default 10_000 */
  maxEntries?: number;
  /** TTL in ms for browser-session cookies (koa-session hands stores the TTL `'session'`). @default 86_400_000 */
  sessionTtl?: number;
  /** Clock, for tests. @default Date.now */
  now?: () => number;
  /** The session field holding the user id: enables `destroyAllOf(userId)` ("log out everywhere"). */
  userField?: string;
}

const OPTION_NAMES: ReadonlySet<string> = new Set(['maxEntries', 'sessionTtl', 'now', 'userField']);

/** `koa-typed-session: option \`<option>\` of MemoryStore <problem>. <fix>`, in the library's error hierarchy. */
const configError: Fail = failFor({ problemPrefix: 'of MemoryStore ' });

/** Entries examined for expiry per new session: the incremental sweep (amortised O(1) per write). */
const SWEEP_STEP = 8;

interface Entry {
  json: string;
  expires: number;
  /** The user id (see `userField`), when the record has one. */
  user: string | undefined;
}

/**
 * An in-process store for development and tests. Honours the TTL it is given, keeps values as JSON
 * (so data that would not survive a real store fails here too), and is bounded: a flood of new
 * sessions evicts the oldest instead of exhausting memory. Not shared between processes: use
 * RedisStore for several servers.
 *
 * @example
 * ```ts
 * app.use(session({ store: new MemoryStore({ maxEntries: 50_000 }) }, app));
 * ```
 */
export class MemoryStore implements SessionStore {
  private readonly entries = new Map<string, Entry>();
  private readonly maxEntries: number;
  private readonly sessionTtl: number;
  private readonly now: () => number;
  private readonly userField: string | undefined;
  /** user id -> keys of that user's sessions (only with `userField`). */
  private readonly users = new Map<string, Set<string>>();
  /** Where the incremental sweep of expired entries resumes (a live Map iterator). */
  private sweep: Iterator<[string, Entry]> | undefined;
  /**
   * The least recently used end of the Map. Kept across calls: a fresh iterator would step over
   * every slot deleted at the front since V8 last compacted the table (O(n) per eviction).
   */
  private oldest: Iterator<string> | undefined;

  /** @throws SessionConfigError for invalid options (an unknown name, a bad value). */
  constructor(options: MemoryStoreOptions = {}) {
    if (typeof options !== 'object' || options === null) {
      configError(
        'options',
        `must be an object, got ${String(options)}`,
        'For example `new MemoryStore({ maxEntries: 50_000 })`.',
      );
    }
    checkOptionNames(options, OPTION_NAMES, { fail: configError, fix: (known) => `Use one of: ${known.join(', ')}.` });
    this.maxEntries = options.maxEntries ?? 10_000;
    this.sessionTtl = options.sessionTtl ?? 86_400_000;
    this.now = options.now ?? Date.now;
    this.userField = options.userField;
    if (!Number.isInteger(this.maxEntries) || this.maxEntries < 1) {
      configError(
        'maxEntries',
        `must be a positive integer, got ${String(options.maxEntries)}`,
        'For example `maxEntries: 10_000`.',
      );
    }
    if (typeof this.sessionTtl !== 'number' || !Number.isFinite(this.sessionTtl) || this.sessionTtl <= 0) {
      configError(
        'sessionTtl',
        `must be a positive number of milliseconds, got ${String(options.sessionTtl)}`,
        'For example `sessionTtl: 86_400_000` (one day).',
      );
    }
    if (typeof this.now !== 'function')
      configError('now', `must be a function, got ${String(options.now)}`, 'Remove it to use `Date.now`.');
    if (this.userField !== undefined && (typeof this.userField !== 'string' || this.userField === '')) {
      configError(
        'userField',
        `must be a non-empty string, got ${String(options.userField)}`,
        "For example `userField: 'userId'`.",
      );
    }
  }

  /** Number of live entries (expired ones may linger until the next sweep). */
  get size(): number {
    return this.entries.size;
  }

  private ttl(maxAge: MaxAge | undefined): number {
    return typeof maxAge === 'number' && maxAge > 0 ? maxAge : this.sessionTtl;
  }

  private live(key: string): Entry | undefined {
    const entry = this.entries.get(key);
    if (entry && entry.expires <= this.now()) {
      this.remove(key);
      return undefined;
    }
    return entry;
  }

  get(key: string): SessionPayload | undefined {
    const entry = this.live(key);
    if (!entry) return undefined;
    // A use: move to the end of the Map, which is the eviction order (least recently used first).
    this.entries.delete(key);
    this.entries.set(key, entry);
    return JSON.parse(entry.json) as SessionPayload;
  }

  set(key: string, sess: SessionPayload, maxAge: MaxAge): void {
    const isNew = !this.entries.has(key);
    this.remove(key); // re-insert at the end: eviction order is least recently used
    const user = this.userField === undefined ? undefined : userIdOf(sess[this.userField]);
    this.entries.set(key, { json: JSON.stringify(sess), expires: this.now() + this.ttl(maxAge), user });
    if (user !== undefined) {
      let keys = this.users.get(user);
      if (!keys) this.users.set(user, (keys = new Set()));
      keys.add(key);
    }
    if (isNew) this.sweepSome();
    while (this.entries.size > this.maxEntries) this.evictOldest();
  }

  /**
   * Merges the changed keys into the stored record (no lost updates between parallel requests:
   * the merge is synchronous, so atomic). Returns `false` and writes nothing when the record is
   * gone: a session destroyed meanwhile must not come back as a fragment.
   */
  patch(key: string, patch: SessionPatch, maxAge: MaxAge): boolean {
    const entry = this.live(key);
    if (!entry) return false;
    const record = JSON.parse(entry.json) as SessionPayload;
    for (const name of patch.unset) delete record[name];
    Object.assign(record, patch.set);
    // Round-trip the merged record through JSON, as `set` does: `undefined` values disappear.
    this.set(key, record, maxAge);
    return true;
  }

  /** Extends the TTL and the record's bookkeeping fields without rewriting the data. `false` when gone. */
  touch(key: string, patch: SessionPatch, maxAge: MaxAge): boolean {
    return this.patch(key, patch, maxAge);
  }

  /**
   * Removes the named keys from the record and returns the ones it held, atomically (synchronous);
   * the TTL is unchanged. `false` when the record is gone.
   */
  take(key: string, names: readonly string[]): Record<string, unknown> | false {
    const entry = this.live(key);
    if (!entry) return false;
    const record = JSON.parse(entry.json) as SessionPayload;
    const taken: Record<string, unknown> = {};
    for (const name of names) {
      if (!Object.hasOwn(record, name)) continue;
      taken[name] = record[name];
      delete record[name];
    }
    if (Object.keys(taken).length > 0) entry.json = JSON.stringify(record);
    return taken;
  }

  destroy(key: string): void {
    this.remove(key);
  }

  /**
   * Moves a session to a new id: writes `sess` under `newKey` and deletes `oldKey`, only if
   * `oldKey` is still there. Synchronous, so atomic with respect to `destroy` and `destroyAllOf`:
   * a session revoked before the move is not restored (`false`), one revoked after it is revoked
   * under its new id.
   */
  rename(oldKey: string, newKey: string, sess: SessionPayload, maxAge: MaxAge): boolean {
    if (!this.live(oldKey)) return false;
    this.set(newKey, sess, maxAge);
    this.remove(oldKey);
    return true;
  }

  /**
   * "Log out everywhere": destroys every session whose `userField` is `userId`; returns how many.
   * @throws SessionConfigError when the store was created without `userField`.
   */
  destroyAllOf(userId: string | number): number {
    requireUserField('MemoryStore', this.userField);
    const user = userIdOf(userId);
    const keys = user === undefined ? undefined : this.users.get(user);
    if (!keys) return 0;
    let count = 0;
    for (const key of [...keys]) {
      if (this.live(key)) count++;
      this.remove(key);
    }
    return count;
  }

  /** Removes every entry. */
  clear(): void {
    this.entries.clear();
    this.users.clear();
    this.sweep = undefined;
    this.oldest = undefined;
  }

  private remove(key: string): void {
    const entry = this.entries.get(key);
    if (!entry) return;
    this.entries.delete(key);
    if (entry.user === undefined) return;
    const keys = this.users.get(entry.user);
    keys?.delete(key);
    if (keys?.size === 0) this.users.delete(entry.user);
  }

  /** Evicts the least recently used entry (the first of the Map: uses move entries to the end). */
  private evictOldest(): void {
    let step = (this.oldest ??= this.entries.keys()).next();
    if (step.done) step = (this.oldest = this.entries.keys()).next();
    if (!step.done) this.remove(step.value);
  }

  /**
   * Examines the next {@link SWEEP_STEP} entries of a rolling sweep (wrapping around at the end) and
   * drops the expired ones. A live Map iterator survives deletions and sees later insertions, so
   * the sweep never restarts from scratch and never walks the whole map in one call.
   */
  private sweepSome(): void {
    const now = this.now();
    let restarted = false;
    for (let i = 0; i < SWEEP_STEP; i++) {
      let step = (this.sweep ??= this.entries.entries()).next();
      if (step.done) {
        if (restarted) return; // the map is smaller than one step
        restarted = true;
        this.sweep = this.entries.entries();
        step = this.sweep.next();
        if (step.done) return;
      }
      const [key, entry] = step.value;
      if (entry.expires <= now) this.remove(key);
    }
  }
}
