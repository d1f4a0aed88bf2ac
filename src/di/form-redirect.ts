/**
 * Server-rendered forms: a POST whose `@Body()` DTO fails validation answers a browser with a 303
 * back to the form, the field errors and the submitted values flashed (`errors`, `old`), instead
 * of the JSON 400. Content negotiation decides: only a request that prefers HTML over JSON is
 * redirected; API clients (and clients stating no preference) keep the 400.
 */
import type { Context } from 'koa';
import { getMetadataStorage } from 'class-validator';
import { SessionConfigError, type SessionFieldError } from '../core/errors';
import { RequestValidationError } from './request-validation-error';
import { contextFlash } from '../koa/middleware';
import {
  addSecretField,
  getFormRedirect,
  getSecretFields,
  setFormRedirect,
  type ParamMetadata,
  type Type,
} from './metadata';

/** Longest string flashed back per field: old input travels in the session (a cookie, maybe). */
const MAX_OLD_LENGTH = 1_000;

/**
 * Makes a POST handler a form handler: when its `@Body()` DTO fails validation and the client
 * prefers HTML (`ctx.accepts('json', 'html') === 'html'`, as a browser's form submission does),
 * the answer is `303 See Other` to `to` (default: a same-origin Referer, else the form's own path)
 * with the field errors flashed as `errors` (`{ field: messages[] }`) and the submitted values of
 * the DTO's properties as `old`, except those marked `@Secret()`. Other clients keep the 400.
 *
 * @example
 * ```ts
 * @Post('/login') @FormRedirect('/login')
 * login(@Body() form: LoginForm) { ... }
 * ```
 */
export function FormRedirect(to?: string): MethodDecorator {
  return (target, handler) => {
    setFormRedirect((target as { constructor: Type }).constructor, handler, to === undefined ? {} : { to });
  };
}

/** Marks a DTO property (a password, a card number) as never flashed back by `@FormRedirect`. */
export function Secret(): PropertyDecorator {
  return (target, property) => {
    if (typeof property === 'string') addSecretField((target as { constructor: Type }).constructor, property);
  };
}

type Route = (ctx: Context) => Promise<void> | void;

/** Field -> messages, nested failures under `parent.child`. */
function fieldErrors(errors: readonly SessionFieldError[], prefix = '', out: Record<string, string[]> = {}) {
  for (const error of errors) {
    const name = prefix + error.property;
    const messages = Object.values(error.constraints);
    if (messages.length > 0) (out[name] ??= []).push(...messages);
    if (error.children) fieldErrors(error.children, `${name}.`, out);
  }
  return out;
}

/** A submitted value worth showing again: text, numbers, booleans, or a list of them. */
function oldValue(value: unknown): unknown {
  if (typeof value === 'string') return value.slice(0, MAX_OLD_LENGTH);
  if (typeof value === 'number' || typeof value === 'boolean') return value;
  if (Array.isArray(value)) {
    const items = value.map(oldValue).filter((v) => v !== undefined && !Array.isArray(v));
    return items.length > 0 ? items.slice(0, 100) : undefined;
  }
  return undefined;
}

/** Where the browser goes back to: the given path, a same-origin Referer, or the form's own path. */
function target(ctx: Context, to: string | undefined): string {
  if (to !== undefined) return to;
  const referer = ctx.get('Referer');
  if (referer) {
    try {
      const url = new URL(referer);
      const path = url.pathname + url.search;
      // `//host/...` would be a protocol-relative Location: an open redirect.
      if (url.origin === `${ctx.protocol}://${ctx.host}` && !path.startsWith('//')) return path;
    } catch {
      // not a URL: fall through
    }
  }
  return ctx.path;
}

/**
 * Wraps a compiled route with its `@FormRedirect` behaviour, if it has one (else returns it as is).
 * @throws SessionConfigError at startup when the app has no SessionModule or the handler no `@Body()` DTO.
 */
export function withFormRedirect(
  route: Route,
  ctrl: Type,
  handler: string | symbol,
  params: readonly ParamMetadata[],
  types: readonly unknown[],
  sessionsEnabled: boolean,
  where: string,
): Route {
  const options = getFormRedirect(ctrl, handler);
  if (!options) return route;
  if (!sessionsEnabled) {
    throw new SessionConfigError(
      'imports',
      `has no SessionModule, but ${where} uses @FormRedirect() (it flashes through the session)`,
      'Add `SessionModule.forRoot({...})` to the imports of createApp().',
    );
  }
  const body = params.find((p) => p.kind === 'body' && p.name === undefined);
  const dto = body ? types[body.index] : undefined;
  if (typeof dto !== 'function' || dto === Object) {
    throw new SessionConfigError(
      'controllers',
      `contains ${where}, whose @FormRedirect() has no @Body() parameter typed with a DTO class`,
      'Add a parameter such as `@Body() form: LoginForm` (a class with class-validator decorators).',
    );
  }
  const secret = new Set(getSecretFields(dto as Type));
  const fields = [
    ...new Set(
      getMetadataStorage()
        .getTargetValidationMetadatas(dto as new () => object, '', true, false)
        .map((m) => m.propertyName),
    ),
  ].filter((name) => !secret.has(name));

  return async function formRoute(ctx: Context): Promise<void> {
    try {
      await route(ctx);
    } catch (err) {
      if (!(err instanceof RequestValidationError) || err.source !== 'body' || ctx.accepts('json', 'html') !== 'html') {
        throw err;
      }
      const submitted = (ctx.request as { body?: unknown }).body;
      const old: Record<string, unknown> = {};
      if (typeof submitted === 'object' && submitted !== null) {
        for (const name of fields) {
          const value = oldValue(
            Object.hasOwn(submitted, name) ? (submitted as Record<string, unknown>)[name] : undefined,
          );
          if (value !== undefined) old[name] = value;
        }
      }
      const flash = contextFlash(ctx);
      flash.set('errors', fieldErrors(err.errors));
      flash.set('old', old);
      ctx.redirect(target(ctx, options.to));
      ctx.status = 303;
    }
  };
}
