import type { MaxAge, SessionPatch, SessionPayload, SessionStore } from '../core/types';

/** Options of {@link MemoryStore}. */
export interface MemoryStoreOptions {
  /** Most sessions kept; past it, expired entries are swept, then the oldest are evicted. @default 10_000 */
  maxEntries?: number;
  /** TTL in ms for browser-session cookies (koa-session hands stores the TTL `'session'`). @default 86_400_000 */
  sessionTtl?: number;
  /** Clock, for tests. @default Date.now */
  now?: () => number;
}

interface Entry {
  json: string;
  expires: number;
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

  constructor(options: MemoryStoreOptions = {}) {
    this.maxEntries = options.maxEntries ?? 10_000;
    this.sessionTtl = options.sessionTtl ?? 86_400_000;
    this.now = options.now ?? Date.now;
    if (!Number.isInteger(this.maxEntries) || this.maxEntries < 1) {
      throw new RangeError(`koa-typed-session: MemoryStore maxEntries must be a positive integer, got ${String(options.maxEntries)}.`);
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
      this.entries.delete(key);
      return undefined;
    }
    return entry;
  }

  get(key: string): SessionPayload | undefined {
    const entry = this.live(key);
    return entry ? (JSON.parse(entry.json) as SessionPayload) : undefined;
  }

  set(key: string, sess: SessionPayload, maxAge: MaxAge): void {
    this.entries.delete(key); // re-insert at the end: eviction order is least recently written
    this.entries.set(key, { json: JSON.stringify(sess), expires: this.now() + this.ttl(maxAge) });
    if (this.entries.size > this.maxEntries) this.evict();
  }

  /** Merges the changed keys into the stored record (no lost updates between parallel requests). */
  patch(key: string, patch: SessionPatch, maxAge: MaxAge): void {
    const entry = this.live(key);
    const record = entry ? (JSON.parse(entry.json) as SessionPayload) : {};
    for (const name of patch.unset) delete record[name];
    Object.assign(record, patch.set);
    this.set(key, record, maxAge);
  }

  /** Extends the TTL and the record's bookkeeping fields without rewriting the data. */
  touch(key: string, patch: SessionPatch, maxAge: MaxAge): void {
    if (this.live(key)) this.patch(key, patch, maxAge);
  }

  destroy(key: string): void {
    this.entries.delete(key);
  }

  /** Removes every entry. */
  clear(): void {
    this.entries.clear();
  }

  private evict(): void {
    const now = this.now();
    for (const [key, entry] of this.entries) if (entry.expires <= now) this.entries.delete(key);
    for (const key of this.entries.keys()) {
      if (this.entries.size <= this.maxEntries) break;
      this.entries.delete(key);
    }
  }
}
