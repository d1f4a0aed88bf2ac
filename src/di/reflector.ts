/**
 * Custom route metadata for guards (Nest's `SetMetadata`, `Reflector` and
 * `Reflector.createDecorator`). The values live on the controller class or the handler function
 * (`metadata.ts`); each app's `Reflector` copies them once, when the app is created, so a guard
 * reading them during a request never touches `Reflect`.
 */
import { getCustomMetadata, setCustomMetadata } from './metadata';

/** A decorator made by {@link Reflector.createDecorator}; it is also its own metadata key. */
export interface ReflectableDecorator<T> {
  (value: T): ClassDecorator & MethodDecorator;
  /** The unique key the decorator's values are stored under. */
  readonly KEY: symbol;
}

/** A metadata key: a string, a symbol, or a decorator from {@link Reflector.createDecorator}. */
export type MetadataKey<T = unknown> = string | symbol | ReflectableDecorator<T>;

/** The target a value is read from: a controller class or a handler (`context.getHandler()`). */
type Target = object;

function decorate(key: unknown, value: unknown): ClassDecorator & MethodDecorator {
  return ((target: object, _property?: string | symbol, descriptor?: PropertyDescriptor) => {
    // On a method, the value goes on the function itself: what `context.getHandler()` returns.
    setCustomMetadata(descriptor ? (descriptor.value as object) : target, key, value);
  }) as ClassDecorator & MethodDecorator;
}

/**
 * Attaches `value` under `key` to a controller or a handler, for guards to read with
 * {@link Reflector}. Nest's `SetMetadata`.
 *
 * @example
 * ```ts
 * export const Public = () => SetMetadata('isPublic', true);
 * ```
 */
export function SetMetadata<T>(key: string | symbol, value: T): ClassDecorator & MethodDecorator {
  return decorate(key, value);
}

function keyOf<T>(key: MetadataKey<T>): unknown {
  return typeof key === 'function' ? key.KEY : key;
}

/**
 * Reads the metadata set by {@link SetMetadata} or by a {@link Reflector.createDecorator}
 * decorator. One per app, injectable (`constructor(private readonly reflector: Reflector)`).
 * The controllers and handlers of the app are read when it is created; any other class or
 * function is read on first use, then cached.
 */
export class Reflector {
  private readonly cache = new Map<Target, ReadonlyMap<unknown, unknown>>();

  /**
   * A typed metadata decorator that is also its own key (Nest's `Reflector.createDecorator`).
   *
   * @example
   * ```ts
   * export const Roles = Reflector.createDecorator<string[]>();
   * // @Roles(['admin']) on a controller or a method; in a guard:
   * const roles = this.reflector.getAllAndOverride(Roles, [context.getHandler(), context.getClass()]);
   * ```
   */
  static createDecorator<T>(): ReflectableDecorator<T> {
    const KEY = Symbol('koa-typed-session#reflectable');
    const decorator = ((value: T) => decorate(KEY, value)) as ReflectableDecorator<T>;
    Object.defineProperty(decorator, 'KEY', { value: KEY });
    return decorator;
  }

  /** @internal Reads a target's metadata now (createApp does it for every controller and handler). */
  prime(target: Target): ReadonlyMap<unknown, unknown> {
    let values = this.cache.get(target);
    if (!values) this.cache.set(target, (values = getCustomMetadata(target)));
    return values;
  }

  /** The value under `key` on one target (a handler or a controller class), or `undefined`. */
  get<T>(key: MetadataKey<T>, target: Target): T | undefined {
    return this.prime(target).get(keyOf(key)) as T | undefined;
  }

  /** The first value found under `key`, in the order of `targets` (e.g. `[handler, class]`: the method overrides). */
  getAllAndOverride<T>(key: MetadataKey<T>, targets: readonly Target[]): T | undefined {
    for (const target of targets) {
      const value = this.get(key, target);
      if (value !== undefined) return value;
    }
    return undefined;
  }

  /**
   * Every value found under `key` on `targets`, merged: arrays are concatenated, plain objects
   * merged (later targets win), anything else collected into an array.
   */
  getAllAndMerge<T>(key: MetadataKey<T>, targets: readonly Target[]): T | undefined {
    const values = targets.map((target) => this.get(key, target)).filter((v) => v !== undefined);
    if (values.length === 0) return undefined;
    if (values.every((v) => Array.isArray(v))) return values.flat() as T;
    if (values.every((v) => typeof v === 'object' && v !== null)) return Object.assign({}, ...values) as T;
    return (values.length === 1 ? values[0] : values) as T;
  }
}
