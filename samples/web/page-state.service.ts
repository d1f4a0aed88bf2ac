import { inject, injectable } from 'tsyringe';
import { type FlashBag } from 'koa-typed-session';
import type { PageState } from './views';
import { CATALOGUE, type WebFlash, type WebSession } from './web-session';

/** What the demo knows about its own setup (registered by `createWebApp`). */
export interface WebFeatures {
  /** The store can destroy every session of a user, so "Log out everywhere" is offered. */
  logoutEverywhere: boolean;
}

/** Injection token of {@link WebFeatures}. */
export const WEB_FEATURES = Symbol('web-demo#features');

/** Builds what every page shows about the session, from the typed session. */
@injectable()
export class PageStateService {
  constructor(@inject(WEB_FEATURES) private readonly features: WebFeatures) {}

  /** The page state, with the flash notice this request received (shown once). */
  of(session: WebSession, flash: FlashBag<WebFlash>): PageState {
    return {
      user: session.user,
      views: session.views,
      cartCount: session.cart.reduce((n, line) => n + line.quantity, 0),
      canLogoutEverywhere: this.features.logoutEverywhere,
      flash: flash.get('notice'),
    };
  }

  /** The cart's lines with their display names. */
  cartLines(session: WebSession): Array<{ sku: string; name: string; quantity: number }> {
    return session.cart.map((line) => ({
      sku: line.sku,
      name: CATALOGUE[line.sku] ?? line.sku,
      quantity: line.quantity,
    }));
  }
}

/** The first message of a form's flashed field errors (`@FormRedirect`), if any. */
export function firstError(flash: FlashBag<WebFlash>): string | undefined {
  const errors = flash.get('errors');
  return errors ? Object.values(errors).flat()[0] : undefined;
}
