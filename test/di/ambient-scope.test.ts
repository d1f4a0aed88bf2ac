import { AsyncLocalStorage } from 'node:async_hooks';
import { IsInt, Min } from 'class-validator';
import { injectable } from 'tsyringe';
import {
  Controller,
  FlashService,
  Get,
  Session,
  SessionModule,
  SessionService,
  createApp,
} from 'koa-typed-session/decorators';
import { cookieHeader, request } from '../helpers/app';

/**
 * The request scope's AsyncLocalStorage (promise hooks on every promise on Node 20) is paid only
 * by apps that create SessionService or FlashService: routes find their request through `ctx`.
 */
class Counter {
  @IsInt() @Min(0) view = 0;
}

@Controller('/')
class PlainController {
  @Get('/')
  count(@Session() s: Counter): string {
    s.view++;
    return `${s.view} views`;
  }
}

@injectable()
class ViewsService {
  constructor(private readonly sessions: SessionService) {}

  async views(): Promise<number> {
    await new Promise((resolve) => setTimeout(resolve, 1));
    return (await this.sessions.get(Counter)).view;
  }
}

@Controller('/')
class ServiceController {
  constructor(private readonly views: ViewsService) {}

  @Get('/')
  count(@Session() s: Counter): string {
    s.view++;
    return `${s.view} views`;
  }

  @Get('/views')
  async read(): Promise<string> {
    return `${await this.views.views()} via service`;
  }
}

const KEYS = ['ambient-scope-test-key'];

describe('request scope: AsyncLocalStorage only where SessionService or FlashService exists', () => {
  let run: jest.SpyInstance;
  beforeEach(() => {
    run = jest.spyOn(AsyncLocalStorage.prototype, 'run');
  });
  afterEach(() => run.mockRestore());

  it('a typed @Session() route works without entering the AsyncLocalStorage', async () => {
    const app = createApp({ keys: KEYS, imports: [SessionModule.forRoot({})], controllers: [PlainController] });
    const agent = request(app.callback());
    const first = await agent.get('/').expect(200, '1 views');
    await agent.get('/').set('Cookie', cookieHeader(first)).expect(200, '2 views');
    expect(run).not.toHaveBeenCalled();
  });

  it('an injected SessionService works in a service, across awaits (the scope is entered)', async () => {
    const app = createApp({ keys: KEYS, imports: [SessionModule.forRoot({})], controllers: [ServiceController] });
    const agent = request(app.callback());
    const first = await agent.get('/').expect(200, '1 views');
    await agent.get('/views').set('Cookie', cookieHeader(first)).expect(200, '1 via service');
    expect(run).toHaveBeenCalled();
  });

  it('a SessionService or FlashService resolved from the container later works from then on', async () => {
    for (const token of [SessionService, FlashService]) {
      const app = createApp({ keys: KEYS, imports: [SessionModule.forRoot({})], controllers: [PlainController] });
      const agent = request(app.callback());
      const first = await agent.get('/').expect(200, '1 views');
      expect(run).not.toHaveBeenCalled();
      app.container.resolve<object>(token);
      await agent.get('/').set('Cookie', cookieHeader(first)).expect(200, '2 views');
      expect(run).toHaveBeenCalledTimes(1);
      run.mockClear();
    }
    // And it finds its request, in a middleware added later, across awaits.
    const app = createApp({ keys: KEYS, imports: [SessionModule.forRoot({})], controllers: [PlainController] });
    const agent = request(app.callback());
    const first = await agent.get('/').expect(200, '1 views');
    const services = app.container.resolve(ViewsService);
    app.use(async (ctx, next) => {
      if (ctx.path !== '/late') return next();
      ctx.body = `${await services.views()} late`;
    });
    await request(app.callback()).get('/late').set('Cookie', cookieHeader(first)).expect(200, '1 late');
  });
});
