import type { Context, Middleware } from 'koa';
import type { DependencyContainer } from 'tsyringe';
import { RequestValidationError, SessionService } from 'koa-typed-session';
import { PageStateService } from './page-state.service';
import { cartPage, loginPage } from './views';
import { CATALOGUE, WebSession } from './web-session';

/** Validation options of the demo's forms: unknown fields are refused, as before. */
export const FORM = { whitelist: true, forbidNonWhitelisted: true } as const;

/** The first message of a validation error, for a form page. */
function firstMessage(error: RequestValidationError): string {
  const first = error.errors[0];
  return Object.values(first?.constraints ?? {})[0] ?? `${first?.property ?? 'form'} is invalid`;
}

/**
 * The forms (`@Body(FORM) form: LoginForm`) are validated by the decorator module before the
 * handler runs; an invalid one throws a RequestValidationError, which the app would answer as JSON.
 * For a server-rendered form this middleware answers instead: the form's page again, with a 400 and
 * the message. It runs inside the session, so it can render the page state with SessionService.
 */
export function formErrorPages(container: () => DependencyContainer): Middleware {
  return async function formErrorPages(ctx: Context, next: () => Promise<unknown>): Promise<void> {
    try {
      await next();
    } catch (err) {
      if (!(err instanceof RequestValidationError) || ctx.method !== 'POST') throw err;
      const render = pages[ctx.path];
      if (!render) throw err;
      const session = await container().resolve(SessionService).get(WebSession);
      ctx.status = 400;
      ctx.type = 'html';
      ctx.body = render(container().resolve(PageStateService), session, firstMessage(err));
    }
  };
}

const pages: Record<string, (pageState: PageStateService, s: WebSession, message: string) => string> = {
  '/login': (pageState, s, message) => loginPage(pageState.of(s), message),
  '/cart/add': (pageState, s, message) => cartPage(pageState.of(s), pageState.cartLines(s), CATALOGUE, message),
};
