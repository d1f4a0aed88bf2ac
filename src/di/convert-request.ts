/**
 * Query strings and route parameters arrive as strings. These are the conversions to a declared
 * primitive type, with routing-controllers' rules (its `ActionParameterHandler.normalizeStringValue`),
 * so that `?archived=false` is `false` and `@Param('id') id: number` is `7`, and a value that does
 * not convert is a 400 rather than `NaN` or `true`:
 *
 * - `number`: `+value`; `''` and anything that gives `NaN` are refused.
 * - `boolean`: `'true'`, `'1'` and `''` are `true`; `'false'` and `'0'` are `false`; anything else is refused.
 * - `Date`: `new Date(value)`; an invalid date is refused.
 * - `string` and every other type: unchanged.
 *
 * Compiled once per parameter (or DTO property), at startup.
 */
import type { SessionFieldError } from '../core/errors';

/** Converts one string; returns {@link REFUSED} when it does not convert. */
export type Conversion = (value: string) => unknown;

/** The result of a conversion that failed. */
export const REFUSED: unique symbol = Symbol('koa-typed-session#refused');

const conversions = new Map<unknown, { name: string; convert: Conversion }>([
  [
    Number,
    {
      name: 'number',
      convert: (value) => {
        if (value === '') return REFUSED;
        const number = +value;
        return Number.isNaN(number) ? REFUSED : number;
      },
    },
  ],
  [
    Boolean,
    {
      name: 'boolean',
      convert: (value) => {
        if (value === 'true' || value === '1' || value === '') return true;
        if (value === 'false' || value === '0') return false;
        return REFUSED;
      },
    },
  ],
  [
    Date,
    {
      name: 'date',
      convert: (value) => {
        const date = new Date(value);
        return Number.isNaN(date.getTime()) ? REFUSED : date;
      },
    },
  ],
]);

/** The conversion for a declared type, or `undefined` when values of that type are left alone. */
export function conversionFor(type: unknown): { name: string; convert: Conversion } | undefined {
  return conversions.get(type);
}

/** The field error of a value that did not convert (the value itself is never echoed). */
export function conversionError(property: string, typeName: string): SessionFieldError {
  const article = typeName === 'date' ? 'a valid' : 'a';
  const constraint = `is${typeName.charAt(0).toUpperCase()}${typeName.slice(1)}`;
  return { property, constraints: { [constraint]: `${property} must be ${article} ${typeName}` } };
}

/**
 * Converts a single value (a string, or each string of an array, as routing-controllers does):
 * the converted value, or {@link REFUSED}.
 */
export function convertValue(value: unknown, convert: Conversion): unknown {
  if (typeof value === 'string') return convert(value);
  if (Array.isArray(value)) {
    const out: unknown[] = [];
    for (const item of value as unknown[]) {
      const converted = typeof item === 'string' ? convert(item) : item;
      if (converted === REFUSED) return REFUSED;
      out.push(converted);
    }
    return out;
  }
  return value;
}
