import type { Middleware } from 'koa';
import {
  Session,
  Body,
  Controller,
  Get,
  Post,
  SessionService,
  UseGuards,
  UseMiddleware,
} from 'koa-typed-session/decorators';
import { AccountSession } from './account-session';
import { Roles, RolesGuard } from './roles.guard';

/** Demo accounts: name -> roles. */
const ACCOUNTS: Record<string, string[]> = { ann: ['admin', 'editor'], bob: ['editor'], eve: [] };

/** A per-route middleware: at most `max` logins per client address per minute (in memory, for the demo). */
export function loginRateLimit(max: number): Middleware {
  const hits = new Map<string, { count: number; until: number }>();
  return async (ctx, next) => {
    const now = Date.now();
    const entry = hits.get(ctx.ip);
    const current = entry && entry.until > now ? entry : { count: 0, until: now + 60_000 };
    current.count++;
    hits.set(ctx.ip, current);
    if (current.count > max) {
      // Headers travel on the error: the error mapping drops headers set before the throw (as Koa does).
      const headers = { 'retry-after': String(Math.ceil((current.until - now) / 1000)) };
      ctx.throw(429, 'Too many login attempts, retry later.', { headers });
    }
    await next();
  };
}

@Controller('/auth')
export class AuthController {
  constructor(private readonly sessions: SessionService) {}

  @Post('/login')
  @UseMiddleware(loginRateLimit(5))
  async login(@Body('user') user: unknown, @Session() account: AccountSession): Promise<string> {
    const roles = typeof user === 'string' ? ACCOUNTS[user] : undefined;
    if (!roles) return 'unknown user';
    await this.sessions.regenerate(); // a new id at login
    account.user = user as string;
    account.roles = roles;
    return `logged in as ${account.user}`;
  }

  @Post('/logout')
  logout(): void {
    this.sessions.destroy();
  }
}

/** Every route needs a login (RolesGuard); @Roles narrows it. */
@Controller('/articles')
@UseGuards(RolesGuard)
export class ArticlesController {
  @Get('/')
  list(): string[] {
    return ['hello-world'];
  }

  @Post('/')
  @Roles(['editor'])
  create(@Body('title') title: unknown): { created: string } {
    return { created: String(title) };
  }
}

@Controller('/admin')
@UseGuards(RolesGuard)
@Roles(['admin'])
export class AdminController {
  @Get('/stats')
  stats(@Session() account: AccountSession): { admin: string | undefined } {
    return { admin: account.user };
  }
}
