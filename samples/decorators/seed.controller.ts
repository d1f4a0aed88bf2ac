import { Controller, Get, Session, SessionService } from 'koa-typed-session/decorators';
import { SeedSession } from './seed-session';

/** The seed's "Example App with Multiple APIs", one route per API. */
@Controller('/')
export class SeedController {
  constructor(private readonly sessions: SessionService) {}

  @Get('/set')
  set(@Session() s: SeedSession): string {
    s.user = 'JohnDoe'; // a live object: no write-back needed
    return 'Session is set!';
  }

  @Get('/get')
  get(@Session() s: SeedSession): string {
    return `User: ${String(s.user)}`;
  }

  @Get('/destroy')
  destroy(): string {
    this.sessions.destroy();
    return 'Session destroyed!';
  }

  // Last, so that the routes above win: every other path answers as the seed's `else` branch.
  @Get('/{*rest}')
  hello(): string {
    return 'Hello World';
  }
}
