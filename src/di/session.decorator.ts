import { Session as EngineSession } from '../core/session';
import { paramDecorator } from './http.decorators';
import { setSchemaOptions, type Type } from './metadata';
import type { SessionSchemaOptions } from './validate-session';

/** The `@Session()` decorator factory, which also stands for the engine's session class. */
export interface SessionDecorator {
  (fieldOrSchema?: string | Type<object>): ParameterDecorator;
  /** The session class's prototype, so that `ctx.session instanceof Session` holds. */
  readonly prototype: EngineSession;
}

function sessionParam(fieldOrSchema?: string | Type<object>): ParameterDecorator {
  if (typeof fieldOrSchema === 'string') return paramDecorator('session', fieldOrSchema);
  return paramDecorator('session', undefined, fieldOrSchema);
}
// One name for two things users expect from `import { Session }`: the decorator (as in Nest and
// routing-controllers) and the session class (type, `instanceof`, `Session.prototype`).
sessionParam.prototype = EngineSession.prototype;

/**
 * Injects the request's session into a handler parameter.
 *
 * - `@Session() s: ViewSession`: a typed, validated, *live* instance of the parameter's class
 *   (taken from the emitted parameter type). Edits are committed; `regenerate()` keeps it usable;
 *   every `@Session()` of the same class in one request is the same object.
 * - `@Session(ViewSession) s`: the same, with the class named explicitly (needed when the
 *   parameter's type is an interface or a union, which erase to `Object`).
 * - `@Session() s: Record<string, unknown>` (or `Session`, or any interface): the untyped
 *   `ctx.session`, not validated.
 * - `@Session('user') user: string`: one field's value as the request started.
 *
 * As a type, `Session` is the engine's session class (the type of `ctx.session`).
 *
 * @example
 * ```ts
 * @Get('/') count(@Session() s: ViewSession) { s.views++; return `${s.views} views`; }
 * ```
 */
export const Session: SessionDecorator = sessionParam as SessionDecorator;
/** The engine's session class: the type of `ctx.session`. */
export type Session = EngineSession;

/**
 * Declares a session schema's validation options and its policy for stored data that fails it.
 * Without this decorator a schema class uses the defaults: `onInvalid: 'reset'`,
 * `invalidSaveStatus: 400` and class-validator's defaults (`forbidUnknownValues: true`, no
 * whitelist). With `whitelist`, the schema's view of the session is the keys it declares: it
 * validates, writes and strips only those, and other schemas' or plain `ctx.session` keys survive.
 * Keys the schema should delete are named in `obsoleteKeys`. A class without class-validator
 * decorators is not validated (there is nothing to check).
 *
 * @example
 * ```ts
 * @SessionSchema({ whitelist: true, onInvalid: 'reject', obsoleteKeys: ['legacyUser'] })
 * export class AccountSession {
 *   @IsOptional() @IsString() userId?: string;
 * }
 * ```
 */
export function SessionSchema(options: SessionSchemaOptions = {}): ClassDecorator {
  return (target) => {
    setSchemaOptions(target as unknown as Type, { ...options });
  };
}
