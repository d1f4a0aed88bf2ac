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

  constructor(message: string, code: string, status: number, expose: boolean, options?: ErrorOptions) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
    this.status = status;
    this.expose = expose;
  }
}

/** Invalid configuration, thrown when the middleware or the module is created. */
export class SessionConfigError extends SessionError {
  /** The option at fault, e.g. `maxAge`. */
  readonly option: string;

  constructor(option: string, problem: string, fix: string) {
    super(`koa-typed-session: option \`${option}\` ${problem}. ${fix}`, 'ERR_SESSION_CONFIG', 500, false);
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
      'ERR_SESSION_STORE',
      status,
      status < 500 || status === 503,
      { cause },
    );
    this.operation = operation;
  }
}

/** A cookie could not be written as configured (too large, or `secure` over plain HTTP). */
export class SessionCookieError extends SessionError {
  constructor(message: string, code: string) {
    super(`koa-typed-session: ${message}`, code, 500, false);
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
      'ERR_SESSION_REVOKED',
      401,
      true,
    );
  }
}

/** The session API was used in a way that cannot work (e.g. outside a request). */
export class SessionStateError extends SessionError {
  constructor(message: string) {
    super(`koa-typed-session: ${message}`, 'ERR_SESSION_STATE', 500, false);
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
    super(
      `koa-typed-session: session data does not match ${schema} (invalid: ${fields}). Nothing was saved.`,
      'ERR_SESSION_VALIDATION',
      status,
      status < 500,
    );
    this.errors = errors;
  }
}

/**
 * A request's body, query or route parameters failed the class-validator schema of a `@Body()`,
 * `@Query()` or `@Param()` parameter (decorator module). A 400 whose message lists the fields.
 */
export class RequestValidationError extends SessionError {
  /** The invalid fields. */
  readonly errors: SessionFieldError[];
  /** Which part of the request failed. */
  readonly source: 'body' | 'query' | 'param';

  constructor(source: 'body' | 'query' | 'param', schema: string, errors: SessionFieldError[]) {
    const fields = errors.map((e) => e.property).join(', ');
    super(
      `koa-typed-session: the request ${source === 'param' ? 'parameters do' : `${source} does`} not match ${schema} (invalid: ${fields}).`,
      'ERR_REQUEST_VALIDATION',
      400,
      true,
    );
    this.errors = errors;
    this.source = source;
  }
}

/**
 * Access refused (decorator module): a guard's `canActivate()` answered false. A 403 whose message
 * may be shown; it goes through the app's error mapping like any other error.
 */
export class ForbiddenError extends SessionError {
  constructor(message = 'koa-typed-session: access to this route was denied by a guard.') {
    super(message, 'ERR_FORBIDDEN', 403, true);
  }
}
