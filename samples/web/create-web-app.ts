import { createApp, type DecoratedApp, type SessionModuleOptions, SessionModule } from 'koa-typed-session/decorators';
import { AuthController } from './auth.controller';
import { CartController } from './cart.controller';
import { HomeController } from './home.controller';
import { PageStateService, WEB_FEATURES, type WebFeatures } from './page-state.service';

/** Options of {@link createWebApp}. */
export interface WebAppOptions {
  /** Cookie-signing keys, newest first. @default a fixed development key: set real ones in production */
  keys?: string[];
  /**
   * Session options, over the demo's defaults (one day, `SameSite=Lax`). Give a `store` created
   * with `userField: 'user'` (MemoryStore or RedisStore) to offer "Log out everywhere".
   */
  session?: Omit<SessionModuleOptions, 'keys'>;
}

/** Development-only signing key; `main.ts` reads real ones from SESSION_KEYS. */
export const DEMO_KEYS = ['koa-typed-session demo key: replace me in production'];

/**
 * The demo web app: server-rendered pages on the decorator module (controllers, `@Session()`
 * typed sessions validated by class-validator, `SessionService`). Tests start it in-process; `main.ts`
 * starts it on a port.
 *
 * @example
 * ```ts
 * createWebApp({ session: { store: new MemoryStore({ userField: 'user' }) } }).listen(3001);
 * ```
 */
export function createWebApp(options: WebAppOptions = {}): DecoratedApp {
  const session: SessionModuleOptions = { maxAge: 86_400_000, sameSite: 'lax', ...options.session };
  // The store contract makes "destroy all sessions of a user" an optional capability: offer the
  // button only when the configured store has it.
  const features: WebFeatures = { logoutEverywhere: typeof session.store?.destroyAllOf === 'function' };
  const app: DecoratedApp = createApp({
    keys: options.keys ?? DEMO_KEYS,
    imports: [SessionModule.forRoot(session)],
    providers: [{ provide: WEB_FEATURES, useValue: features }, PageStateService],
    controllers: [HomeController, AuthController, CartController],
  });
  return app;
}
