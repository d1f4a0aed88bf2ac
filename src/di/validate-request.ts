/**
 * Request DTOs: a `@Body()`, `@Query()` or `@Param()` parameter whose type is a class with
 * class-validator decorators is converted (class-transformer) and validated before the handler
 * runs, as Nest's ValidationPipe does; invalid input answers 400 with the fields. Compiled once per
 * parameter, at startup.
 */
import { plainToInstance } from 'class-transformer';
import { getMetadataStorage, validate, type ValidatorOptions } from 'class-validator';
import { SessionConfigError, type SessionFieldError } from '../core/errors';
import { RequestValidationError } from './request-validation-error';
import { conversionError, conversionFor, convertValue, REFUSED, type Conversion } from './convert-request';
import { getPropertyType } from './metadata';
import { safeJsonCopy, toFieldError } from './validate-session';

/**
 * Validation options of request DTOs: app-wide with `createApp({ validation })`, per parameter with
 * `@Body({ ... })`, `@Query({ ... })`, `@Param({ ... })` (the parameter's options win). The names
 * and meanings are class-validator's, as in Nest's `ValidationPipe`.
 */
export interface RequestValidationOptions {
  /** Remove properties without a class-validator decorator from the DTO. @default false */
  whitelist?: boolean;
  /** With `whitelist`, refuse (400) a request that has such properties instead of removing them. @default false */
  forbidNonWhitelisted?: boolean;
  /** Skip validation of properties that are `null` or `undefined`. @default false */
  skipMissingProperties?: boolean;
  /** Report only the first failed constraint of each property. @default false */
  stopAtFirstError?: boolean;
  /** Validation groups to apply. @default none */
  groups?: string[];
}

const OPTION_NAMES = new Set([
  'whitelist',
  'forbidNonWhitelisted',
  'skipMissingProperties',
  'stopAtFirstError',
  'groups',
]);

/** Checks validation options. @throws SessionConfigError naming the option (at startup). */
export function checkValidationOptions(options: unknown, where: string): RequestValidationOptions {
  if (options === undefined) return {};
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw new SessionConfigError(
      where,
      'must be an object of validation options',
      'For example `{ whitelist: true }`.',
    );
  }
  for (const [name, value] of Object.entries(options)) {
    if (!OPTION_NAMES.has(name)) {
      throw new SessionConfigError(
        `${where}.${name}`,
        'is not a validation option',
        `Check the spelling; the options are ${[...OPTION_NAMES].join(', ')}.`,
      );
    }
    const valid =
      name === 'groups'
        ? Array.isArray(value) && value.every((g) => typeof g === 'string')
        : typeof value === 'boolean';
    if (!valid) {
      throw new SessionConfigError(
        `${where}.${name}`,
        `must be ${name === 'groups' ? 'an array of strings' : 'a boolean'}`,
        'See RequestValidationOptions.',
      );
    }
  }
  return options as RequestValidationOptions;
}

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

/**
 * The pipe for a parameter of type `type` read from `source`, or `undefined` when the type is not
 * a class with class-validator decorators (the raw value is then passed, unvalidated).
 * Query strings and route parameters are strings: each property declared `number`, `boolean` or
 * `Date` is converted first (convert-request.ts; a value that does not convert is a 400), then
 * class-transformer's implicit conversion handles the rest, so `@IsInt() page: number` works.
 */
export function compileDtoPipe(
  type: unknown,
  source: 'body' | 'query' | 'param',
  options: RequestValidationOptions = {},
): DtoPipe | undefined {
  if (typeof type !== 'function' || type === Object) return undefined;
  const dto = type as unknown as new () => object;
  const metadatas = getMetadataStorage().getTargetValidationMetadatas(dto, '', true, false);
  if (metadatas.length === 0) return undefined;
  const implicit = source !== 'body';
  const validatorOptions: ValidatorOptions = {
    forbidUnknownValues: true,
    ...options,
    // Values and targets are kept out of the errors: they would echo the request back.
    validationError: { target: false, value: false },
  };
  const converters = new Map<string, { name: string; convert: Conversion }>();
  if (implicit) {
    for (const property of new Set(metadatas.map((m) => m.propertyName))) {
      const conversion = conversionFor(getPropertyType(dto, property));
      if (conversion) converters.set(property, conversion);
    }
  }
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
    if (converters.size > 0 && typeof plain === 'object' && plain !== null) {
      const record = plain as Record<string, unknown>;
      const refused: SessionFieldError[] = [];
      for (const [property, { name, convert }] of converters) {
        // As routing-controllers: a string property is converted; arrays are left to the validators.
        if (typeof record[property] !== 'string') continue;
        const converted = convert(record[property]);
        if (converted === REFUSED) refused.push(conversionError(property, name));
        else record[property] = converted;
      }
      if (refused.length > 0) throw new RequestValidationError(source, dto.name, refused);
    }
    const instance = plainToInstance(dto, plain, { enableImplicitConversion: implicit }) as unknown;
    const target = (instance !== null && typeof instance === 'object' ? instance : new dto()) as object;
    const errors = await validate(target, validatorOptions);
    if (errors.length > 0) throw new RequestValidationError(source, dto.name, errors.map(toFieldError));
    return target;
  };
}

/**
 * The extractor step of a single `@Query('name')` or `@Param('name')` value declared `number`,
 * `boolean` or `Date`, or `undefined` for other types (the string is passed as it is).
 */
export function compileValueConversion(
  type: unknown,
  source: 'query' | 'param',
  name: string,
): ((value: unknown) => unknown) | undefined {
  const conversion = conversionFor(type);
  if (!conversion) return undefined;
  const { convert, name: typeName } = conversion;
  return (value) => {
    if (value === undefined) return undefined;
    const converted = convertValue(value, convert);
    if (converted === REFUSED) throw new RequestValidationError(source, typeName, [conversionError(name, typeName)]);
    return converted;
  };
}
