import { STATUS_CODES } from 'node:http';
import type { Context, Middleware } from 'koa';
import { SessionError, SessionValidationError, type SessionFieldError } from '../core/errors';
import { RequestValidationError } from './request-validation-error';

/** The JSON body of an error response from an app built by createApp. */
export interface ErrorBody {
  /** The HTTP status of the response. */
  statusCode: number;
  /** Stable code: a SessionError's `code`, the error's own string `code`, or `ERR_HTTP_<status>`. */
  code: string;
  /** The error's message when it may be shown (`expose`), else the status text. */
  message: string;
  /** The invalid fields of a SessionValidationError. */
  errors?: SessionFieldError[];
}

interface HttpLike {
  status?: unknown;
  statusCode?: unknown;
  expose?: unknown;
  code?: unknown;
  message?: unknown;
  headers?: unknown;
}

function statusOf(err: HttpLike): number {
  const status = err.status ?? err.statusCode;
  return typeof status === 'number' && Number.isInteger(status) && status >= 400 && status <= 599 ? status : 500;
}

function bodyFor(status: number, message: string, code?: string): ErrorBody {
  return { statusCode: status, code: code ?? `ERR_HTTP_${status}`, message };
}

/** An error response: what an {@link ErrorMapper} returns. */
export interface ErrorResponse<B = unknown> {
  /** The HTTP status (400-599). */
  status: number;
  /** The body (an object is sent as JSON). */
  body: B;
  /** Extra response headers (e.g. `retry-after`). */
  headers?: Record<string, string | string[]>;
  /** The Content-Type, e.g. `'application/problem+json'`. @default JSON for an object body */
  type?: string;
}

/**
 * Turns an error thrown while handling a request into the response (createApp's `errorMapper`
 * option). It also receives, for an empty 4xx/5xx response (no route: 404, wrong method: 405), an
 * `Error` with that `status` and `expose: true`. {@link toErrorResponse} is the default.
 */
export type ErrorMapper = (error: unknown, ctx: Context) => ErrorResponse;

/** The default mapping: a status, the JSON {@link ErrorBody} and extra headers (SessionError status/expose honoured). */
export function toErrorResponse(error: unknown): ErrorResponse<ErrorBody> {
  const err = (typeof error === 'object' && error !== null ? error : {}) as HttpLike;
  const status = statusOf(err);
  const expose = typeof err.expose === 'boolean' ? err.expose : status < 500;
  const message = expose && typeof err.message === 'string' ? err.message : (STATUS_CODES[status] ?? 'Error');
  const code =
    error instanceof SessionError ? error.code : typeof err.code === 'string' && expose ? err.code : undefined;
  const body = bodyFor(status, message, code);
  if ((error instanceof SessionValidationError || error instanceof RequestValidationError) && expose)
    body.errors = error.errors;
  const headers =
    typeof err.headers === 'object' && err.headers !== null
      ? (err.headers as Record<string, string | string[]>)
      : undefined;
  return headers ? { status, body, headers } : { status, body };
}

/**
 * The outermost middleware of createApp's apps: errors become JSON responses
 * (`{ statusCode, code, message, errors? }`); 5xx errors are also emitted as the app's `error`
 * event, as Koa does, and their messages are hidden unless `expose` is set. Empty 4xx/5xx responses
 * (no route, 405) get the same JSON shape.
 */
export function errorMapper(map?: ErrorMapper): Middleware {
  const respond = map ? safely(map) : toErrorResponse;
  return async function errorMapper(ctx: Context, next: () => Promise<unknown>): Promise<void> {
    try {
      await next();
    } catch (error) {
      if (ctx.headerSent || !ctx.writable) {
        ctx.app.emit('error', error, ctx);
        return;
      }
      const { status, body, headers, type } = respond(error, ctx);
      // As Koa's onerror: drop the handler's headers, but keep the session's Set-Cookie (the commit
      // already ran), so cookie and store stay consistent.
      for (const name of ctx.res.getHeaderNames()) if (name !== 'set-cookie') ctx.res.removeHeader(name);
      if (headers) ctx.set(headers);
      ctx.status = status;
      ctx.body = body;
      if (type) ctx.type = type;
      if (status >= 500) ctx.app.emit('error', error, ctx);
      return;
    }
    if (ctx.body == null && ctx.status >= 400) {
      const text = STATUS_CODES[ctx.status] ?? 'Error';
      const status = ctx.status;
      if (!map) {
        ctx.body = bodyFor(status, text);
        ctx.status = status;
        return;
      }
      const response = respond(Object.assign(new Error(text), { status, expose: true }), ctx);
      if (response.headers) ctx.set(response.headers);
      ctx.body = response.body;
      ctx.status = response.status;
      if (response.type) ctx.type = response.type;
    }
  };
}

/**
 * A user mapper that cannot break the error path: if it throws, or answers something that is not
 * an error response, the default mapping answers and the mapper's failure is emitted as `error`.
 */
function safely(map: ErrorMapper): (error: unknown, ctx: Context) => ErrorResponse {
  return (error, ctx) => {
    let problem: unknown;
    try {
      const response = map(error, ctx);
      const status = (response as Partial<ErrorResponse> | undefined)?.status;
      if (typeof status === 'number' && Number.isInteger(status) && status >= 400 && status <= 599) return response;
      problem = new TypeError(
        `koa-typed-session: the errorMapper of createApp() returned ${JSON.stringify(response) ?? String(response)}, ` +
          'not { status (400-599), body }. The default error response was sent instead.',
      );
    } catch (err) {
      problem = err;
    }
    ctx.app.emit('error', problem, ctx);
    return toErrorResponse(error);
  };
}
