/**
 * Controller, route and request-parameter decorators. They only record metadata (see
 * `metadata.ts`); `createApp` compiles it into `@koa/router` routes once, at startup.
 */
import { injectable } from 'tsyringe';
import { addParam, addRoute, setControllerPrefix, type HttpMethod, type ParamKind, type Type } from './metadata';
import type { RequestValidationOptions } from './validate-request';

/**
 * Declares a controller: a class whose `@Get`/`@Post`/... methods become routes under `prefix`.
 * The class is also made injectable (tsyringe), so its constructor receives services such as
 * `SessionService`. A controller is created once per app, when the app is created.
 *
 * @example
 * ```ts
 * @Controller('/cart')
 * export class CartController {
 *   constructor(private readonly cart: CartService) {}
 *   @Get('/') list() { return this.cart.items(); }
 * }
 * ```
 */
export function Controller(prefix = '/'): ClassDecorator {
  return (target) => {
    // tsyringe's `injectable()` records the constructor's parameter types; it registers nothing.
    injectable()(target as unknown as new (...args: never[]) => unknown);
    setControllerPrefix(target as unknown as Type, prefix);
  };
}

function route(method: HttpMethod, path: string): MethodDecorator {
  return (target, handler) => {
    addRoute((target as { constructor: Type }).constructor, { method, path, handler });
  };
}

/** Routes `GET <prefix><path>` (and HEAD) to the decorated method. @example `@Get('/:id') find(@Param('id') id: string) {}` */
export function Get(path = '/'): MethodDecorator {
  return route('GET', path);
}

/** Routes `POST <prefix><path>` to the decorated method. */
export function Post(path = '/'): MethodDecorator {
  return route('POST', path);
}

/** Routes `PUT <prefix><path>` to the decorated method. */
export function Put(path = '/'): MethodDecorator {
  return route('PUT', path);
}

/** Routes `PATCH <prefix><path>` to the decorated method. */
export function Patch(path = '/'): MethodDecorator {
  return route('PATCH', path);
}

/** Routes `DELETE <prefix><path>` to the decorated method. */
export function Delete(path = '/'): MethodDecorator {
  return route('DELETE', path);
}

/** Records a request-parameter decorator; shared by the decorators below and `@Session()`. */
export function paramDecorator(
  kind: ParamKind,
  name?: string,
  schema?: Type,
  validation?: RequestValidationOptions,
): ParameterDecorator {
  return (target, handler, index) => {
    if (handler === undefined) return; // a constructor parameter: that is tsyringe's business
    const meta = {
      index,
      kind,
      ...(name !== undefined && { name }),
      ...(schema !== undefined && { schema }),
      ...(validation !== undefined && { validation: { ...validation } }),
    };
    addParam((target as { constructor: Type }).constructor, handler, meta);
  };
}

function requestParam(kind: 'body' | 'query' | 'param', arg: unknown): ParameterDecorator {
  if (typeof arg === 'string') return paramDecorator(kind, arg);
  // An object: validation options (checked when the app is created, naming the parameter).
  return paramDecorator(kind, undefined, undefined, arg as RequestValidationOptions | undefined);
}

/**
 * The parsed request body (JSON, form or text, by `@koa/bodyparser`), or one field of it.
 * Typed with a class that has class-validator decorators, the whole body is converted and
 * validated (a 400 `RequestValidationError` when it does not match), with the app's validation
 * options (`createApp({ validation })`) or the ones given here.
 *
 * @example `@Post('/login') login(@Body({ whitelist: true }) body: LoginDto) {}`
 */
export function Body(fieldOrOptions?: string | RequestValidationOptions): ParameterDecorator {
  return requestParam('body', fieldOrOptions);
}

/**
 * The query string as an object (`ctx.query`), or one of its values: `@Query('page') page?: number`.
 * A whole query typed with a DTO class is validated as `@Body()` is; values declared `number`,
 * `boolean` or `Date` (single values, or DTO properties) are converted with routing-controllers'
 * rules, and a value that does not convert answers 400.
 */
export function Query(nameOrOptions?: string | RequestValidationOptions): ParameterDecorator {
  return requestParam('query', nameOrOptions);
}

/** The route parameters (`ctx.params`), or one of them: `@Param('id') id: number` (converted as `@Query()` values are). */
export function Param(nameOrOptions?: string | RequestValidationOptions): ParameterDecorator {
  return requestParam('param', nameOrOptions);
}

/** The Koa context itself, for what the other decorators do not cover (headers, status, redirects). */
export function Ctx(): ParameterDecorator {
  return paramDecorator('ctx');
}
