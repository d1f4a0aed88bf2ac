/**
 * Flash messages in the decorator module: the `@Flash()` parameter and the injectable
 * {@link FlashService}, both over the request's `ctx.flash` (see core/flash.ts).
 */
import type { FlashBag, FlashMessages, FlashName } from '../core/flash';
import { contextFlash } from '../koa/middleware';
import { paramDecorator } from './http.decorators';
import type { RequestScope } from './request-scope';

/**
 * Injects the messages this request received, as a synchronous {@link FlashBag} (claimed before the
 * handler runs: consumed, gone after this request unless kept). Type it with an interface or a
 * class of your messages: `@Flash() flash: FlashBag<LoginFlash>`. Needs `SessionModule`.
 *
 * @example
 * ```ts
 * @Get('/login') form(@Flash() flash: FlashBag<LoginFlash>) {
 *   return loginPage({ error: flash.get('error'), old: flash.get('old') });
 * }
 * ```
 */
export function Flash(): ParameterDecorator {
  return paramDecorator('flash');
}

/**
 * The current request's flash messages, injectable anywhere in an app built by `createApp` (the
 * request is found through the app's request scope, as for `SessionService`). Used outside a
 * request it throws a `SessionStateError`.
 *
 * @example
 * ```ts
 * @injectable()
 * export class CartService {
 *   constructor(private readonly flash: FlashService) {}
 *   refuse(reason: string) { this.flash.set('cartError', reason); }
 * }
 * ```
 */
export class FlashService {
  /** @internal Created by SessionModule: inject FlashService, never construct it. */
  constructor(private readonly scope: RequestScope) {
    // It finds its request through the scope's AsyncLocalStorage: from now on requests run in it.
    scope.useAmbient();
  }

  /** Sets a message for the next request that reads flash messages. */
  set<K extends FlashName<FlashMessages>>(name: K, value: FlashMessages[K]): void {
    this.flash('set()').set(name, value);
  }

  /** Keeps one received message (or all of them) for one more request. */
  keep(name?: FlashName<FlashMessages>): void {
    this.flash('keep()').keep(name);
  }

  /** Every message this request received (consumed). */
  all(): Promise<Partial<FlashMessages>> {
    return this.flash('all()').all();
  }

  /** One message this request received (consumes every received message). */
  get<K extends FlashName<FlashMessages>>(name: K): Promise<FlashMessages[K] | undefined> {
    return this.flash('get()').get(name);
  }

  /** The received messages as a synchronous view typed by `M` (an interface or a class). */
  load<M extends object = FlashMessages>(): Promise<FlashBag<M>> {
    return this.flash('load()').load() as unknown as Promise<FlashBag<M>>;
  }

  private flash(operation: string): ReturnType<typeof contextFlash> {
    const state = this.scope.require(`FlashService.${operation}`);
    state.session(); // throws when the app has no session middleware
    return contextFlash(state.ctx);
  }
}
