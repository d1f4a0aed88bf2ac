import { IsInt, IsString } from 'class-validator';
import type { Context } from 'koa';
import { injectable } from 'tsyringe';
import { SessionConfigError, SessionError } from 'koa-typed-session';
import {
  Body,
  Controller,
  Ctx,
  Get,
  Post,
  Reflector,
  SessionModule,
  SessionService,
  SetMetadata,
  UseGuards,
  createApp,
  type CanActivate,
  type ExecutionContext,
} from 'koa-typed-session/decorators';
import { cookieHeader, request } from '../helpers/app';

class UserSession {
  @IsString() user = '';
  @IsInt() visits = 0;
}

/** An app service a guard injects. */
@injectable()
class Accounts {
  readonly roles: Record<string, string[]> = { ann: ['admin'], bob: ['user'] };
}

const Roles = Reflector.createDecorator<string[]>();

@injectable()
class LoggedInGuard implements CanActivate {
  constructor(private readonly sessions: SessionService) {}
  async canActivate(): Promise<boolean> {
    const s = await this.sessions.get(UserSession);
    return s.user !== '';
  }
}

@injectable()
class RolesGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly accounts: Accounts,
  ) {}
  canActivate(context: ExecutionContext): boolean {
    const roles = this.reflector.getAllAndOverride(Roles, [context.getHandler(), context.getClass()]);
    if (!roles) return true;
    const user = String((context.getContext().session as { user?: unknown } | null)?.user);
    return roles.some((role) => this.accounts.roles[user]?.includes(role));
  }
}

@Controller('/auth')
class AuthController {
  @Post('/login')
  login(@Body('user') user: string, @Ctx() ctx: Context) {
    ctx.session!.user = user;
    return 'ok';
  }
}

@Controller('/admin')
@UseGuards(LoggedInGuard, RolesGuard)
@Roles(['admin'])
class AdminController {
  @Get('/') dashboard() {
    return 'dashboard';
  }
  @Get('/reports') @Roles(['user', 'admin']) reports() {
    return 'reports';
  }
}

function build(extra: Parameters<typeof createApp>[0] = {}) {
  return createApp({
    keys: ['k'],
    imports: [SessionModule.forRoot()],
    controllers: [AuthController, AdminController],
    ...extra,
  });
}

async function login(app: ReturnType<typeof build>, user: string): Promise<string> {
  const res = await request(app.callback()).post('/auth/login').send({ user }).expect(200);
  return cookieHeader(res);
}

describe('@UseGuards: guards resolved from the app container', () => {
  it('injects SessionService, Reflector and app services into guard classes; the @Roles recipe', async () => {
    const app = build();
    const agent = request(app.callback());
    await agent.get('/admin').expect(403, {
      statusCode: 403,
      code: 'ERR_FORBIDDEN',
      message: 'koa-typed-session: access to this route was denied by a guard.',
    });
    const ann = await login(app, 'ann');
    const bob = await login(app, 'bob');
    await agent.get('/admin').set('Cookie', ann).expect(200, 'dashboard');
    await agent.get('/admin').set('Cookie', bob).expect(403);
    // The method's @Roles overrides the controller's.
    await agent.get('/admin/reports').set('Cookie', bob).expect(200, 'reports');
  });

  it('the ExecutionContext carries the Koa context, the controller class and the handler', async () => {
    const seen: unknown[] = [];
    const spy: CanActivate = {
      canActivate(context) {
        const ctx = context.getContext();
        const http = context.switchToHttp();
        seen.push(
          context.getClass(),
          context.getHandler(),
          context.getType(),
          http.getRequest() === ctx.request,
          http.getResponse() === ctx.response,
          ctx.path,
        );
        return true;
      },
    };
    @Controller('/ctx')
    class CtxController {
      @Get('/:id') @UseGuards(spy) show() {
        return 'shown';
      }
    }
    await request(createApp({ controllers: [CtxController] }).callback())
      .get('/ctx/7')
      .expect(200, 'shown');
    expect(seen).toEqual([CtxController, CtxController.prototype.show, 'http', true, true, '/ctx/7']);
  });

  it('runs controller guards before method guards, in order; the first denial stops the request', async () => {
    const order: string[] = [];
    const guard = (name: string, allow: boolean | (() => Promise<boolean>)): CanActivate => ({
      canActivate: () => {
        order.push(name);
        return typeof allow === 'function' ? allow() : allow;
      },
    });
    const handler = jest.fn(() => 'ran');
    @Controller('/o')
    @UseGuards(guard('c1', true), guard('c2', () => Promise.resolve(true)))
    class OrderController {
      @Get('/yes') @UseGuards(guard('m1', true), guard('m2', true)) yes() {
        return handler();
      }
      @Get('/no') @UseGuards(guard('m3', () => Promise.resolve(false)), guard('m4', true)) no() {
        return handler();
      }
    }
    const agent = request(createApp({ controllers: [OrderController] }).callback());
    await agent.get('/o/yes').expect(200, 'ran');
    expect(order).toEqual(['c1', 'c2', 'm1', 'm2']);
    order.length = 0;
    await agent.get('/o/no').expect(403);
    expect(order).toEqual(['c1', 'c2', 'm3']);
    expect(handler).toHaveBeenCalledTimes(1);
  });

  it("a guard may throw its own error, answered through the app's error mapping", async () => {
    class Unauthorized extends SessionError {
      constructor() {
        super('koa-typed-session: log in first.', 'ERR_UNAUTHORIZED', 401, true);
      }
    }
    @Controller('/t')
    class ThrowController {
      @Get('/sync')
      @UseGuards({
        canActivate: () => {
          throw new Unauthorized();
        },
      })
      sync() {
        return 'no';
      }
      @Get('/async') @UseGuards({ canActivate: () => Promise.reject(new Unauthorized()) }) async() {
        return 'no';
      }
    }
    const agent = request(createApp({ controllers: [ThrowController] }).callback());
    const body = { statusCode: 401, code: 'ERR_UNAUTHORIZED', message: 'koa-typed-session: log in first.' };
    await agent.get('/t/sync').expect(401, body);
    await agent.get('/t/async').expect(401, body);
  });

  it('runs before the argument pipes: a denied request never has its body validated', async () => {
    class Dto {
      @IsInt() n!: number;
    }
    @Controller('/p')
    class PipeController {
      @Post('/') @UseGuards({ canActivate: () => false }) create(@Body() dto: Dto) {
        return dto;
      }
    }
    await request(createApp({ controllers: [PipeController] }).callback())
      .post('/p')
      .send({ n: 'not a number' })
      .expect(403);
  });

  it('denies on a falsy answer; a denial goes through a custom errorMapper', async () => {
    @Controller('/f')
    class FalsyController {
      @Get('/') @UseGuards({ canActivate: () => undefined as unknown as boolean }) get() {
        return 'no';
      }
    }
    const app = createApp({
      controllers: [FalsyController],
      errorMapper: (err) => ({ status: 403, body: { denied: (err as SessionError).code } }),
    });
    await request(app.callback()).get('/f').expect(403, { denied: 'ERR_FORBIDDEN' });
  });

  it('resolves each guard class once per app (a registered singleton is honoured)', async () => {
    let created = 0;
    @injectable()
    class CountingGuard implements CanActivate {
      constructor() {
        created++;
      }
      canActivate(): boolean {
        return true;
      }
    }
    @Controller('/c')
    @UseGuards(CountingGuard)
    class CountController {
      @Get('/a') @UseGuards(CountingGuard) a() {
        return 'a';
      }
      @Get('/b') b() {
        return 'b';
      }
    }
    const app = createApp({ controllers: [CountController] });
    expect(created).toBe(1);
    await request(app.callback()).get('/c/a').expect(200);
    await request(app.callback()).get('/c/b').expect(200);
    expect(created).toBe(1);
    const shared = new CountingGuard();
    createApp({ controllers: [CountController], providers: [{ provide: CountingGuard, useValue: shared }] });
    expect(created).toBe(2); // the registered instance, not a new one
  });

  it('fails at startup on a guard without canActivate() or one that cannot be created', () => {
    @Controller('/bad')
    class BadController {
      @Get('/') @UseGuards({} as CanActivate) get() {}
    }
    expect(() => createApp({ controllers: [BadController] })).toThrow(SessionConfigError);
    expect(() => createApp({ controllers: [BadController] })).toThrow(/BadController\.get\(\).*no canActivate\(\)/);

    @injectable()
    class NeedsSomething implements CanActivate {
      constructor(readonly dep: Accounts) {}
      canActivate() {
        return true;
      }
    }
    @Controller('/needs')
    @UseGuards(NeedsSomething)
    class NeedsController {
      @Get('/') get() {}
    }
    // Without SessionModule, a guard injecting SessionService cannot be created.
    @Controller('/l')
    @UseGuards(LoggedInGuard)
    class LoginNeeded {
      @Get('/') get() {}
    }
    expect(() => createApp({ controllers: [LoginNeeded] })).toThrow(/has no SessionModule/);
    expect(createApp({ controllers: [NeedsController] })).toBeDefined(); // Accounts is a plain class
  });
});

describe('SetMetadata and Reflector', () => {
  it('reads string-keyed metadata; getAllAndMerge concatenates arrays and merges objects', async () => {
    const results: unknown[] = [];
    @injectable()
    class ReadingGuard implements CanActivate {
      constructor(private readonly reflector: Reflector) {}
      canActivate(context: ExecutionContext): boolean {
        const targets = [context.getHandler(), context.getClass()];
        results.push(
          this.reflector.get('public', context.getHandler()),
          this.reflector.getAllAndMerge<string[]>('tags', targets),
          this.reflector.getAllAndMerge<object>('opts', targets),
          this.reflector.getAllAndOverride('missing', targets),
        );
        return true;
      }
    }
    @Controller('/m')
    @UseGuards(ReadingGuard)
    @SetMetadata('tags', ['class'])
    @SetMetadata('opts', { a: 1, b: 1 })
    class MetaController {
      @Get('/')
      @SetMetadata('public', true)
      @SetMetadata('tags', ['method'])
      @SetMetadata('opts', { b: 2 })
      get() {
        return 'ok';
      }
    }
    await request(createApp({ controllers: [MetaController] }).callback())
      .get('/m')
      .expect(200);
    expect(results).toEqual([true, ['method', 'class'], { a: 1, b: 1 }, undefined]);
  });
});
