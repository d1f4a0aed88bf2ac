/**
 * koa-typed-session/decorators: the NestJS-style decorator module (tsyringe, class-validator,
 * class-transformer, @koa/router). Transitional: re-exports the root until the package split.
 */
export * from './index';
