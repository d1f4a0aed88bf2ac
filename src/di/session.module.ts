import { instanceCachingFactory, type DependencyContainer, type InjectionToken } from 'tsyringe';
import { SessionConfigError } from '../core/errors';
import type { SessionStore } from '../core/types';
import { RequestScope } from './request-scope';
import { SessionConfig, type SessionModuleOptions } from './session-config';
import { SessionService } from './session.service';
import { FlashService } from './flash.decorator';
import { SESSION_STORE } from './tokens';

/**
 * Something `createApp({ imports })` sets up in the app's container. `async` modules need
 * `createAppAsync()`.
 */
export interface AppModule {
  /** The module's name (`'SessionModule'`); createApp refuses the same module twice. */
  readonly name: string;
  /** True when `register` is asynchronous: the app must then be built with `createAppAsync()`. */
  readonly async: boolean;
  /** Registers the module's providers in the app's container. */
  register(container: DependencyContainer): void | Promise<void>;
}

/** Options of {@link SessionModule.forRootAsync}. */
export interface SessionModuleAsyncOptions {
  /** Builds the options from the resolved `inject` tokens; may be async (e.g. keys from a vault). */
  useFactory: (...deps: never[]) => SessionModuleOptions | Promise<SessionModuleOptions>;
  /** Tokens resolved from the app's container and passed to `useFactory`, in order. */
  inject?: InjectionToken[];
}

/**
 * Registers SessionConfig, the store and SessionService in the app's container. Explicit, called by
 * createApp: nothing is registered when a file is imported.
 */
function registerSessionModule(container: DependencyContainer, options: SessionModuleOptions): void {
  if (typeof options !== 'object' || options === null) {
    throw new SessionConfigError(
      'SessionModule',
      `needs an options object, got ${String(options)}`,
      'Pass `SessionModule.forRoot({ ... })`, or return an options object from `useFactory`.',
    );
  }
  let resolved = options;
  if (
    options.store === undefined &&
    options.ContextStore === undefined &&
    container.isRegistered(SESSION_STORE, true)
  ) {
    resolved = { ...options, store: container.resolve<SessionStore>(SESSION_STORE) };
  }
  const config = new SessionConfig(resolved); // throws SessionConfigError naming the option
  container.registerInstance(SessionConfig, config);
  if (config.store) container.registerInstance(SESSION_STORE, config.store);
  // Created on first resolution, once per app: creating one turns on the request scope's
  // AsyncLocalStorage (see RequestScope.useAmbient), which an app that never uses them skips.
  container.register(SessionService, {
    useFactory: instanceCachingFactory((c) => new SessionService(c.resolve(RequestScope))),
  });
  container.register(FlashService, {
    useFactory: instanceCachingFactory((c) => new FlashService(c.resolve(RequestScope))),
  });
}

/**
 * The session module of the decorator layer, for `createApp({ imports: [...] })`.
 *
 * The store is `options.store` if given; otherwise whatever is bound to `SESSION_STORE` (for
 * example by `providers`); otherwise sessions live in the cookie.
 *
 * @example
 * ```ts
 * createApp({ keys, imports: [SessionModule.forRoot({ maxAge: 86_400_000, rolling: true })], controllers });
 *
 * await createAppAsync({
 *   imports: [SessionModule.forRootAsync({
 *     inject: [SecretsService],
 *     useFactory: async (secrets: SecretsService) => ({ keys: await secrets.sessionKeys() }),
 *   })],
 *   controllers,
 * });
 * ```
 */
export const SessionModule = {
  /** The module with static options, checked when the app is created. */
  forRoot(options: SessionModuleOptions = {}): AppModule {
    return { name: 'SessionModule', async: false, register: (container) => registerSessionModule(container, options) };
  },

  /** The module with options built by a factory from other providers; needs `createAppAsync()`. */
  forRootAsync({ useFactory, inject = [] }: SessionModuleAsyncOptions): AppModule {
    if (typeof useFactory !== 'function') {
      throw new SessionConfigError(
        'useFactory',
        'of SessionModule.forRootAsync() must be a function',
        'Pass `useFactory: (...deps) => options` (it may be async).',
      );
    }
    if (!Array.isArray(inject)) {
      throw new SessionConfigError(
        'inject',
        'of SessionModule.forRootAsync() must be an array of tokens',
        'For example `inject: [SecretsService]`.',
      );
    }
    return {
      name: 'SessionModule',
      async: true,
      async register(container) {
        const deps = inject.map((token) => container.resolve<unknown>(token)) as never[];
        registerSessionModule(container, await useFactory(...deps));
      },
    };
  },
};
