import { randomBytes } from 'node:crypto';
import { EventEmitter } from 'node:events';
import type { ChainableCommander, Cluster, Redis } from 'ioredis';
import { safeJsonParse } from '../core/codec';
import { SessionConfigError, StoreUnavailableError } from '../core/errors';
import { isProtoKey } from '../core/keys';
import type { MaxAge, SessionPatch, SessionPayload, SessionStore } from '../core/types';
import { resolveRedisStoreOptions, type RedisStoreOptions } from './redis-store-options';
import { requireUserField, userIdOf } from './user-id';
import { DESTROY_IF_OWNED_SCRIPT, DESTROY_SCRIPT, INDEX_SCRIPT, PATCH_SCRIPT, TAKE_SCRIPT } from './redis-scripts';
import {
  INDEX_UNLESS_REVOKING_SCRIPT,
  MOVE_SCRIPT,
  REVOKE_BEGIN_SCRIPT,
  REVOKING_LEASE_MS,
  REVOKING_MARK,
  MOVE_TAKE_SCRIPT,
} from './redis-move-scripts';

type ScriptArg = string | number;
type Script = (...keysThenArgs: ScriptArg[]) => Promise<unknown>;

const SCRIPTS = {
  ktsSessionPatch: PATCH_SCRIPT,
  ktsSessionDestroy: DESTROY_SCRIPT,
  ktsSessionDestroyIfOwned: DESTROY_IF_OWNED_SCRIPT,
  ktsSessionIndex: INDEX_SCRIPT,
  ktsSessionRevokeBegin: REVOKE_BEGIN_SCRIPT,
  ktsSessionIndexUnlessRevoking: INDEX_UNLESS_REVOKING_SCRIPT,
  ktsSessionTake: TAKE_SCRIPT,
  ktsSessionMoveTake: MOVE_TAKE_SCRIPT,
  ktsSessionMove: MOVE_SCRIPT,
} as const;

/** Keys per script (the others touch one). */
const NUMBER_OF_KEYS: Partial<Record<keyof typeof SCRIPTS, number>> = { ktsSessionMove: 2 };

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
 * - Every command touches one key (but the move of `rename` on standalone/Sentinel, which Cluster
 *   replaces by two steps): it works unchanged on Redis Cluster.
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
  /** Replicas that must confirm a write (`WAIT`) before it counts as done; 0 for none. */
  readonly waitReplicas: number;
  private readonly waitTimeout: number;
  private readyWait: Promise<void> | undefined;
  /** The first quit() call's promise (quit() is idempotent). */
  private quitting: Promise<void> | undefined;
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
    this.waitReplicas = resolved.waitReplicas;
    this.waitTimeout = resolved.waitTimeout;
    for (const [name, lua] of Object.entries(SCRIPTS) as Array<[keyof typeof SCRIPTS, string]>) {
      this.client.defineCommand(name, { numberOfKeys: NUMBER_OF_KEYS[name] ?? 1, lua });
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
    if (this.client.status !== 'ready' || this.closed) {
      return (this.ready() ?? Promise.resolve()).then(() => this.get(sid));
    }
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
    await this.write((c) => c.set(key, JSON.stringify(sess), 'PX', ttl));
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
    const result = (await this.write((c) => this.run(c, 'ktsSessionPatch', key, args))) as
      [string | null, string | null] | null;
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

  /**
   * Removes the named keys from the record and returns the ones it held, atomically (a Lua script);
   * the TTL and every other value are kept byte for byte. `false` when the record is gone.
   */
  async take(sid: string, names: readonly string[]): Promise<Record<string, unknown> | false> {
    await this.ready();
    if (names.length === 0) return {};
    const pairs = (await this.write((c) => this.run(c, 'ktsSessionTake', this.key(sid), [...names]))) as
      string[] | null;
    if (pairs === null) return false;
    const taken: Record<string, unknown> = {};
    for (let i = 0; i + 1 < pairs.length; i += 2) {
      const name = pairs[i]!;
      if (isProtoKey(name)) continue;
      taken[name] = safeJsonParse(pairs[i + 1]!);
    }
    return taken;
  }

  /** Deletes the record and removes it from its user's index. */
  async destroy(sid: string): Promise<void> {
    await this.ready();
    const key = this.key(sid);
    if (this.isIndexKey(key)) return;
    const user = (await this.write((c) => this.run(c, 'ktsSessionDestroy', key, [this.userField ?? '']))) as
      string | null;
    if (user !== null && this.userField !== undefined) {
      await this.write((c) => c.zrem(this.indexPrefix + user, key));
    }
  }

  /**
   * Moves a session to a new id, only if the old record still exists: `false` (nothing left
   * behind) when it is gone, so a logout or "log out everywhere" that lands while a request
   * regenerates wins. Standalone and Sentinel: one atomic script for both records; Cluster (where
   * they may sit in different slots): the new record is written, then the old one taken, and the
   * new one deleted again when the old one was gone. With `userField`, a move of a session whose
   * user is being logged out everywhere fails too, and the new id is indexed before it is written.
   */
  async rename(oldSid: string, newSid: string, sess: SessionPayload, maxAge: MaxAge): Promise<boolean> {
    await this.ready();
    const oldKey = this.key(oldSid);
    const newKey = this.key(newSid);
    const ttl = this.ttl(maxAge);
    const json = JSON.stringify(sess);
    const field = this.userField ?? '';
    let oldUser: string | undefined;
    let newUser: string | undefined;
    if (this.userField !== undefined) {
      const old = parseRecord(await this.client.get(oldKey));
      if (old === null) return false;
      oldUser = userIdOf(old?.[this.userField]);
      newUser = userIdOf(sess[this.userField]);
    }
    if (oldUser !== undefined) {
      const indexed = newUser === oldUser ? '1' : '0';
      const allowed = await this.write((c) =>
        this.run(c, 'ktsSessionIndexUnlessRevoking', this.indexPrefix + oldUser, [REVOKING_MARK, newKey, ttl, indexed]),
      );
      if (Number(allowed) !== 1) return false;
    }
    if (newUser !== undefined && newUser !== oldUser) await this.index(newUser, newKey, ttl);
    if (!this.isCluster) {
      const moved = await this.write((c) =>
        this.run(c, 'ktsSessionMove', oldKey, [newKey, field, oldUser ?? '', json, ttl]),
      );
      return Number(moved) === 1;
    }
    await this.write((c) => c.set(newKey, json, 'PX', ttl));
    const taken = await this.write((c) => this.run(c, 'ktsSessionMoveTake', oldKey, [field, oldUser ?? '']));
    if (Number(taken) === 1) return true;
    await this.write((c) => c.del(newKey));
    return false;
  }

  /**
   * "Log out everywhere": deletes every session of one user and returns how many were deleted.
   * A session that changed hands since it was indexed (its user field differs now) is kept.
   *
   * @throws SessionConfigError when the store was created without `userField`.
   */
  async destroyAllOf(userId: string | number): Promise<number> {
    requireUserField('RedisStore', this.userField);
    const user = userIdOf(userId);
    if (user === undefined)
      throw new TypeError(
        `koa-typed-session: destroyAllOf needs a non-empty string or number user id, got ${typeof userId}.`,
      );
    await this.ready();
    const indexKey = this.indexPrefix + user;
    // The mark makes a concurrent rename() of this user's sessions fail (see redis-move-scripts.ts).
    const mark = REVOKING_MARK + randomBytes(9).toString('base64url');
    const members = (await this.write((c) =>
      this.run(c, 'ktsSessionRevokeBegin', indexKey, [REVOKING_MARK, mark, REVOKING_LEASE_MS]),
    )) as string[];
    try {
      const destroy = (key: string): Promise<boolean> =>
        this.write((c) => this.run(c, 'ktsSessionDestroyIfOwned', key, [this.userField!, user])).then(
          (r) => Number(r) === 1,
        );
      const first = await Promise.all(members.map(destroy));
      // A rename that indexed its new id before the mark may have written it after the first pass
      // looked: a second pass over what the first found absent catches it.
      const missed = members.filter((_, i) => !first[i]);
      const second = await Promise.all(missed.map(destroy));
      return first.filter(Boolean).length + second.filter(Boolean).length;
    } finally {
      // Remove only what was read: a session indexed meanwhile (a login elsewhere) stays indexed.
      await this.write((c) => c.zrem(indexKey, ...members, mark));
    }
  }

  /**
   * Closes the connection if the store created the client; a client passed in is left open.
   * Idempotent: every call (concurrent or later) returns the first call's promise.
   */
  quit(): Promise<void> {
    this.quitting ??= this.close();
    return this.quitting;
  }

  private async close(): Promise<void> {
    if (!this.ownsClient || this.client.status === 'end') return;
    if (this.client.status !== 'ready') {
      // Still connecting, or reconnecting: QUIT cannot be sent (no offline queue) and nothing is in
      // flight to wait for, so close at once. (ioredis would reject "Stream isn't writeable".)
      this.client.disconnect();
      return;
    }
    await this.client.quit();
    // ioredis's quit() leaves a Sentinel client's failoverDetector subscriptions open (only
    // disconnect() closes them), which would keep the process alive.
    if ((this.client as { isCluster?: unknown }).isCluster !== true) (this.client as Redis).disconnect();
  }

  /** quit() was called on a client this store owns: every later call fails at once. */
  private get closed(): boolean {
    return this.quitting !== undefined && this.ownsClient;
  }

  private get isCluster(): boolean {
    return (this.client as { isCluster?: boolean }).isCluster === true;
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
    return this.write((c) => this.run(c, 'ktsSessionIndex', this.indexPrefix + user, [key, ttl]));
  }

  /** One of the store's Lua commands, on the client (bound once) or on a pipeline. */
  private run(
    on: Redis | Cluster | ChainableCommander,
    name: keyof typeof SCRIPTS,
    key: string,
    args: ScriptArg[],
  ): unknown {
    const command = on === this.client ? this.scripts[name] : (on as unknown as Record<string, Script>)[name]!.bind(on);
    return command(key, ...args);
  }

  /**
   * Sends one write. With `waitReplicas`, `WAIT` follows it in the same pipeline (so on the same
   * connection: on a Cluster, the node that took the write), and the write fails unless enough
   * replicas confirmed it within `waitTimeout`.
   */
  private async write(send: (on: Redis | Cluster | ChainableCommander) => unknown): Promise<unknown> {
    if (this.waitReplicas === 0) return send(this.client);
    const pipeline = this.client.pipeline();
    send(pipeline);
    pipeline.wait(this.waitReplicas, this.waitTimeout);
    const [written, waited] = (await pipeline.exec()) ?? [];
    if (!written || !waited) throw new StoreUnavailableError('the Redis pipeline was discarded');
    if (written[0]) throw written[0];
    if (waited[0]) throw waited[0];
    const confirmed = Number(waited[1]);
    if (confirmed < this.waitReplicas) {
      throw new StoreUnavailableError(
        `the write reached ${confirmed} of ${this.waitReplicas} replicas within ${this.waitTimeout} ms (waitReplicas); it may exist on the master only, and be lost on a failover`,
      );
    }
    return written[1];
  }

  /**
   * Waits (at most `readyTimeout`) for a connecting client; fails at once while reconnecting, so a
   * Redis outage answers quickly and no command is queued to run late, after the request gave up.
   */
  private ready(): Promise<void> | undefined {
    const client = this.client;
    const status = client.status;
    const closed = this.closed;
    if (status === 'ready' && !closed) return undefined;
    if (closed || (status !== 'wait' && status !== 'connecting' && status !== 'connect')) {
      const why = closed ? ': the store was closed by quit()' : '';
      return Promise.reject(new StoreUnavailableError(`Redis is not connected (client status "${status}")${why}`));
    }
    if (status === 'wait') client.connect().catch(() => undefined);
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
      const onEnd = (): void => done(new StoreUnavailableError('the Redis connection ended'));
      const timer = setTimeout(
        () => done(new StoreUnavailableError(`Redis not ready within ${this.readyTimeout} ms (readyTimeout)`)),
        this.readyTimeout,
      );
      client.on('ready', onReady);
      client.on('end', onEnd);
    });
    return this.readyWait;
  }
}
