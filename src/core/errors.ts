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
  readonly operation: 'get' | 'set' | 'patch' | 'touch' | 'destroy' | 'destroyAllOf';

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

/** Session data failed its schema: never written. A 400 whose message lists the fields. */
export class SessionValidationError extends SessionError {
  /** The invalid fields. */
  readonly errors: SessionFieldError[];

  constructor(schema: string, errors: SessionFieldError[], status = 400) {
    const fields = errors.map((e) => e.property).join(', ');
    super(
      `koa-typed-session: session data does not match ${schema} (invalid: ${fields}). Nothing was saved.`,
      'ERR_SESSION_VALIDATION',
      status,
      true,
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

  constructor(source: 'body' | 'query' | 'param', schema: string, errors: SessionFieldError[]) {
    const fields = errors.map((e) => e.property).join(', ');
    super(
      `koa-typed-session: the request ${source === 'param' ? 'parameters' : source} do not match ${schema} (invalid: ${fields}).`,
      'ERR_REQUEST_VALIDATION',
      400,
      true,
    );
    this.errors = errors;
  }
}
