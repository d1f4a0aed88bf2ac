/**
 * koa-typed-session/decorators: the NestJS-style decorator module (tsyringe DI, `SessionService`,
 * typed and validated `@Session()`, `createApp`). Needs the optional peer dependencies
 * reflect-metadata, tsyringe, class-validator, class-transformer, @koa/router and @koa/bodyparser.
 * Loading this entry installs reflect-metadata's `Reflect` polyfill (the root entry does not).
 */
import './peers/decorators';
// Before anything that touches tsyringe or decorator metadata.
import 'reflect-metadata';

export { createApp, createAppAsync } from './di/create-app';
export type { CreateAppOptions, AppProvider, DecoratedApp } from './di/create-app';
export { Controller, Get, Post, Put, Patch, Delete, Body, Query, Param, Ctx } from './di/http.decorators';
// `Session` here is both the `@Session()` parameter decorator and (as a type, for `instanceof`
// and `Session.prototype`) the engine's session class: see di/session.decorator.ts.
export { Session, SessionSchema } from './di/session.decorator';
export type { SessionSchemaOptions } from './di/validate-session';
export { SessionConfig } from './di/session-config';
export type { SessionModuleOptions } from './di/session-config';
export { SessionModule } from './di/session.module';
export type { AppModule, SessionModuleAsyncOptions } from './di/session.module';
export { SessionService } from './di/session.service';
export type { RegenerateOptions } from './di/session.service';
export { Flash, FlashService } from './di/flash.decorator';
export { FormRedirect, Secret } from './di/form-redirect';
export type { SchemaInvalidEvent } from './di/request-state';
export { MAX_DTO_DEPTH } from './di/validate-request';
export type { RequestValidationOptions } from './di/validate-request';
export { toErrorResponse } from './di/error-mapper';
export { RequestValidationError } from './di/request-validation-error';
export type { ErrorBody, ErrorMapper, ErrorResponse } from './di/error-mapper';
export { UseGuards } from './di/guards';
export type { CanActivate, ExecutionContext, GuardLike, HttpArgumentsHost } from './di/guards';
export { UseMiddleware } from './di/route-middleware';
export { Reflector, SetMetadata } from './di/reflector';
export type { MetadataKey, ReflectableDecorator } from './di/reflector';
export { SESSION_STORE } from './di/tokens';
export { createTestingApp, createTestingAppAsync, withSession } from './di/testing';
export type { TestingAppOptions, WithSessionOptions, SessionTestContext, SessionRun } from './di/testing';
