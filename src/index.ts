/**
 * koa-typed-session: koa-session 7 compatible sessions for Koa, typed end to end.
 * The barrel holds no logic: named exports, the default export, and types.
 */
import './koa/koa.augment';
import { createSession } from './koa/middleware';

export { createSession, createSession as session, contextSession } from './koa/middleware';
export { destroyAllSessionsOf } from './koa/destroy-all-sessions';
export type { KoaSessionOptions } from './koa/middleware';
export { Session } from './core/session';
export type { CommitOptions } from './core/session';
export { ONE_DAY } from './core/options';
export type { SessionOptions, NormalizedOptions } from './core/options';
export {
  SessionError,
  SessionConfigError,
  SessionStoreError,
  SessionCookieError,
  SessionStateError,
  SessionValidationError,
} from './core/errors';
export type { SessionFieldError } from './core/errors';
export { encodeBase64Json, decodeBase64Json } from './core/codec';
export { createCookieSealer } from './core/crypto-codec';
export type { CookieSealer, EncryptionKey, EncryptionOptions } from './core/crypto-codec';
export { MemoryStore } from './stores/memory-store';
export type { MemoryStoreOptions } from './stores/memory-store';
export { RedisStore } from './stores/redis-store';
export type { RedisStoreOptions } from './stores/redis-store-options';
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
  SessionEvent,
  StoreGetOptions,
  StoreSetOptions,
  StoreDestroyOptions,
} from './core/types';

export default createSession;
