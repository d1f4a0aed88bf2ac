import { EventEmitter } from 'node:events';
import type { Cluster, Redis } from 'ioredis';
import { safeJsonParse } from '../core/codec';
import { SessionConfigError } from '../core/errors';
import type { MaxAge, SessionPatch, SessionPayload, SessionStore } from '../core/types';
import { resolveRedisStoreOptions, type RedisStoreOptions } from './redis-store-options';
import { userIdOf } from './user-id';
import { DESTROY_IF_OWNED_SCRIPT, DESTROY_SCRIPT, INDEX_SCRIPT, PATCH_SCRIPT } from './redis-scripts';

type ScriptArg = string | number;
type Script = (key: string, ...args: ScriptArg[]) => Promise<unknown>;

const SCRIPTS = {
  ktsSessionPatch: PATCH_SCRIPT,
  ktsSessionDestroy: DESTROY_SCRIPT,
  ktsSessionDestroyIfOwned: DESTROY_IF_OWNED_SCRIPT,
  ktsSessionIndex: INDEX_SCRIPT,
} as const;

/** A record as read: `null` when absent, `undefined` when it is not JSON (as koa-redis). */
function parseRecord(raw: string | null): SessionPayload | null | undefined {
  if (raw === null) return null;
  try {
    return safeJsonParse(raw) as SessionPayload;
  } catch {
    return undefined;
  }
}

/** Client events the store re-emits, as koa-redis does (`error` only when someone listens). */
const FORWARDED = ['connect', 'ready', 'close', 'reconnecting', 'end'] as const;

/**
 * A Redis session store on ioredis, for several servers sharing sessions.
 *
 * - Records are `JSON.stringify(payload)` under `prefix + id`, with a TTL (`PX`) of the session's
 *   maxAge: the koa-redis format, so records move between koa-session + koa-redis and this library
 *   in both directions (keep `prefix: ''`, koa-redis's layout).
 * - `patch` merges only the keys a request changed, atomically (a Lua script), so parallel requests
 *   of one session never erase each other's changes; `touch` extends the TTL and `_expire`.
 * - With `userField`, each user's sessions are indexed, and `destroyAllOf(userId)` logs a user out
 *   everywhere.
 * - Every command touches one key: it works unchanged on Redis Cluster.
 *
 * @example
 * ```ts
 * const store = new RedisStore({ url: process.env.REDIS_URL, userField: 'userId' });
 * app.use(session({ store, maxAge: 86_400_000 }, app));
 * ```
 */
export class RedisStore extends EventEmitter implements SessionStore {
  /** The ioredis client (standalone, Sentinel or Cluster). */
  readonly client: Redis | Cluster;
  /** The key prefix of session records. */
  readonly prefix: string;
  private readonly ownsClient: boolean;
  private readonly sessionTtl: number;
  private readonly userField: string | undefined;
  private readonly indexPrefix: string;
  private readonly readyTimeout: number;
  private readyWait: Promise<void> | undefined;
  /** The Lua commands, bound to the client once (not a bind per call). */
  private readonly scripts = {} as Record<keyof typeof SCRIPTS, Script>;

  /** @throws SessionConfigError for invalid options. */
  constructor(options?: RedisStoreOptions) {
    super();
    const resolved = resolveRedisStoreOptions(options);
    this.client = resolved.client;
    this.ownsClient = resolved.ownsClient;
    this.prefix = resolved.prefix;
    this.sessionTtl = resolved.sessionTtl;
    this.userField = resolved.userField;
    this.indexPrefix = resolved.indexPrefix;
    this.readyTimeout = resolved.readyTimeout;
    for (const [name, lua] of Object.entries(SCRIPTS) as Array<[keyof typeof SCRIPTS, string]>) {
      this.client.defineCommand(name, { numberOfKeys: 1, lua });
      const command = (this.client as unknown as Record<string, Script>)[name]!;
      this.scripts[name] = command.bind(this.client);
    }
    for (const name of FORWARDED) this.client.on(name, (...args: unknown[]) => this.emit(name, ...args));
    // Connection errors surface per request (a SessionStoreError); re-emit only to listeners, so an
    // unobserved outage never crashes the process with an unhandled 'error' event.
    this.client.on('error', (err: unknown) => {
      if (this.listenerCount('error') > 0) this.emit('error', err);
    });
  }

  /** The client's connection status (`'ready'` when usable), as koa-redis exposes it. */
  get status(): string {
    return this.client.status;
  }

  /** The session record, or `null` when absent; `undefined` when it is not JSON (as koa-redis). */
  get(sid: string): Promise<SessionPayload | null | undefined> {
    // A ready client (the usual case) is asked at once, without an async hop through ready().
    if (this.client.status !== 'ready') return (this.ready() ?? Promise.resolve()).then(() => this.get(sid));
    const key = this.key(sid);
    if (this.isIndexKey(key)) return Promise.resolve(null);
    // A key of another type (a list, the user index...) is not a session: absent, not a failure.
    return this.client.get(key).then(parseRecord, (err: unknown) => {
      if (err instanceof Error && err.message.startsWith('WRONGTYPE')) return null;
      throw err;
    });
  }

  /** Writes the whole record with a TTL (and indexes it under its user first, if any). */
  async set(sid: string, sess: SessionPayload, maxAge: MaxAge): Promise<void> {
    await this.ready();
    const key = this.key(sid);
    if (this.isIndexKey(key)) {
      throw new SessionConfigError(
        'genid',
        `returned a key that lies in RedisStore's user index namespace (${JSON.stringify(key)} starts with indexPrefix ${JSON.stringify(this.indexPrefix)})`,
        'Make genid return keys that do not start with it, or give RedisStore another `indexPrefix`.',
      );
    }
    const ttl = this.ttl(maxAge);
    const user = this.userField === undefined ? undefined : userIdOf(sess[this.userField]);
    // Index first: if the write then fails, the index only holds a key that does not exist.
    if (user !== undefined) await this.index(user, key, ttl);
    await this.client.set(key, JSON.stringify(sess), 'PX', ttl);
  }

  /**
   * Merges the changed keys into the stored record atomically, keeping every other value byte for
   * byte. Returns `false` (and writes nothing) when the record no longer exists.
   */
  async patch(sid: string, patch: SessionPatch, maxAge: MaxAge): Promise<boolean> {
    await this.ready();
    const key = this.key(sid);
    if (this.isIndexKey(key)) return false;
    const ttl = this.ttl(maxAge);
    const args: ScriptArg[] = [ttl, this.userField ?? ''];
    const triples: string[] = [];
    // Names to delete go as JSON, as the names to set do: the script matches names by their JSON
    // (a raw name with a lone surrogate would reach Redis as U+FFFD, another key's name).
    const unset = patch.unset.map((name) => JSON.stringify(name));
    for (const [name, value] of Object.entries(patch.set)) {
      const json = JSON.stringify(value);
      // `undefined` (or a function) is dropped by JSON.stringify: the same as deleting the key.
      if (json === undefined) unset.push(JSON.stringify(name));
      else triples.push(name, JSON.stringify(name), json);
    }
    args.push(triples.length / 3, ...triples, ...unset);
    let indexed: string | undefined;
    if (this.userField !== undefined && Object.prototype.hasOwnProperty.call(patch.set, this.userField)) {
      indexed = userIdOf(patch.set[this.userField]);
      if (indexed !== undefined) await this.index(indexed, key, ttl);
    }
    const result = (await this.script('ktsSessionPatch')(key, ...args)) as [string | null, string | null] | null;
    if (result === null) return false;
    const user = result[1] ?? undefined;
    // Keep the user's index alive as long as this session: its expiry moved with this write.
    if (user !== undefined && user !== indexed) await this.index(user, key, ttl);
    return true;
  }

  /** Extends the TTL and updates `_expire`/`_maxAge` without touching the data. `false` when gone. */
  touch(sid: string, patch: SessionPatch, maxAge: MaxAge): Promise<boolean> {
    return this.patch(sid, patch, maxAge);
  }

  /** Deletes the record and removes it from its user's index. */
  async destroy(sid: string): Promise<void> {
    await this.ready();
    const key = this.key(sid);
    if (this.isIndexKey(key)) return;
    const user = (await this.script('ktsSessionDestroy')(key, this.userField ?? '')) as string | null;
    if (user !== null && this.userField !== undefined) await this.client.zrem(this.indexPrefix + user, key);
  }

  /**
   * "Log out everywhere": deletes every session of one user and returns how many were deleted.
   * A session that changed hands since it was indexed (its user field differs now) is kept.
   *
   * @throws SessionConfigError when the store was created without `userField`.
   */
  async destroyAllOf(userId: string | number): Promise<number> {
    if (this.userField === undefined) {
      throw new SessionConfigError(
        'RedisStore.userField',
        'is not set, so sessions are not indexed by user',
        "Create the store with e.g. `new RedisStore({ userField: 'userId' })`.",
      );
    }
    const user = userIdOf(userId);
    if (user === undefined)
      throw new TypeError(
        `koa-typed-session: destroyAllOf needs a non-empty string or number user id, got ${typeof userId}.`,
      );
    await this.ready();
    const indexKey = this.indexPrefix + user;
    const members = await this.client.zrange(indexKey, 0, -1);
    if (members.length === 0) return 0;
    const destroy = this.script('ktsSessionDestroyIfOwned');
    const results = await Promise.all(members.map((key) => destroy(key, this.userField!, user)));
    // Remove only what was read: a session indexed meanwhile (a login elsewhere) stays indexed.
    await this.client.zrem(indexKey, ...members);
    return results.filter((r) => Number(r) === 1).length;
  }

  /** Closes the connection if the store created the client; a client passed in is left open. */
  async quit(): Promise<void> {
    if (this.ownsClient && this.client.status !== 'end') await this.client.quit();
  }

  private key(sid: string): string {
    return this.prefix + sid;
  }

  /** Whether a key names a per-user index (never a session, whatever id a client sent). */
  private isIndexKey(key: string): boolean {
    return this.userField !== undefined && this.indexPrefix !== '' && key.startsWith(this.indexPrefix);
  }

  private ttl(maxAge: MaxAge | undefined): number {
    return typeof maxAge === 'number' && Number.isFinite(maxAge) && maxAge > 0 ? Math.ceil(maxAge) : this.sessionTtl;
  }

  private index(user: string, key: string, ttl: number): Promise<unknown> {
    return this.script('ktsSessionIndex')(this.indexPrefix + user, key, ttl);
  }

  private script(name: keyof typeof SCRIPTS): Script {
    return this.scripts[name];
  }

  /**
   * Waits (at most `readyTimeout`) for a connecting client; fails at once while reconnecting, so a
   * Redis outage answers quickly and no command is queued to run late, after the request gave up.
   */
  private ready(): Promise<void> | undefined {
    const client = this.client;
    const status = client.status;
    if (status === 'ready') return undefined;
    if (status === 'wait') client.connect().catch(() => undefined);
    else if (status !== 'connecting' && status !== 'connect') {
      return Promise.reject(new Error(`koa-typed-session: Redis is not connected (client status "${status}")`));
    }
    // One wait shared by every call (no listener pile-up when many requests arrive at startup).
    this.readyWait ??= new Promise<void>((resolve, reject) => {
      const done = (err?: Error): void => {
        clearTimeout(timer);
        client.off('ready', onReady);
        client.off('end', onEnd);
        this.readyWait = undefined;
        if (err) reject(err);
        else resolve();
      };
      const onReady = (): void => done();
      const onEnd = (): void => done(new Error('koa-typed-session: the Redis connection ended'));
      const timer = setTimeout(
        () => done(new Error(`koa-typed-session: Redis not ready within ${this.readyTimeout} ms (readyTimeout)`)),
        this.readyTimeout,
      );
      client.on('ready', onReady);
      client.on('end', onEnd);
    });
    return this.readyWait;
  }
}
