/**
 * koa-typed-session: koa-session 7 compatible sessions for Koa, typed end to end.
 * The barrel holds no logic: named exports, the default export, and types.
 *
 * The root entry is the koa-session drop-in: it loads only Node built-ins (koa is a peer) and has no
 * global side effect. RedisStore is in 'koa-typed-session/redis', the decorator module in
 * 'koa-typed-session/decorators'.
 */
import './koa/koa.augment';
import { createSession } from './koa/middleware';

export { createSession, createSession as session, contextFlash } from './koa/middleware';
export { RequestFlash, FLASH_PREFIX } from './core/flash';
export type { FlashBag, FlashMessages, FlashName } from './core/flash';
export { destroyAllSessionsOf } from './koa/destroy-all-sessions';
export type { KoaSessionOptions, KoaSessionEvent, CreateSessionOptions } from './koa/middleware';
// The engine's session class: the type of `ctx.session` (and `instanceof`). The `@Session()`
// parameter decorator, which is also this type, is in 'koa-typed-session/decorators'.
export { Session } from './core/session';
export type { CommitOptions, SessionRegenerateOptions } from './core/session';
// `SessionOptions` is both the options type and, as in koa-session 7, a value with `.parse()`.
export { SessionOptions } from './core/options';
export type { ParsedSessionOptions } from './core/options';
export {
  SessionError,
  SessionConfigError,
  SessionStoreError,
  StoreUnavailableError,
  SessionCookieError,
  SessionStateError,
  SessionRevokedError,
  SessionValidationError,
  ForbiddenError,
} from './core/errors';
// Thrown by the decorator module only; kept here, where the docs import it from (a light file).
export { RequestValidationError } from './di/request-validation-error';
export type { SessionErrorDetails, SessionFieldError } from './core/errors';
export { encodeBase64Json, decodeBase64Json } from './core/codec';
export { createCookieSealer } from './core/crypto-codec';
export type { CookieSealer, EncryptionKey, EncryptionOptions } from './core/crypto-codec';
export { MemoryStore } from './stores/memory-store';
export type { MemoryStoreOptions } from './stores/memory-store';
export type {
  SessionData,
  SessionPayload,
  SessionStore,
  SessionPatch,
  MaxAge,
  SaveReason,
  ExternalKey,
  ContextStoreClass,
  CookieAttributes,
  CookieJar,
  CookieReadOptions,
  CookieWriteOptions,
  SessionEvent,
  StoreGetOptions,
  StoreSetOptions,
  StoreDestroyOptions,
} from './core/types';

export default createSession;
