/**
 * Compiles controllers into `@koa/router` routes, once, at startup (the shape of Nest's
 * RouterExecutionContext): each decorated parameter becomes an extractor closure, so a request only
 * runs closures; it never reads metadata.
 */
import type { Context, Middleware } from 'koa';
import { Router } from '@koa/router';
import type { DependencyContainer } from 'tsyringe';
import { SessionConfigError } from '../core/errors';
import { isThenable } from '../core/store-call';
import { getControllerPrefix, getParams, getParamTypes, getRoutes, type ParamMetadata, type Type } from './metadata';
import type { RequestScope } from './request-scope';
import { warnUnreachableRoutes, type RouteEntry } from './route-warnings';
import { checkValidationOptions, compileDtoPipe, compileValueConversion } from './validate-request';
import { compileGuards, type CanActivate } from './guards';
import type { Reflector } from './reflector';
import { compileRouteMiddleware } from './route-middleware';

/** App-level settings of the routes (createApp options). */
export interface RouteOptions {
  /** Prepended to every route (`globalPrefix`). */
  prefix?: string;
  /** The app's Reflector, primed with every controller's and handler's metadata. */
  reflector?: Reflector;
}
import { contextFlash } from '../koa/middleware';
import { withFormRedirect } from './form-redirect';

/** Produces one argument of a handler from the request. */
type Extractor = (ctx: Context) => unknown;

const none: Extractor = () => undefined;

const readers: Record<'body' | 'query' | 'param', Extractor> = {
  body: (ctx) => (ctx.request as { body?: unknown }).body,
  query: (ctx) => ctx.query,
  param: (ctx) => (ctx as { params?: unknown }).params ?? {},
};

function pick(source: unknown, name: string | undefined): unknown {
  if (name === undefined) return source;
  return (source as Record<string, unknown> | undefined | null)?.[name];
}

/** Joins a controller prefix and a route path: `('/cart', '/')` -> `/cart`, `('/', '/x')` -> `/x`. */
export function joinPath(prefix: string, path: string): string {
  const joined = `/${prefix}/${path}`.replace(/\/{2,}/g, '/');
  return joined.length > 1 && joined.endsWith('/') ? joined.slice(0, -1) : joined;
}

function extractor(param: ParamMetadata, paramType: unknown, scope: RequestScope, where: string): Extractor {
  switch (param.kind) {
    case 'body':
    case 'query':
    case 'param': {
      const read = readers[param.kind];
      const { name, kind } = param;
      if (name === undefined) {
        // A whole body/query/params typed with a validated class goes through its DTO pipe.
        const decorator = `@${kind.charAt(0).toUpperCase()}${kind.slice(1)}() on ${where}`;
        const options = { ...scope.validation, ...checkValidationOptions(param.validation, decorator) };
        const pipe = compileDtoPipe(paramType, kind, options);
        if (pipe) return (ctx) => pipe(read(ctx));
        return read;
      }
      // A single query or route value declared number, boolean or Date is converted (400 if it cannot be).
      const convert = kind === 'body' ? undefined : compileValueConversion(paramType, kind, name);
      if (convert) return (ctx) => convert(pick(read(ctx), name));
      return (ctx) => pick(read(ctx), name);
    }
    case 'ctx':
      return (ctx) => ctx;
    case 'flash':
      if (!scope.sessionsEnabled) {
        throw new SessionConfigError(
          'imports',
          `has no SessionModule, but ${where} uses @Flash()`,
          'Add `SessionModule.forRoot({...})` to the imports of createApp().',
        );
      }
      return (ctx) => contextFlash(ctx).load();
    case 'session': {
      if (!scope.sessionsEnabled) {
        throw new SessionConfigError(
          'imports',
          `has no SessionModule, but ${where} uses @Session()`,
          'Add `SessionModule.forRoot({...})` to the imports of createApp().',
        );
      }
      if (param.name !== undefined) return (ctx) => pick(ctx.session, param.name);
      const schema = scope.schemaFor(param.schema ?? paramType, where);
      if (!schema) return (ctx) => ctx.session;
      return (ctx) => scope.stateOf(ctx, '@Session()').get(schema);
    }
  }
}

/** Builds the Koa middleware of one handler: extract the arguments, call, turn the result into the body. */
function compileHandler(ctrl: Type, instance: object, handler: string | symbol, scope: RequestScope): Middleware {
  const name = `${ctrl.name}.${String(handler)}()`;
  const fn = (instance as Record<string | symbol, unknown>)[handler];
  if (typeof fn !== 'function') {
    throw new SessionConfigError('controllers', `route ${name} is not a method`, 'Put @Get/@Post/... on methods only.');
  }
  const types = getParamTypes(ctrl, handler) ?? [];
  const params = getParams(ctrl, handler);
  const argc = Math.max(fn.length, ...params.map((p) => p.index + 1));
  const extractors: Extractor[] = new Array<Extractor>(argc).fill(none);
  for (const param of params)
    extractors[param.index] = extractor(param, types[param.index], scope, `${name} parameter ${param.index}`);

  const call = fn as (...a: unknown[]) => unknown;
  // Not an async function: a request whose arguments and handler are synchronous (the usual case,
  // typed sessions included) creates no promise here. Koa's compose turns a throw into a rejection.
  const route = function route(ctx: Context): Promise<void> | void {
    const args = new Array<unknown>(argc);
    for (let i = 0; i < argc; i++) {
      const value = extractors[i]!(ctx);
      if (value instanceof Promise) return finishAsync(ctx, args, i, value);
      args[i] = value;
    }
    return answer(ctx, call.apply(instance, args));
  };
  return withFormRedirect(route, ctrl, handler, params, types, scope.sessionsEnabled, name);

  async function finishAsync(ctx: Context, args: unknown[], from: number, pending: Promise<unknown>): Promise<void> {
    args[from] = await pending;
    for (let i = from + 1; i < argc; i++) {
      const value = extractors[i]!(ctx);
      args[i] = value instanceof Promise ? await value : value;
    }
    await answer(ctx, call.apply(instance, args));
  }
}

/** Turns a handler's result (or what it resolves to) into the response. */
function answer(ctx: Context, result: unknown): Promise<void> | void {
  if (isThenable(result)) return Promise.resolve(result).then((value) => answer(ctx, value));
  if (result !== undefined) ctx.body = result;
  // A handler that returns nothing answers 204, not Koa's default 404.
  else if (ctx.body == null && ctx.status === 404) ctx.status = 204;
}

/** Resolves each controller once (from the app's container) and registers its routes. */
export function registerControllers(
  controllers: readonly Type[],
  container: DependencyContainer,
  scope: RequestScope,
  options: RouteOptions = {},
): Router {
  const router = new Router();
  const entries: RouteEntry[] = [];
  const guards = new Map<unknown, CanActivate>();
  for (const ctrl of controllers) {
    const prefix = getControllerPrefix(ctrl);
    if (prefix === undefined) {
      throw new SessionConfigError(
        'controllers',
        `contains ${ctrl.name || String(ctrl)}, which has no @Controller() decorator`,
        'Decorate the class with @Controller(prefix).',
      );
    }
    let instance: object;
    try {
      instance = container.resolve(ctrl as unknown as new () => object);
    } catch (err) {
      if (err instanceof SessionConfigError) throw err;
      throw new SessionConfigError(
        'controllers',
        `contains ${ctrl.name}, which could not be created (${err instanceof Error ? err.message : String(err)})`,
        'Register what its constructor needs in `providers` (SessionService and SessionConfig come from SessionModule).',
      );
    }
    options.reflector?.prime(ctrl);
    for (const { method, path, handler } of getRoutes(ctrl)) {
      const route = compileHandler(ctrl, instance, handler, scope);
      // Nest's order: route middleware, guards, then the arguments (pipes) and the handler.
      const chain = [...compileRouteMiddleware(ctrl, handler), compileGuards(ctrl, handler, container, guards), route];
      options.reflector?.prime((ctrl.prototype as Record<string | symbol, object>)[handler]!);
      const fullPath = joinPath(options.prefix ?? '/', joinPath(prefix, path));
      router.register(
        fullPath,
        [method],
        chain.filter((m): m is Middleware => m !== undefined),
      );
      entries.push({ method, path: fullPath, name: `${ctrl.name}.${String(handler)}()` });
    }
  }
  warnUnreachableRoutes(entries);
  return router;
}
