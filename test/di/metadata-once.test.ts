import { IsInt } from 'class-validator';
import { injectable } from 'tsyringe';
import {
  Session,
  Body,
  Controller,
  Get,
  Param,
  Post,
  Query,
  SessionModule,
  SessionService,
  createApp,
  Reflector,
  SetMetadata,
  UseGuards,
  UseMiddleware,
  type CanActivate,
  type ExecutionContext,
} from 'koa-typed-session/decorators';
import { cookieHeader, request } from '../helpers/app';

class CountSession {
  @IsInt() n = 0;
}

class OtherSession {
  @IsInt() m = 0;
}

@injectable()
class OtherService {
  constructor(private readonly sessions: SessionService) {}

  async bump(): Promise<number> {
    const other = await this.sessions.get(OtherSession);
    return ++other.m;
  }
}

@Controller('/m')
class MetaController {
  constructor(private readonly other: OtherService) {}

  @Post('/:id')
  async all(
    @Param('id') id: string,
    @Query('q') q: string,
    @Body() body: unknown,
    @Session() s: CountSession,
    @Session('n') n: number,
    @Session() raw: Record<string, unknown>,
  ) {
    s.n++;
    return { id, q, body, n, m: await this.other.bump(), raw: typeof raw };
  }

  @Get('/')
  plain() {
    return 'plain';
  }
}

const Roles = Reflector.createDecorator<string[]>();

@injectable()
class RolesGuard implements CanActivate {
  constructor(private readonly reflector: Reflector) {}
  canActivate(context: ExecutionContext): boolean {
    const roles = this.reflector.getAllAndMerge(Roles, [context.getHandler(), context.getClass()]) ?? [];
    return (
      roles.includes(String(context.getContext().query.role)) &&
      this.reflector.get('open', context.getHandler()) === true
    );
  }
}

@Controller('/g')
@UseGuards(RolesGuard)
@UseMiddleware(async (ctx, next) => {
  await next();
  ctx.set('x-mw', '1');
})
@Roles(['admin'])
class GuardedController {
  @Get('/') @Roles(['user']) @SetMetadata('open', true) @UseMiddleware((ctx, next) => next()) list() {
    return 'listed';
  }
}

describe('metadata is read once, at startup', () => {
  afterEach(() => jest.restoreAllMocks());

  it('serving requests never reads Reflect metadata (after the first use of a SessionService schema)', async () => {
    const app = createApp({ keys: ['k'], imports: [SessionModule.forRoot()], controllers: [MetaController] });
    const agent = request(app.callback());
    // Warm-up: SessionService.get(OtherSession) compiles OtherSession on its first use.
    const warm = await agent.post('/m/1?q=a').send({ x: 1 }).expect(200);

    const getMetadata = jest.spyOn(Reflect, 'getMetadata');
    const getOwnMetadata = jest.spyOn(Reflect, 'getOwnMetadata');
    const res = await agent.post('/m/2?q=b').set('Cookie', cookieHeader(warm)).send({ x: 2 }).expect(200);
    expect(res.body).toEqual({ id: '2', q: 'b', body: { x: 2 }, n: 1, m: 2, raw: 'object' });
    await agent.get('/m').expect(200, 'plain');
    expect(getMetadata).not.toHaveBeenCalled();
    expect(getOwnMetadata).not.toHaveBeenCalled();
  });

  it('guards (with Reflector), route middleware and the global prefix read no metadata per request', async () => {
    const app = createApp({ controllers: [GuardedController], globalPrefix: '/api' });
    const agent = request(app.callback());
    const getMetadata = jest.spyOn(Reflect, 'getMetadata');
    const getOwnMetadata = jest.spyOn(Reflect, 'getOwnMetadata');
    await agent.get('/api/g?role=user').expect(200, 'listed').expect('x-mw', '1');
    await agent.get('/api/g?role=admin').expect(200);
    await agent.get('/api/g?role=guest').expect(403);
    expect(getMetadata).not.toHaveBeenCalled();
    expect(getOwnMetadata).not.toHaveBeenCalled();
  });

  it('compiles every handler when the app is created (errors surface at startup)', () => {
    const getMetadata = jest.spyOn(Reflect, 'getMetadata');
    createApp({ keys: ['k'], imports: [SessionModule.forRoot()], controllers: [MetaController] });
    const keys = getMetadata.mock.calls.map(([key]) => key);
    expect(keys).toContain('design:paramtypes');
  });
});
