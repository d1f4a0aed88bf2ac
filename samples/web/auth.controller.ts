import type { Context } from 'koa';
import { type FlashBag } from 'koa-typed-session';
import {
  Session,
  Body,
  Controller,
  Ctx,
  Flash,
  FlashService,
  FormRedirect,
  Get,
  Post,
  SessionService,
} from 'koa-typed-session/decorators';
import { firstError, PageStateService } from './page-state.service';
import { loginPage } from './views';
import { FORM, LoginForm, WebSession, type WebFlash } from './web-session';

/** Redirects after a POST with 303, so a reload does not re-submit the form. */
function seeOther(ctx: Context, url: string): void {
  ctx.redirect(url);
  ctx.status = 303;
}

/** Login (regenerates the session), logout (destroys it) and "log out everywhere". */
@Controller('/')
export class AuthController {
  constructor(
    private readonly sessions: SessionService,
    private readonly flash: FlashService,
    private readonly pages: PageStateService,
  ) {}

  /** The login form, with the error and the name of a rejected attempt (flashed by @FormRedirect). */
  @Get('/login')
  form(@Session() s: WebSession, @Flash() flash: FlashBag<WebFlash>): string {
    const old = flash.get('old')?.name;
    return loginPage(this.pages.of(s, flash), firstError(flash), typeof old === 'string' ? old : undefined);
  }

  /**
   * Logs in: a new session id first (session-fixation defence), then the user's name. An invalid
   * form sends the browser back to /login with the errors and the typed name flashed (a JSON
   * client gets the 400).
   */
  @Post('/login')
  @FormRedirect('/login')
  async login(@Body(FORM) form: LoginForm, @Session() s: WebSession, @Ctx() ctx: Context): Promise<void> {
    await this.sessions.regenerate(); // keeps the data (views, cart); `s` stays live
    s.user = form.name;
    this.flash.set('notice', `Logged in as ${form.name}.`);
    seeOther(ctx, '/');
  }

  /** Logs out: the session is destroyed and the browser told to drop the cookie. */
  @Post('/logout')
  logout(@Ctx() ctx: Context): void {
    this.sessions.destroy();
    seeOther(ctx, '/login');
  }

  /** Destroys every session of this user (all browsers), then this one. Needs a store with `userField`. */
  @Post('/logout-everywhere')
  async logoutEverywhere(@Session() s: WebSession, @Ctx() ctx: Context): Promise<void> {
    if (s.user !== undefined) await this.sessions.destroyAllOf(s.user);
    this.sessions.destroy();
    seeOther(ctx, '/login');
  }
}
