import { Cluster, Redis, type ClusterNode, type ClusterOptions, type RedisOptions } from 'ioredis';
import { warn } from '../core/diagnostics';
import { checkOptionNames, failFor, type Fail } from '../core/option-checks';

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
   * `storeTimeout`, so no command is sent after the request gave up). Also the bound of a Cluster
   * client's own retries when the store creates it (see `cluster`). @default 1000
   */
  readyTimeout?: number;
  /**
   * Acknowledge a write (save, touch, logout, the user index) only once this many replicas have
   * it: the store sends `WAIT waitReplicas waitTimeout` right after the write, on the same
   * connection. When fewer replicas confirm in time the call fails (the request answers
   * `storeErrorStatus`, 503), although the write may exist on the master and be read back until a
   * failover discards it. With `waitReplicas` at least the master's replica count, no acknowledged
   * write is lost on a failover. @default 1 with Sentinel (`redis.sentinels` or a Sentinel client), else 0
   */
  waitReplicas?: number;
  /** Most ms a write waits for its replicas (`WAIT`'s timeout); keep it below `storeTimeout`. @default 250 */
  waitTimeout?: number;
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
  waitReplicas: number;
  waitTimeout: number;
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

/** True for a client that finds its master through Sentinel. */
function usesSentinel(options: { sentinels?: unknown } | undefined): boolean {
  return Array.isArray(options?.sentinels) && options.sentinels.length > 0;
}

/** The retry delays and redirection limit of a Cluster client's own retries. */
type ClusterRetries = Pick<
  ClusterOptions,
  'maxRedirections' | 'retryDelayOnFailover' | 'retryDelayOnClusterDown' | 'retryDelayOnTryAgain' | 'retryDelayOnMoved'
>;

/**
 * The longest a Cluster client keeps retrying one command by itself (CLUSTERDOWN, TRYAGAIN, a
 * closed connection during a failover, MOVED): `maxRedirections` retries, each after at most the
 * largest `retryDelayOn*`. ioredis's defaults give 16 × 100 = 1600 ms. A request that gave up
 * earlier (storeTimeout) may see its command applied by such a late retry. The time each attempt
 * takes to be answered comes on top.
 */
export function clusterRetryBudget(options: ClusterRetries): number {
  const delays = [
    options.retryDelayOnFailover ?? 100,
    options.retryDelayOnClusterDown ?? 100,
    options.retryDelayOnTryAgain ?? 100,
    options.retryDelayOnMoved ?? 0,
  ].filter((d) => typeof d === 'number' && d > 0);
  return (options.maxRedirections ?? 16) * Math.max(0, ...delays);
}

/** Retries for a Cluster client the store creates: their whole budget stays below `readyTimeout`. */
function boundedClusterRetries(readyTimeout: number): ClusterRetries {
  const delay = Math.max(1, Math.min(100, Math.floor(readyTimeout / 2)));
  return {
    retryDelayOnFailover: delay,
    retryDelayOnClusterDown: delay,
    retryDelayOnTryAgain: delay,
    retryDelayOnMoved: 0,
    maxRedirections: Math.max(1, Math.floor(readyTimeout / delay) - 1),
  };
}

const fail: Fail = failFor({ optionPrefix: 'RedisStore.' });

const OPTION_NAMES: ReadonlySet<string> = new Set([
  'client',
  'url',
  'redis',
  'cluster',
  'prefix',
  'sessionTtl',
  'userField',
  'indexPrefix',
  'readyTimeout',
  'waitReplicas',
  'waitTimeout',
] satisfies (keyof RedisStoreOptions)[]);

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
  checkOptionNames(opts, OPTION_NAMES, { fail, fix: (known) => `Use one of: ${known.join(', ')}.` });
  const prefix = optionalString(opts.prefix, 'prefix', 'sess:') ?? '';
  const userField = optionalString(opts.userField, 'userField', 'userId');
  if (userField === '') fail('userField', 'must not be empty', "For example `userField: 'userId'`.");
  const indexPrefix = optionalString(opts.indexPrefix, 'indexPrefix', 'sess-user:') ?? `${prefix}user:`;
  // Redis's PX takes whole milliseconds.
  const sessionTtl = Math.ceil(positive(opts.sessionTtl, 'sessionTtl', 86_400_000));
  const readyTimeout = positive(opts.readyTimeout, 'readyTimeout', 1000);
  const waitTimeout = Math.ceil(positive(opts.waitTimeout, 'waitTimeout', 250));
  if (
    opts.waitReplicas !== undefined &&
    (typeof opts.waitReplicas !== 'number' || !Number.isInteger(opts.waitReplicas) || opts.waitReplicas < 0)
  ) {
    fail(
      'waitReplicas',
      `must be a whole number of replicas (0 or more), got ${String(opts.waitReplicas)}`,
      'For example `waitReplicas: 1` (0 acknowledges a write once the master has it).',
    );
  }
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
    // The client's own retries (CLUSTERDOWN, failover) end within readyTimeout, so a command is
    // never applied by a retry after a request that waited storeTimeout gave up on it.
    const clusterOptions: ClusterOptions = { ...boundedClusterRetries(readyTimeout), ...cluster.options, redisOptions };
    const budget = clusterRetryBudget(clusterOptions);
    if (budget >= readyTimeout) {
      fail(
        'cluster.options',
        `let the Cluster client retry a command for up to ${budget} ms (maxRedirections × the largest retryDelayOn*), not below readyTimeout (${readyTimeout} ms): a request could give up while a late retry still applies its write`,
        'Leave maxRedirections and retryDelayOn* unset (the store bounds them), or raise readyTimeout above that budget and storeTimeout above readyTimeout.',
      );
    }
    client = new Cluster(cluster.nodes, clusterOptions);
  } else {
    const given = opts.redis as RedisOptions | undefined;
    // With Sentinel, drop the connection as soon as a sentinel announces a new master
    // (+switch-master), instead of writing to the demoted one until it is reconfigured.
    const sentinel: RedisOptions = usesSentinel(given) ? { failoverDetector: true } : {};
    const redisOptions = { ...FAIL_FAST, ...sentinel, ...given };
    client = url ? new Redis(url, redisOptions) : new Redis(redisOptions);
  }
  const isCluster = (client as { isCluster?: unknown }).isCluster === true;
  if (opts.client !== undefined && isCluster) {
    const budget = clusterRetryBudget((client as Cluster).options);
    if (budget >= readyTimeout) {
      warn(
        `the Cluster client passed to RedisStore retries a command by itself for up to ${budget} ms (maxRedirections × the largest retryDelayOn*), not below readyTimeout (${readyTimeout} ms). A request answered with a store error after storeTimeout may still have its write applied by a late retry. Create the client with e.g. { maxRedirections: 5, retryDelayOnFailover: 100, retryDelayOnClusterDown: 100, retryDelayOnTryAgain: 100 } and keep storeTimeout above that budget.`,
        'KTS_CLUSTER_RETRY_BUDGET',
      );
    }
  }
  const clientOptions = (client as { options?: { sentinels?: unknown } }).options;
  const waitReplicas = (opts.waitReplicas as number | undefined) ?? (!isCluster && usesSentinel(clientOptions) ? 1 : 0);
  return {
    client,
    ownsClient: opts.client === undefined,
    prefix,
    sessionTtl,
    userField,
    indexPrefix,
    readyTimeout,
    waitReplicas,
    waitTimeout,
  };
}
