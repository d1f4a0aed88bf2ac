/**
 * Guards (Nest's `@UseGuards`, `CanActivate`, `ExecutionContext`): classes or instances that decide
 * whether a route runs. They are resolved from the app's container and put in order when the app
 * is created; a request only calls `canActivate()`.
 */
import type { Context, Middleware, Next, Request, Response } from 'koa';
import type { DependencyContainer } from 'tsyringe';
import { ForbiddenError, SessionConfigError } from '../core/errors';
import { isThenable } from '../core/store-call';
import { addGuards, getGuards, type Type } from './metadata';

/** The HTTP side of an {@link ExecutionContext}: Koa's request and response. */
export interface HttpArgumentsHost {
  /** Koa's request (`ctx.request`). */
  getRequest(): Request;
  /** Koa's response (`ctx.response`). */
  getResponse(): Response;
}

/** What a guard knows about the request it decides on (Nest's `ExecutionContext`, for Koa). */
export interface ExecutionContext {
  /** The Koa context (`ctx`): session, state, headers... */
  getContext(): Context;
  /** The controller class of the route. */
  getClass<T = unknown>(): Type<T>;
  /** The handler method (a function: a key for `Reflector.get(key, context.getHandler())`). */
  getHandler(): (...args: never[]) => unknown;
  /** Always `'http'`. */
  getType(): 'http';
  /** Koa's request and response. */
  switchToHttp(): HttpArgumentsHost;
}

/**
 * A guard. `canActivate` answers whether the request may reach the handler: a falsy answer (or a
 * promise of one) ends the request with a 403 `ForbiddenError`; a thrown error is answered as is.
 */
export interface CanActivate {
  canActivate(context: ExecutionContext): boolean | Promise<boolean>;
}

/** A guard as `@UseGuards` takes it: a class (resolved from the app's container) or an instance. */
export type GuardLike = Type<CanActivate> | CanActivate;

class KoaExecutionContext implements ExecutionContext, HttpArgumentsHost {
  constructor(
    private readonly ctx: Context,
    private readonly ctrl: Type,
    private readonly handler: (...args: never[]) => unknown,
  ) {}
  getContext(): Context {
    return this.ctx;
  }
  getClass<T>(): Type<T> {
    return this.ctrl as Type<T>;
  }
  getHandler(): (...args: never[]) => unknown {
    return this.handler;
  }
  getType(): 'http' {
    return 'http';
  }
  switchToHttp(): HttpArgumentsHost {
    return this;
  }
  getRequest(): Request {
    return this.ctx.request;
  }
  getResponse(): Response {
    return this.ctx.response;
  }
}

/**
 * Protects a controller (every route) or one method with guards. Controller guards run first,
 * then the method's, each in the order given; the first denial stops the request. Guards run
 * after the route middleware and before the arguments are read and validated (as in Nest).
 *
 * @example
 * ```ts
 * @Controller('/admin')
 * @UseGuards(LoggedInGuard)
 * export class AdminController {
 *   @Get('/') @UseGuards(RolesGuard) dashboard() {}
 * }
 * ```
 */
export function UseGuards(...guards: GuardLike[]): ClassDecorator & MethodDecorator {
  return ((target: object, handler?: string | symbol) => {
    const ctrl = (handler === undefined ? target : (target as { constructor: Type }).constructor) as Type;
    addGuards(ctrl, handler, guards);
  }) as ClassDecorator & MethodDecorator;
}

function describe(guard: unknown): string {
  if (typeof guard === 'function') return guard.name || 'an anonymous class';
  if (typeof guard === 'object' && guard !== null) return `an instance of ${guard.constructor?.name ?? 'Object'}`;
  return String(guard);
}

function resolveGuard(guard: unknown, container: DependencyContainer, cache: Map<unknown, CanActivate>, where: string) {
  const cached = cache.get(guard);
  if (cached) return cached;
  let instance: unknown = guard;
  if (typeof guard === 'function') {
    try {
      instance = container.resolve(guard as new () => object);
    } catch (err) {
      if (err instanceof SessionConfigError) throw err;
      throw new SessionConfigError(
        'controllers',
        `has ${where} guarded by ${describe(guard)}, which could not be created (${err instanceof Error ? err.message : String(err)})`,
        'Decorate the guard with @injectable() and register what its constructor needs in `providers`.',
      );
    }
  }
  if (typeof (instance as Partial<CanActivate> | null)?.canActivate !== 'function') {
    throw new SessionConfigError(
      'controllers',
      `has ${where} guarded by ${describe(guard)}, which has no canActivate() method`,
      'Pass guard classes or instances implementing CanActivate to @UseGuards().',
    );
  }
  cache.set(guard, instance as CanActivate);
  return instance as CanActivate;
}

/**
 * The guards of one route as a Koa middleware (controller guards, then the method's), or
 * `undefined` when it has none. Guard classes are resolved now, once per app (`cache`).
 */
export function compileGuards(
  ctrl: Type,
  handler: string | symbol,
  container: DependencyContainer,
  cache: Map<unknown, CanActivate>,
): Middleware | undefined {
  const where = `${ctrl.name}.${String(handler)}()`;
  const list = [...getGuards(ctrl), ...getGuards(ctrl, handler)].map((g) => resolveGuard(g, container, cache, where));
  if (list.length === 0) return undefined;
  const fn = (ctrl.prototype as Record<string | symbol, (...args: never[]) => unknown>)[handler]!;
  const denied = (): never => {
    throw new ForbiddenError();
  };

  async function rest(ctx: Context, next: Next, context: ExecutionContext, from: number, pending: Promise<unknown>) {
    if (!(await pending)) denied();
    for (let i = from + 1; i < list.length; i++) if (!(await list[i]!.canActivate(context))) denied();
    await next();
  }

  // Synchronous guards create no promise: only an async answer switches to `rest`.
  return function guards(ctx: Context, next: Next): Promise<unknown> {
    const context = new KoaExecutionContext(ctx, ctrl, fn);
    for (let i = 0; i < list.length; i++) {
      const answer: unknown = list[i]!.canActivate(context);
      if (isThenable(answer)) return rest(ctx, next, context, i, Promise.resolve(answer));
      if (!answer) denied();
    }
    return next();
  };
}
