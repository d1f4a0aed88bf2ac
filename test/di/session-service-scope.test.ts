import { IsOptional, IsString } from 'class-validator';
import { injectable } from 'tsyringe';
import { MemoryStore, SessionStateError } from 'koa-typed-session';
import { Controller, Get, Param, SessionModule, SessionService, createApp } from 'koa-typed-session/decorators';
import { cookieHeader, request } from '../helpers/app';

class UserSession {
  @IsOptional() @IsString() user?: string;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
let late: Promise<unknown> | undefined;
/** Opened by the test once the response arrived: the scheduled work then runs after the request. */
let releaseLate: () => void = () => undefined;

@injectable()
class WhoService {
  constructor(private readonly sessions: SessionService) {}

  async who(delay: number): Promise<string | undefined> {
    await sleep(delay);
    return (await this.sessions.get(UserSession)).user;
  }
}

@Controller('/')
class ScopeController {
  constructor(
    private readonly who: WhoService,
    private readonly sessions: SessionService,
  ) {}

  @Get('/login/:name')
  async login(@Param('name') name: string) {
    (await this.sessions.get(UserSession)).user = name;
    return 'ok';
  }

  @Get('/who/:delay')
  async whoAmI(@Param('delay') delay: string) {
    const first = await this.who.who(Number(delay));
    await sleep(Number(delay));
    const second = await this.who.who(0);
    return { first, second };
  }

  @Get('/later')
  later() {
    // Scheduled work inherits the request's async context, but runs after the request is over.
    const afterResponse = new Promise<void>((resolve) => (releaseLate = resolve));
    late = afterResponse.then(() => sleep(1)).then(() => this.sessions.get(UserSession));
    late.catch(() => undefined); // handled below, once the test has the response
    return 'scheduled';
  }
}

function build() {
  return createApp({
    keys: ['k'],
    imports: [SessionModule.forRoot({ store: new MemoryStore() })],
    controllers: [ScopeController],
  });
}

describe('SessionService: per-request scope', () => {
  it('two concurrent, interleaved requests never see each other’s session', async () => {
    const app = build();
    const agent = request(app.callback());
    const ada = cookieHeader(await agent.get('/login/ada').expect(200));
    const bob = cookieHeader(await agent.get('/login/bob').expect(200));
    // ada waits longer, so bob's request starts and ends inside ada's.
    const [a, b, c] = await Promise.all([
      agent.get('/who/40').set('Cookie', ada),
      agent.get('/who/5').set('Cookie', bob),
      agent.get('/who/15'),
    ]);
    expect(a.body).toEqual({ first: 'ada', second: 'ada' });
    expect(b.body).toEqual({ first: 'bob', second: 'bob' });
    expect(c.body).toEqual({});
  });

  it('throws a clear SessionStateError outside a request', async () => {
    const app = build();
    const sessions = app.container.resolve(SessionService);
    await expect(sessions.get(UserSession)).rejects.toThrow(SessionStateError);
    expect(() => sessions.id).toThrow(/^koa-typed-session: SessionService\.id was used outside a request/);
    expect(() => sessions.destroy()).toThrow(SessionStateError);
  });

  it('throws a clear SessionStateError when used after its request finished', async () => {
    late = undefined;
    await request(build().callback()).get('/later').expect(200, 'scheduled');
    releaseLate();
    await expect(late).rejects.toThrow(/used after its request had finished/);
  });

  it('each app has its own container and SessionService', () => {
    const one = build();
    const two = build();
    expect(one.container.resolve(SessionService)).not.toBe(two.container.resolve(SessionService));
    expect(one.container.resolve(SessionService)).toBe(one.container.resolve(SessionService));
  });
});
