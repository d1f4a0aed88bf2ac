import type { Context } from 'koa';
import { Body, Controller, Ctx, Get, Post, Session, SessionService } from 'koa-typed-session/decorators';
import { parseForm } from './forms';
import { PageStateService } from './page-state.service';
import { loginPage } from './views';
import { LoginForm, WebSession } from './web-session';

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
    private readonly pages: PageStateService,
  ) {}

  /** The login form. Reading the session here writes nothing: an untouched session is not saved. */
  @Get('/login')
  form(@Session() s: WebSession): string {
    return loginPage(this.pages.of(s));
  }

  /** Logs in: a new session id first (session-fixation defence), then the user's name. */
  @Post('/login')
  async login(@Body() body: unknown, @Session() s: WebSession, @Ctx() ctx: Context): Promise<string | undefined> {
    const form = await parseForm(LoginForm, body);
    if (!form.ok) {
      ctx.status = 400;
      return loginPage(this.pages.of(s), form.message);
    }
    await this.sessions.regenerate(); // keeps the data (views, cart); `s` stays live
    s.user = form.value.name;
    s.flash = `Logged in as ${form.value.name}.`;
    seeOther(ctx, '/');
    return undefined;
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
