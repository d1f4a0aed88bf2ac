import Koa, { type Middleware } from 'koa';
import { bodyParser } from '@koa/bodyparser';
import { container as globalContainer, type DependencyContainer, type InjectionToken, type Provider } from 'tsyringe';
import { SessionConfigError } from '../core/errors';
import { checkOptionNames, fail } from '../core/option-checks';
import { createSession } from '../koa/middleware';
import { installLifecycle } from './app-lifecycle';
import { errorMapper, type ErrorMapper } from './error-mapper';
import type { Type } from './metadata';
import { registerControllers } from './register-controllers';
import { Reflector } from './reflector';
import { RequestScope } from './request-scope';
import { SessionConfig, checkKeys } from './session-config';
import type { AppModule } from './session.module';
import { SessionService } from './session.service';
import { checkValidationOptions, type RequestValidationOptions } from './validate-request';
import { SESSION_STORE } from './tokens';

/** A provider for `createApp({ providers })`: a class (a singleton of the app), or a token with a tsyringe provider. */
export type AppProvider =
  | (new (...args: never[]) => object)
  | ({
      /** The token the provider is registered under. */
      provide: InjectionToken;
    } & Provider);

/** @internal Where createApp keeps the session chain of an app for the testing kit. */
export const SESSION_CHAIN = Symbol('koa-typed-session#session-chain');

/** @internal The middleware the testing kit runs code inside. */
export interface SessionChain {
  readonly session: Middleware | undefined;
  readonly scope: Middleware;
}

/** Options of {@link createApp}. */
export interface CreateAppOptions {
  /** Signing keys (`app.keys`), newest first. May come from the SessionModule instead. */
  keys?: string[];
  /** Modules, e.g. `SessionModule.forRoot({...})`. */
  imports?: AppModule[];
  /** Classes decorated with `@Controller()`: created once, when the app is created. */
  controllers?: Type[];
  /** Registered in the app's container before the modules (e.g. `{ provide: SESSION_STORE, useValue: store }`). */
  providers?: AppProvider[];
  /** Parent container; the app gets a child of it, so apps never share registrations. @default tsyringe's root container */
  container?: DependencyContainer;
  /** Trust X-Forwarded-* headers (`app.proxy`), e.g. behind a TLS-terminating load balancer. */
  proxy?: boolean;
  /** `@koa/bodyparser` options, or `false` for no body parsing. */
  bodyParser?: Parameters<typeof bodyParser>[0] | false;
  /** Extra Koa middleware, run inside the session (it may use ctx.session and SessionService) before the routes. */
  middleware?: Middleware[];
  /** Validation options of every request DTO (`@Body()`, `@Query()`, `@Param()` classes); a parameter's own options win. */
  validation?: RequestValidationOptions;
  /** Prepended to every controller route, e.g. `'/api'` (Nest's `app.setGlobalPrefix`). @default none */
  globalPrefix?: string;
  /**
   * Replaces the JSON error shape: turns an error (or an empty 404/405) into `{ status, body,
   * headers?, type? }`, e.g. RFC 9457 problem+json. @default toErrorResponse: `{ statusCode, code, message, errors? }`
   */
  errorMapper?: ErrorMapper;
  /** Most ms `app.close()` lets requests in flight finish before destroying their connections. @default 10_000 */
  shutdownTimeout?: number;
}

/** A Koa app built by createApp, with the app's own DI container. */
export type DecoratedApp = Koa & {
  /** The app's own tsyringe container (a child of `createApp({ container })`). */
  readonly container: DependencyContainer;
  /**
   * Graceful shutdown (Nest's `app.close()`): closes the servers `app.listen()` created (requests
   * in flight finish, up to `shutdownTimeout`), then quits the session stores the app created
   * (`SESSION_STORE` bound with `useFactory`/`useClass`; a store you passed in stays open), then
   * disposes the app's container. Idempotent.
   */
  close(): Promise<void>;
};

const OPTION_NAMES = new Set([
  'keys',
  'imports',
  'controllers',
  'providers',
  'container',
  'proxy',
  'bodyParser',
  'middleware',
  'validation',
  'globalPrefix',
  'errorMapper',
  'shutdownTimeout',
] satisfies (keyof CreateAppOptions)[]);

interface Plan {
  options: CreateAppOptions;
  container: DependencyContainer;
  scope: RequestScope;
  imports: AppModule[];
  ownedStores: Set<object>;
}

function prepare(options: CreateAppOptions): Plan {
  if (typeof options !== 'object' || options === null) {
    throw new SessionConfigError(
      'createApp',
      'needs an options object',
      'Call `createApp({ keys, imports, controllers })`.',
    );
  }
  checkOptionNames(options, OPTION_NAMES, {
    fail,
    problem: 'is not an option of createApp()',
    fix: (known) => `Check the spelling; the options are ${known.join(', ')}.`,
  });
  const imports = options.imports ?? [];
  for (const module of imports as unknown[]) {
    const candidate = module as Partial<AppModule> | null;
    if (typeof candidate?.register !== 'function') {
      throw new SessionConfigError(
        'imports',
        `must contain modules, got ${typeof module === 'function' ? `the function ${module.name}` : String(module)}`,
        'Call the module: `imports: [SessionModule.forRoot({ ... })]`.',
      );
    }
  }
  if (imports.filter((m) => m.name === 'SessionModule').length > 1) {
    throw new SessionConfigError(
      'imports',
      'contains SessionModule more than once',
      'Keep one SessionModule.forRoot() or forRootAsync().',
    );
  }
  if (options.keys !== undefined) checkKeys('keys', options.keys);
  checkAppHooks(options);
  const container = (options.container ?? globalContainer).createChildContainer();
  const scope = new RequestScope();
  scope.validation = checkValidationOptions(options.validation, 'validation');
  container.registerInstance(RequestScope, scope);
  container.registerInstance(Reflector, new Reflector());
  const ownedStores = new Set<object>();
  for (const provider of options.providers ?? []) {
    if (typeof provider === 'function') container.registerSingleton(provider as unknown as new () => object);
    else if (provider.provide === SESSION_STORE)
      container.register(SESSION_STORE, ownedStore(provider, ownedStores) as never);
    else container.register(provider.provide, provider as never);
  }
  return { options, container, scope, imports, ownedStores };
}

function checkAppHooks({ globalPrefix, errorMapper, shutdownTimeout }: CreateAppOptions): void {
  if (globalPrefix !== undefined && (typeof globalPrefix !== 'string' || /[?#\s]/.test(globalPrefix))) {
    throw new SessionConfigError(
      'globalPrefix',
      `must be a path such as '/api', got ${JSON.stringify(globalPrefix) ?? String(globalPrefix)}`,
      "Pass `globalPrefix: '/api'`.",
    );
  }
  if (errorMapper !== undefined && typeof errorMapper !== 'function') {
    throw new SessionConfigError(
      'errorMapper',
      `must be a function, got ${typeof errorMapper}`,
      'Pass `errorMapper: (error, ctx) => ({ status, body })`.',
    );
  }
  if (
    shutdownTimeout !== undefined &&
    (typeof shutdownTimeout !== 'number' || !Number.isFinite(shutdownTimeout) || shutdownTimeout < 0)
  ) {
    throw new SessionConfigError(
      'shutdownTimeout',
      `must be a number of milliseconds (0 or more), got ${String(shutdownTimeout)}`,
      'For example `shutdownTimeout: 10_000`.',
    );
  }
}

/**
 * A SESSION_STORE provider whose instance the app's container creates (`useFactory`, `useClass`)
 * is the app's: `app.close()` quits it. A `useValue` store is the caller's and stays open.
 */
function ownedStore(provider: { provide: InjectionToken } & Provider, owned: Set<object>): Provider {
  const create =
    'useFactory' in provider
      ? provider.useFactory
      : 'useClass' in provider
        ? (c: DependencyContainer) => c.resolve(provider.useClass as InjectionToken<object>)
        : undefined;
  if (!create) return provider as Provider;
  return {
    useFactory: (c) => {
      const store = create(c) as object;
      owned.add(store);
      return store;
    },
  };
}

function assemble({ options, container, scope, ownedStores }: Plan): DecoratedApp {
  const app = new Koa() as DecoratedApp;
  Object.defineProperty(app, 'container', { value: container, enumerable: false });
  if (options.proxy !== undefined) app.proxy = options.proxy;
  const config = container.isRegistered(SessionConfig) ? container.resolve(SessionConfig) : undefined;
  if (config?.keys && options.keys && config.keys.join('\0') !== options.keys.join('\0')) {
    throw new SessionConfigError(
      'keys',
      'was given both to createApp() and to SessionModule, with different values',
      'Pass the keys in one place.',
    );
  }
  const keys = config?.keys ?? options.keys;
  if (keys) app.keys = [...keys];
  else if (config?.options.signed) {
    // Said here, in createApp's terms: the middleware's own message is about `app.keys`.
    throw new SessionConfigError(
      'keys',
      'is missing: signed session cookies need signing keys',
      'Pass `createApp({ keys: [process.env.SESSION_SECRET!] })` or `SessionModule.forRoot({ keys: [...] })` (newest key first).',
    );
  }
  scope.sessionsEnabled = config !== undefined;
  if (!config) {
    // Without SessionModule, tsyringe would only say "TypeInfo not known for SessionService".
    const needsModule: Array<InjectionToken<object>> = [SessionService, SessionConfig];
    for (const token of needsModule) {
      container.register(token, {
        useFactory: () => {
          throw new SessionConfigError(
            'imports',
            `has no SessionModule, which ${(token as { name: string }).name} needs`,
            'Add `imports: [SessionModule.forRoot({ ... })]` to createApp().',
          );
        },
      });
    }
  }
  const router = registerControllers(options.controllers ?? [], container, scope, {
    ...(options.globalPrefix !== undefined && { prefix: options.globalPrefix }),
    reflector: container.resolve(Reflector),
  });
  installLifecycle(app, { container, ownedStores, shutdownTimeout: options.shutdownTimeout ?? 10_000 });

  app.use(errorMapper(options.errorMapper));
  const sessionMiddleware = config ? createSession(config.source, app) : undefined;
  if (sessionMiddleware) app.use(sessionMiddleware);
  app.use(scope.middleware());
  // For the testing kit (testing.ts): the session and scope middleware, to run code in a session without HTTP.
  Object.defineProperty(app, SESSION_CHAIN, { value: { session: sessionMiddleware, scope: app.middleware.at(-1) } });
  if (options.bodyParser !== false) app.use(bodyParser(options.bodyParser));
  for (const middleware of options.middleware ?? []) app.use(middleware);
  app.use(router.routes());
  app.use(router.allowedMethods());
  return app;
}

/**
 * Builds a Koa app from decorated controllers: error mapping to JSON, the session middleware
 * (from `SessionModule`), the request scope of `SessionService`, body parsing and the routes, which
 * are compiled once, here. Everything is checked here too: invalid options throw a
 * `SessionConfigError` naming the option. Modules configured asynchronously (`forRootAsync`) need
 * {@link createAppAsync}.
 *
 * @example
 * ```ts
 * const app = createApp({
 *   keys: [process.env.SESSION_SECRET!],
 *   imports: [SessionModule.forRoot({ maxAge: 86_400_000, rolling: true })],
 *   controllers: [ViewsController],
 * });
 * app.listen(3000);
 * ```
 */
export function createApp(options: CreateAppOptions): DecoratedApp {
  const plan = prepare(options);
  for (const module of plan.imports) {
    if (module.async) {
      throw new SessionConfigError(
        'imports',
        `contains ${module.name}.forRootAsync(), which is configured asynchronously`,
        'Use `await createAppAsync({...})` instead of createApp().',
      );
    }
    void module.register(plan.container);
  }
  return assemble(plan);
}

/**
 * {@link createApp} for modules configured asynchronously (`SessionModule.forRootAsync`); accepts
 * synchronous ones too. Resolves to the app once every module is registered.
 */
export async function createAppAsync(options: CreateAppOptions): Promise<DecoratedApp> {
  const plan = prepare(options);
  for (const module of plan.imports) await module.register(plan.container);
  return assemble(plan);
}
