/**
 * Request DTOs: a `@Body()`, `@Query()` or `@Param()` parameter whose type is a class with
 * class-validator decorators is converted (class-transformer) and validated before the handler
 * runs, as Nest's ValidationPipe does; invalid input answers 400 with the fields. Compiled once per
 * parameter, at startup.
 */
import { plainToInstance } from 'class-transformer';
import { getMetadataStorage, validate, type ValidatorOptions } from 'class-validator';
import { RequestValidationError } from '../core/errors';
import { safeJsonCopy, toFieldError } from './validate-session';

/** Turns one request value into a validated instance of the parameter's class. */
export type DtoPipe = (value: unknown) => Promise<object>;

/**
 * The deepest nesting a DTO's value may have: the value itself is level 1, each object or array in
 * it one more. Deeper input answers 400 before any copy or validation: a 20,000-level JSON body
 * would otherwise overflow the stack of every recursive walk (a 500, after up to 300 ms of CPU).
 */
export const MAX_DTO_DEPTH = 64;

/** Whether `value` nests deeper than `limit` (iterative: never overflows, stops at the limit). */
function nestsDeeperThan(value: unknown, limit: number): boolean {
  const stack: Array<[unknown, number]> = [[value, 1]];
  while (stack.length > 0) {
    const [item, depth] = stack.pop()!;
    if (typeof item !== 'object' || item === null) continue;
    if (depth > limit) return true;
    for (const child of Array.isArray(item) ? item : Object.values(item)) {
      if (typeof child === 'object' && child !== null) stack.push([child, depth + 1]);
    }
  }
  return false;
}

const VALIDATOR_OPTIONS: ValidatorOptions = {
  forbidUnknownValues: true,
  // Values and targets are kept out of the errors: they would echo the request back.
  validationError: { target: false, value: false },
};

/**
 * The pipe for a parameter of type `type` read from `source`, or `undefined` when the type is not
 * a class with class-validator decorators (the raw value is then passed, unvalidated).
 * Query strings and route parameters are strings: they are converted to the properties' declared
 * types (class-transformer's implicit conversion), so `@IsInt() page: number` works.
 */
export function compileDtoPipe(type: unknown, source: 'body' | 'query' | 'param'): DtoPipe | undefined {
  if (typeof type !== 'function' || type === Object) return undefined;
  const dto = type as unknown as new () => object;
  if (getMetadataStorage().getTargetValidationMetadatas(dto, '', true, false).length === 0) return undefined;
  const implicit = source !== 'body';
  return async (value) => {
    if (nestsDeeperThan(value, MAX_DTO_DEPTH)) {
      // Name the top-level field at fault (one more walk, of a bounded depth, on the error path only).
      const entries = typeof value === 'object' && value !== null && !Array.isArray(value) ? Object.entries(value) : [];
      const field = entries.find(([, child]) => nestsDeeperThan(child, MAX_DTO_DEPTH - 1))?.[0] ?? source;
      const maxDepth = `${field} nests deeper than ${MAX_DTO_DEPTH} levels (the limit of a request value)`;
      throw new RequestValidationError(source, dto.name, [{ property: field, constraints: { maxDepth } }]);
    }
    // A JSON-shaped copy without `__proto__`/`constructor`/`prototype` keys (class-transformer copies every key).
    const plain = safeJsonCopy(value ?? {});
    const instance = plainToInstance(dto, plain, { enableImplicitConversion: implicit }) as unknown;
    const target = (instance !== null && typeof instance === 'object' ? instance : new dto()) as object;
    const errors = await validate(target, VALIDATOR_OPTIONS);
    if (errors.length > 0) throw new RequestValidationError(source, dto.name, errors.map(toFieldError));
    return target;
  };
}
