import { SessionError, type SessionFieldError } from '../core/errors';

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
      { code: 'ERR_REQUEST_VALIDATION', status: 400, expose: true },
    );
    this.errors = errors;
    this.source = source;
  }
}
