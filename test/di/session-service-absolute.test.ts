/** SessionService.regenerate() and the absolute clock (`absoluteTimeout`): kept unless restarted. */
import { IsOptional, IsString } from 'class-validator';
import { MemoryStore } from 'koa-typed-session';
import { Controller, Post, Session, SessionModule, SessionService, createApp } from 'koa-typed-session/decorators';
import { cookieHeader, request } from '../helpers/app';

class UserSession {
  @IsOptional() @IsString() user?: string;
}

@Controller('/')
class LoginController {
  constructor(private readonly sessions: SessionService) {}

  @Post('/visit')
  visit(@Session() s: UserSession) {
    s.user = 'ada';
  }

  @Post('/rotate')
  async rotate() {
    await this.sessions.regenerate();
    return { id: this.sessions.id };
  }

  @Post('/login')
  async login() {
    await this.sessions.regenerate({ restartAbsolute: true });
    return { id: this.sessions.id };
  }
}

describe('SessionService.regenerate() and absoluteTimeout', () => {
  let now = Date.UTC(2030, 0, 1);
  beforeEach(() => jest.spyOn(Date, 'now').mockImplementation(() => now));
  afterEach(() => jest.restoreAllMocks());

  async function createdAfter(path: string): Promise<unknown> {
    const store = new MemoryStore();
    const app = createApp({
      keys: ['k'],
      imports: [SessionModule.forRoot({ store, absoluteTimeout: 3_600_000 })],
      controllers: [LoginController],
    });
    const start = now;
    const first = await request(app.callback()).post('/visit').expect(204);
    now += 60_000;
    const res = await request(app.callback()).post(path).set('Cookie', cookieHeader(first)).expect(200);
    return (store.get((res.body as { id: string }).id)?._created ?? 0) - start;
  }

  it('regenerate() keeps the session start', async () => {
    expect(await createdAfter('/rotate')).toBe(0);
  });

  it('regenerate({ restartAbsolute: true }) starts a new absolute clock', async () => {
    expect(await createdAfter('/login')).toBe(60_000);
  });
});
