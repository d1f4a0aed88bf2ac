import { isThenable } from './store-call';

/**
 * `next(value)`, once `value` has settled when it is a promise: the result is synchronous when
 * every step is. The one way code that may or may not wait (a synchronous store or validator, or
 * an asynchronous one) chains its steps, so the synchronous case creates no promise. A throw from
 * `next` is thrown when `value` was synchronous, and rejects the returned promise otherwise.
 */
export function andThen<T, U>(value: T | PromiseLike<T>, next: (value: T) => U | Promise<U>): U | Promise<U> {
  if (isThenable(value)) return Promise.resolve(value).then(next);
  return next(value);
}
