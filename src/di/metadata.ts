/**
 * The decorator module's metadata: the only file that touches `Reflect`. Decorators append through
 * the writers below; `createApp` reads everything once, at startup, through the readers.
 * Metadata lives on the decorated classes (never in a process global), so two copies of the
 * library or two apps in one process cannot see each other's registrations.
 */
import 'reflect-metadata';

/** HTTP methods a route decorator can declare. */
export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** Where a handler parameter's value comes from. */
export type ParamKind = 'session' | 'body' | 'query' | 'param' | 'ctx' | 'flash';

/** A class, as far as the decorator module is concerned. */
export type Type<T = unknown> = abstract new (...args: never[]) => T;

/** One decorated handler parameter. */
export interface ParamMetadata {
  readonly index: number;
  readonly kind: ParamKind;
  /** A field or parameter name (`@Session('user')`, `@Param('id')`). */
  readonly name?: string;
  /** An explicit session schema (`@Session(CartSession)`). */
  readonly schema?: Type;
  /** Validation options of a `@Body()`, `@Query()` or `@Param()` DTO (`@Body({ whitelist: true })`). */
  readonly validation?: Readonly<Record<string, unknown>>;
}

/** One route of a controller. */
export interface RouteMetadata {
  readonly method: HttpMethod;
  readonly path: string;
  readonly handler: string | symbol;
}

/** Options of a session schema class (`@SessionSchema`), stored as given. */
export type SchemaMetadata = Readonly<Record<string, unknown>>;

const CONTROLLER_METADATA = Symbol('koa-typed-session#controller');
const ROUTES_METADATA = Symbol('koa-typed-session#routes');
const PARAMS_METADATA = Symbol('koa-typed-session#params');
const SCHEMA_METADATA = Symbol('koa-typed-session#schema');
const FORM_METADATA = Symbol('koa-typed-session#form-redirect');
const SECRET_METADATA = Symbol('koa-typed-session#secret');

/** `@FormRedirect()` of one handler. */
export interface FormRedirectMetadata {
  /** Where to send the browser back to; `undefined`: a same-origin Referer, else the form's own path. */
  readonly to?: string;
}

/** Marks a class as a controller with a path prefix. */
export function setControllerPrefix(target: Type, prefix: string): void {
  Reflect.defineMetadata(CONTROLLER_METADATA, { prefix }, target);
}

/** The controller's prefix, or `undefined` when the class is not a controller. */
export function getControllerPrefix(target: Type): string | undefined {
  const meta = Reflect.getOwnMetadata(CONTROLLER_METADATA, target) as { prefix: string } | undefined;
  return meta?.prefix;
}

/** Appends a route. Copy-on-write, so a subclass never edits its parent's list. */
export function addRoute(target: Type, route: RouteMetadata): void {
  const routes = (Reflect.getMetadata(ROUTES_METADATA, target) as RouteMetadata[] | undefined) ?? [];
  Reflect.defineMetadata(ROUTES_METADATA, [...routes, route], target);
}

/** The routes of a controller (inherited ones included), in declaration order. */
export function getRoutes(target: Type): readonly RouteMetadata[] {
  return (Reflect.getMetadata(ROUTES_METADATA, target) as RouteMetadata[] | undefined) ?? [];
}

/** Records one decorated parameter of `target.prototype[handler]`. */
export function addParam(target: Type, handler: string | symbol, param: ParamMetadata): void {
  const params = (Reflect.getOwnMetadata(PARAMS_METADATA, target, handler) as ParamMetadata[] | undefined) ?? [];
  Reflect.defineMetadata(PARAMS_METADATA, [...params, param], target, handler);
}

/** The decorated parameters of a handler, by index. */
export function getParams(target: Type, handler: string | symbol): readonly ParamMetadata[] {
  const params = (Reflect.getMetadata(PARAMS_METADATA, target, handler) as ParamMetadata[] | undefined) ?? [];
  return [...params].sort((a, b) => a.index - b.index);
}

/** The parameter types TypeScript emitted for a handler (`emitDecoratorMetadata`). */
export function getParamTypes(target: Type, handler: string | symbol): readonly unknown[] | undefined {
  return Reflect.getMetadata('design:paramtypes', target.prototype as object, handler) as unknown[] | undefined;
}

/** The declared type of a class property (`emitDecoratorMetadata`), e.g. `Number` for `page?: number`. */
export function getPropertyType(target: Type, property: string): unknown {
  return Reflect.getMetadata('design:type', target.prototype as object, property) as unknown;
}

/** Stores a session schema's options on its class. */
export function setSchemaOptions(target: Type, options: SchemaMetadata): void {
  Reflect.defineMetadata(SCHEMA_METADATA, options, target);
}

/** A session schema's options, or `undefined` when the class has no `@SessionSchema`. */
export function getSchemaOptions(target: Type): SchemaMetadata | undefined {
  return Reflect.getMetadata(SCHEMA_METADATA, target) as SchemaMetadata | undefined;
}

const GUARDS_METADATA = Symbol('koa-typed-session#guards');
const MIDDLEWARE_METADATA = Symbol('koa-typed-session#middleware');
const CUSTOM_METADATA = Symbol('koa-typed-session#custom');

/** A list recorded on a controller (`handler` undefined) or on one of its methods. */
function appendList(key: symbol, target: Type, handler: string | symbol | undefined, items: readonly unknown[]): void {
  const own =
    (handler === undefined
      ? (Reflect.getOwnMetadata(key, target) as unknown[] | undefined)
      : (Reflect.getOwnMetadata(key, target, handler) as unknown[] | undefined)) ?? [];
  // Class lists are inherited (getMetadata): a subclass starts from a copy of its parent's.
  const start = handler === undefined && own.length === 0 ? readList(key, target, undefined) : own;
  if (handler === undefined) Reflect.defineMetadata(key, [...start, ...items], target);
  else Reflect.defineMetadata(key, [...start, ...items], target, handler);
}

function readList(key: symbol, target: Type, handler: string | symbol | undefined): readonly unknown[] {
  return (
    (handler === undefined
      ? (Reflect.getMetadata(key, target) as unknown[] | undefined)
      : (Reflect.getMetadata(key, target, handler) as unknown[] | undefined)) ?? []
  );
}

/** Appends guards (`@UseGuards`) to a controller, or to one handler when `handler` is given. */
export function addGuards(target: Type, handler: string | symbol | undefined, guards: readonly unknown[]): void {
  appendList(GUARDS_METADATA, target, handler, guards);
}

/** The guards of a controller (`handler` undefined) or of one handler, in declaration order. */
export function getGuards(target: Type, handler?: string | symbol): readonly unknown[] {
  return readList(GUARDS_METADATA, target, handler);
}

/** Appends route middleware (`@UseMiddleware`) to a controller, or to one handler. */
export function addMiddleware(target: Type, handler: string | symbol | undefined, fns: readonly unknown[]): void {
  appendList(MIDDLEWARE_METADATA, target, handler, fns);
}

/** The route middleware of a controller (`handler` undefined) or of one handler, in declaration order. */
export function getMiddleware(target: Type, handler?: string | symbol): readonly unknown[] {
  return readList(MIDDLEWARE_METADATA, target, handler);
}

/**
 * Sets one custom metadata value (`SetMetadata`, `Reflector.createDecorator`) on a controller class
 * or a handler function (what `ExecutionContext.getHandler()` returns). Copy-on-write.
 */
export function setCustomMetadata(target: object, key: unknown, value: unknown): void {
  const current = Reflect.getMetadata(CUSTOM_METADATA, target) as ReadonlyMap<unknown, unknown> | undefined;
  Reflect.defineMetadata(CUSTOM_METADATA, new Map(current).set(key, value), target);
}

/** Every custom metadata value of a class (inherited ones included) or a handler function. */
export function getCustomMetadata(target: object): ReadonlyMap<unknown, unknown> {
  return (Reflect.getMetadata(CUSTOM_METADATA, target) as ReadonlyMap<unknown, unknown> | undefined) ?? new Map();
}

/** Marks a handler as a form handler (`@FormRedirect`). */
export function setFormRedirect(target: Type, handler: string | symbol, meta: FormRedirectMetadata): void {
  Reflect.defineMetadata(FORM_METADATA, meta, target, handler);
}

/** A handler's `@FormRedirect` options, or `undefined`. */
export function getFormRedirect(target: Type, handler: string | symbol): FormRedirectMetadata | undefined {
  return Reflect.getMetadata(FORM_METADATA, target, handler) as FormRedirectMetadata | undefined;
}

/** Marks a DTO property as secret (`@Secret`): never flashed back. Copy-on-write, as routes. */
export function addSecretField(target: Type, property: string): void {
  const fields = (Reflect.getMetadata(SECRET_METADATA, target) as string[] | undefined) ?? [];
  Reflect.defineMetadata(SECRET_METADATA, [...fields, property], target);
}

/** The secret properties of a DTO class (inherited ones included). */
export function getSecretFields(target: Type): readonly string[] {
  return (Reflect.getMetadata(SECRET_METADATA, target) as string[] | undefined) ?? [];
}
