import { Controller, Get, Session } from 'koa-typed-session/decorators';
import { PageStateService } from './page-state.service';
import { homePage } from './views';
import { WebSession } from './web-session';

/** The home page: a page counter kept in the typed session. */
@Controller('/')
export class HomeController {
  constructor(private readonly pages: PageStateService) {}

  /** Counts the visit. `s` is live: the increment is validated and saved when the request ends. */
  @Get('/')
  home(@Session() s: WebSession): string {
    s.views++;
    return homePage(this.pages.of(s));
  }
}
