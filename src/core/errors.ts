/**
 * The library's one error hierarchy. Every error carries the fields Koa's `ctx.onerror` reads:
 * `status` (the HTTP status), `expose` (whether the message may reach the client) and, where a
 * cookie must be cleared, `headers`. `code` is stable and meant for programs.
 */
export class SessionError extends Error {
  /** A stable, machine-readable code such as `ERR_SESSION_CONFIG`. */
  readonly code: string;
  /** The HTTP status Koa responds with. */
  status: number;
  /** Whether Koa may show the message to the client. */
  expose: boolean;
  /** Extra response headers Koa keeps on the error response. */
  headers?: Record<string, string | string[]>;

  /**
   * @example
   * ```ts
   * throw new SessionError('koa-typed-session: the item is gone.', { code: 'ERR_GONE', status: 410, expose: true });
   * ```
   */
  constructor(message: string, details: SessionErrorDetails);
  /** The positional form of earlier releases; prefer the details object. */
  constructor(message: string, code: string, status: number, expose: boolean, options?: ErrorOptions);
  constructor(
    message: string,
    details: SessionErrorDetails | string,
    status?: number,
    expose?: boolean,
    options?: ErrorOptions,
  ) {
    const d: SessionErrorDetails =
      typeof details === 'string' ? { code: details, status: status!, expose: expose!, ...options } : details;
    super(message, 'cause' in d ? { cause: d.cause } : undefined);
    this.name = new.target.name;
    this.code = d.code;
    this.status = d.status;
    this.expose = d.expose;
  }
}

/** What a {@link SessionError} carries besides its message. */
export interface SessionErrorDetails {
  /** A stable, machine-readable code such as `ERR_SESSION_CONFIG`. */
  readonly code: string;
  /** The HTTP status Koa responds with. */
  readonly status: number;
  /** Whether Koa may show the message to the client. */
  readonly expose: boolean;
  /** The underlying error, kept for logs (`error.cause`). */
  readonly cause?: unknown;
}

/** Invalid configuration, thrown when the middleware or the module is created. */
export class SessionConfigError extends SessionError {
  /** The option at fault, e.g. `maxAge`. */
  readonly option: string;

  constructor(option: string, problem: string, fix: string) {
    super(`koa-typed-session: option \`${option}\` ${problem}. ${fix}`, {
      code: 'ERR_SESSION_CONFIG',
      status: 500,
      expose: false,
    });
    this.option = option;
  }
}

/**
 * The store failed or timed out. A 503 by default: the client may retry. The message, which the
 * client sees, is generic: the store's own error (connection strings, hosts, users, script line
 * numbers) is kept as `cause`, for the app's `error` event and the logs.
 */
export class SessionStoreError extends SessionError {
  /** The store operation that failed. */
  readonly operation: 'get' | 'set' | 'patch' | 'touch' | 'take' | 'rename' | 'destroy' | 'destroyAllOf';

  constructor(operation: SessionStoreError['operation'], cause: unknown, status = 503) {
    super(
      `koa-typed-session: the session store is unavailable (\`${operation}\` failed). ` +
        'The stored session is unchanged; retry later.',
      { code: 'ERR_SESSION_STORE', status, expose: status < 500 || status === 503, cause },
    );
    this.operation = operation;
  }
}

/**
 * A store's own report that it cannot serve a call now (RedisStore: the client is not connected,
 * not ready within `readyTimeout`, or too few replicas confirmed a write within `waitTimeout`).
 * What code that calls a store directly catches (a job, an admin tool). Not exposed: the message
 * may describe the deployment. Through the middleware, `SessionService` and
 * `destroyAllSessionsOf` it arrives, like any store failure, as the `cause` of a
 * {@link SessionStoreError} with status `storeErrorStatus`.
 */
export class StoreUnavailableError extends SessionError {
  constructor(message: string) {
    super(`koa-typed-session: ${message}`, { code: 'ERR_STORE_UNAVAILABLE', status: 503, expose: false });
  }
}

/** A cookie could not be written as configured (too large, or `secure` over plain HTTP). */
export class SessionCookieError extends SessionError {
  constructor(message: string, code: string) {
    super(`koa-typed-session: ${message}`, { code, status: 500, expose: false });
  }
}

/**
 * The session was destroyed (a logout, "log out everywhere", expiry) while this request was moving
 * it to a new id (`regenerate()`, or `ctx.session = null` then an object): revocation wins, the
 * session is not restored under the new id, and the cookie is cleared. A 401: sign in again.
 */
export class SessionRevokedError extends SessionError {
  constructor() {
    super(
      'koa-typed-session: the session was destroyed (logout, log out everywhere or expiry) while this request ' +
        'moved it to a new id; it was not restored. Sign in again.',
      { code: 'ERR_SESSION_REVOKED', status: 401, expose: true },
    );
  }
}

/** The session API was used in a way that cannot work (e.g. outside a request). */
export class SessionStateError extends SessionError {
  constructor(message: string) {
    super(`koa-typed-session: ${message}`, { code: 'ERR_SESSION_STATE', status: 500, expose: false });
  }
}

/** One field that failed validation: a plain, serialisable description. */
export interface SessionFieldError {
  /** The property's name (`cart`, `views`...). */
  property: string;
  /** Failed constraint name -> message, as class-validator reports them (`{ min: 'views must not be less than 0' }`). */
  constraints: Record<string, string>;
  /** Failures inside a nested object or array. */
  children?: SessionFieldError[];
}

/**
 * Session data failed its schema: never written. A 400 (by default) whose message lists the
 * fields; with a 5xx status the message and fields are not exposed to the client.
 */
export class SessionValidationError extends SessionError {
  /** The invalid fields. */
  readonly errors: SessionFieldError[];

  constructor(schema: string, errors: SessionFieldError[], status = 400) {
    const fields = errors.map((e) => e.property).join(', ');
    super(`koa-typed-session: session data does not match ${schema} (invalid: ${fields}). Nothing was saved.`, {
      code: 'ERR_SESSION_VALIDATION',
      status,
      expose: status < 500,
    });
    this.errors = errors;
  }
}

/**
 * Access refused (decorator module): a guard's `canActivate()` answered false. A 403 whose message
 * may be shown; it goes through the app's error mapping like any other error.
 */
export class ForbiddenError extends SessionError {
  constructor(message = 'koa-typed-session: access to this route was denied by a guard.') {
    super(message, { code: 'ERR_FORBIDDEN', status: 403, expose: true });
  }
}
