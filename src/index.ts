/**
 * koa-typed-session: koa-session 7 compatible sessions for Koa, typed end to end.
 * The barrel holds no logic: named exports, the default export, and types.
 */
// Before anything that touches tsyringe or decorator metadata (the decorator module needs it).
import 'reflect-metadata';
import './koa/koa.augment';
import { createSession } from './koa/middleware';

export { createSession, createSession as session, contextSession } from './koa/middleware';
export { destroyAllSessionsOf } from './koa/destroy-all-sessions';
export type { KoaSessionOptions, KoaSessionEvent } from './koa/middleware';
// `Session` is both the engine's session class (type, `instanceof`, `prototype`) and the `@Session()`
// parameter decorator: see di/session.decorator.ts.
export { Session } from './di/session.decorator';
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
  RequestValidationError,
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

// Decorator module (tsyringe DI, SessionService, typed and validated @Session()).
export { createApp, createAppAsync } from './di/create-app';
export type { CreateAppOptions, AppProvider, DecoratedApp } from './di/create-app';
export { Controller, Get, Post, Put, Patch, Delete, Body, Query, Param, Ctx } from './di/http.decorators';
export { SessionSchema } from './di/session.decorator';
export type { SessionSchemaOptions } from './di/validate-session';
export { SessionConfig } from './di/session-config';
export type { SessionModuleOptions } from './di/session-config';
export { SessionModule } from './di/session.module';
export type { AppModule, SessionModuleAsyncOptions } from './di/session.module';
export { SessionService } from './di/session.service';
export type { RegenerateOptions } from './di/session.service';
export type { SchemaInvalidEvent } from './di/request-state';
export type { ErrorBody } from './di/error-mapper';
export { MAX_DTO_DEPTH } from './di/validate-request';
export { SESSION_STORE } from './di/tokens';

export default createSession;
