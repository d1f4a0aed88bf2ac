import { Cluster, Redis, type ClusterNode, type ClusterOptions, type RedisOptions } from 'ioredis';
import { SessionConfigError } from '../core/errors';
import { didYouMean } from '../core/option-names';

/**
 * Options of {@link RedisStore}. Give either `client` (any ioredis client: standalone, Sentinel or
 * Cluster) or the connection (`url` and/or `redis`, or `cluster`); the store then owns the client.
 */
export interface RedisStoreOptions {
  /** An ioredis client to use (the caller keeps ownership: `quit()` does not close it). */
  client?: Redis | Cluster;
  /** A `redis://` or `rediss://` URL, when the store creates the client. */
  url?: string;
  /** ioredis options (host, port, password, db, tls, `sentinels` + `name` for Sentinel...). */
  redis?: RedisOptions;
  /** Creates an ioredis Cluster client instead. */
  cluster?: {
    /** The cluster's startup nodes. */
    nodes: ClusterNode[];
    /** ioredis Cluster options. */
    options?: ClusterOptions;
  };
  /** Prepended to every session id to form the Redis key. `''` reads and writes koa-redis's keys. @default '' */
  prefix?: string;
  /** TTL in ms for browser-session cookies (koa-session hands stores the TTL `'session'`). @default 86_400_000 */
  sessionTtl?: number;
  /** The session field holding the user id: enables the per-user index and `destroyAllOf`. */
  userField?: string;
  /** Prefix of the per-user index keys. @default `${prefix}user:` */
  indexPrefix?: string;
  /**
   * Most ms to wait for a connecting client before a call fails (keep it below the middleware's
   * `storeTimeout`, so no command is sent after the request gave up). @default 1000
   */
  readyTimeout?: number;
}

/** The options after validation. */
export interface ResolvedRedisStoreOptions {
  client: Redis | Cluster;
  ownsClient: boolean;
  prefix: string;
  sessionTtl: number;
  userField: string | undefined;
  indexPrefix: string;
  readyTimeout: number;
}

/**
 * ioredis settings for clients the store creates: fail fast while Redis is down instead of
 * queueing commands that would run, late and out of order, once it is back.
 */
const FAIL_FAST: RedisOptions = {
  enableOfflineQueue: false,
  maxRetriesPerRequest: 1,
  autoResendUnfulfilledCommands: false,
  retryStrategy: (times) => Math.min(times * 100, 1000),
};

function fail(option: string, problem: string, fix: string): never {
  throw new SessionConfigError(`RedisStore.${option}`, problem, fix);
}

function positive(value: unknown, option: string, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
    fail(
      option,
      `must be a positive number of milliseconds, got ${String(value)}`,
      `For example \`${option}: ${fallback}\`.`,
    );
  }
  return value;
}

function optionalString(value: unknown, option: string, example: string): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string')
    fail(option, `must be a string, got ${typeof value}`, `For example \`${option}: '${example}'\`.`);
  return value;
}

function isClient(value: unknown): value is Redis | Cluster {
  const candidate = value as { get?: unknown; defineCommand?: unknown; status?: unknown } | null;
  return (
    typeof candidate?.get === 'function' &&
    typeof candidate.defineCommand === 'function' &&
    typeof candidate.status === 'string'
  );
}

/** Validates the options and creates the client when none was given. @throws SessionConfigError */
export function resolveRedisStoreOptions(input: RedisStoreOptions | undefined): ResolvedRedisStoreOptions {
  if (input !== undefined && (typeof input !== 'object' || input === null)) {
    fail(
      'options',
      `must be an object, got ${String(input)}`,
      "For example `new RedisStore({ url: 'redis://127.0.0.1:6379' })`.",
    );
  }
  const opts: Record<string, unknown> = { ...(input ?? {}) };
  const known = [
    'client',
    'url',
    'redis',
    'cluster',
    'prefix',
    'sessionTtl',
    'userField',
    'indexPrefix',
    'readyTimeout',
  ];
  for (const name of Object.keys(opts)) {
    if (!known.includes(name))
      fail(name, 'is not a known option', `${didYouMean(name, known)}Use one of: ${known.join(', ')}.`);
  }
  const prefix = optionalString(opts.prefix, 'prefix', 'sess:') ?? '';
  const userField = optionalString(opts.userField, 'userField', 'userId');
  if (userField === '') fail('userField', 'must not be empty', "For example `userField: 'userId'`.");
  const indexPrefix = optionalString(opts.indexPrefix, 'indexPrefix', 'sess-user:') ?? `${prefix}user:`;
  // Redis's PX takes whole milliseconds.
  const sessionTtl = Math.ceil(positive(opts.sessionTtl, 'sessionTtl', 86_400_000));
  const readyTimeout = positive(opts.readyTimeout, 'readyTimeout', 1000);
  const url = optionalString(opts.url, 'url', 'redis://127.0.0.1:6379');
  const given = [opts.client, url ?? opts.redis, opts.cluster].filter((v) => v !== undefined).length;
  if (given > 1)
    fail(
      'client',
      'was given together with url/redis or cluster',
      'Pass either a client, or connection options, not both.',
    );
  if (opts.redis !== undefined && (typeof opts.redis !== 'object' || opts.redis === null)) {
    fail('redis', `must be an ioredis options object, got ${typeof opts.redis}`, 'Pass a URL as `url` instead.');
  }
  let client: Redis | Cluster;
  if (opts.client !== undefined) {
    if (!isClient(opts.client))
      fail('client', 'is not an ioredis client', 'Pass `new Redis(...)` or `new Cluster(...)` from ioredis.');
    client = opts.client;
  } else if (opts.cluster !== undefined) {
    const cluster = opts.cluster as RedisStoreOptions['cluster'];
    if (!cluster || !Array.isArray(cluster.nodes) || cluster.nodes.length === 0) {
      fail(
        'cluster',
        'must be { nodes: [...], options? }',
        "For example `cluster: { nodes: [{ host: '127.0.0.1', port: 7000 }] }`.",
      );
    }
    const redisOptions = { ...FAIL_FAST, ...cluster.options?.redisOptions };
    // Not `enableOfflineQueue: false` on the Cluster itself: ioredis's own ready check needs that
    // queue. The store's readiness gate keeps commands from queueing while it is not ready.
    client = new Cluster(cluster.nodes, { ...cluster.options, redisOptions });
  } else {
    const redisOptions = { ...FAIL_FAST, ...(opts.redis as RedisOptions | undefined) };
    client = url ? new Redis(url, redisOptions) : new Redis(redisOptions);
  }
  return { client, ownsClient: opts.client === undefined, prefix, sessionTtl, userField, indexPrefix, readyTimeout };
}
