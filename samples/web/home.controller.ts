import { type FlashBag } from 'koa-typed-session';
import { Session, Controller, Flash, Get } from 'koa-typed-session/decorators';
import { PageStateService } from './page-state.service';
import { homePage } from './views';
import { WebSession, type WebFlash } from './web-session';

/** The home page: a page counter kept in the typed session. */
@Controller('/')
export class HomeController {
  constructor(private readonly pages: PageStateService) {}

  /** Counts the visit. `s` is live: the increment is validated and saved when the request ends. */
  @Get('/')
  home(@Session() s: WebSession, @Flash() flash: FlashBag<WebFlash>): string {
    s.views++;
    return homePage(this.pages.of(s, flash));
  }
}
