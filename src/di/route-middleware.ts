/**
 * Per-route Koa middleware (`@UseMiddleware`): rate limits, CORS for one area, upload parsers...
 * mounted on the route itself, so it runs only for that controller or method, inside the session
 * and the request scope.
 */
import type { Middleware } from 'koa';
import { SessionConfigError } from '../core/errors';
import { addMiddleware, getMiddleware, type Type } from './metadata';

/**
 * Runs Koa middleware before a controller's routes, or one method's. Controller middleware comes
 * first, then the method's, each in the order given, then the guards, then the handler (Nest's
 * order: middleware, guards, pipes). `ctx.session` and `SessionService` work inside it; `ctx.params`
 * is set. A middleware that does not call `next()` answers the request itself.
 *
 * @example
 * ```ts
 * @Controller('/upload')
 * @UseMiddleware(rateLimit({ max: 10 }))
 * export class UploadController {
 *   @Post('/') @UseMiddleware(multipart()) upload(@Ctx() ctx: Context) {}
 * }
 * ```
 */
export function UseMiddleware(...middleware: Middleware[]): ClassDecorator & MethodDecorator {
  return ((target: object, handler?: string | symbol) => {
    const ctrl = (handler === undefined ? target : (target as { constructor: Type }).constructor) as Type;
    addMiddleware(ctrl, handler, middleware);
  }) as ClassDecorator & MethodDecorator;
}

/** The route middleware of one handler, controller's first; checked now, at startup. */
export function compileRouteMiddleware(ctrl: Type, handler: string | symbol): Middleware[] {
  const list = [...getMiddleware(ctrl), ...getMiddleware(ctrl, handler)];
  for (const fn of list) {
    if (typeof fn !== 'function') {
      throw new SessionConfigError(
        'controllers',
        `has ${ctrl.name}.${String(handler)}() with @UseMiddleware(${String(fn)}), which is not a function`,
        'Pass Koa middleware functions `(ctx, next) => ...` to @UseMiddleware().',
      );
    }
  }
  return list as Middleware[];
}
