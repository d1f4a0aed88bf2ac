import { IsInt } from 'class-validator';
import type { Context, Middleware, Next } from 'koa';
import { SessionConfigError, SessionError } from 'koa-typed-session';
import {
  Controller,
  Get,
  Param,
  Post,
  Session,
  SessionModule,
  SessionService,
  UseGuards,
  UseMiddleware,
  createApp,
} from 'koa-typed-session/decorators';
import { cookieHeader, request } from '../helpers/app';

class Counter {
  @IsInt() hits = 0;
}

const order: string[] = [];
const mark =
  (name: string): Middleware =>
  async (_ctx: Context, next: Next) => {
    order.push(`${name}>`);
    await next();
    order.push(`<${name}`);
  };

/** A tiny rate limit: `max` requests per app instance, then 429. */
function rateLimit(max: number): Middleware {
  let used = 0;
  return async (ctx, next) => {
    if (++used > max) {
      throw Object.assign(new Error('slow down'), { status: 429, expose: true, headers: { 'retry-after': '1' } });
    }
    await next();
  };
}

function cors(origin: string): Middleware {
  return async (ctx, next) => {
    ctx.set('access-control-allow-origin', origin);
    if (ctx.method === 'OPTIONS') {
      ctx.status = 204;
      return;
    }
    await next();
  };
}

describe('@UseMiddleware: Koa middleware on a controller or a method', () => {
  beforeEach(() => (order.length = 0));

  it('runs controller middleware, then the method middleware, then the guards and the handler', async () => {
    @Controller('/o')
    @UseMiddleware(mark('c1'), mark('c2'))
    @UseGuards({ canActivate: () => (order.push('guard'), true) })
    class OrderController {
      @Get('/') @UseMiddleware(mark('m1')) get() {
        order.push('handler');
        return 'ok';
      }
      @Get('/plain') plain() {
        order.push('handler');
        return 'plain';
      }
    }
    const agent = request(createApp({ controllers: [OrderController] }).callback());
    await agent.get('/o').expect(200, 'ok');
    expect(order).toEqual(['c1>', 'c2>', 'm1>', 'guard', 'handler', '<m1', '<c2', '<c1']);
    order.length = 0;
    await agent.get('/o/plain').expect(200, 'plain');
    expect(order).toEqual(['c1>', 'c2>', 'guard', 'handler', '<c2', '<c1']);
  });

  it('runs inside the session and the request scope: ctx.session, SessionService and ctx.params work', async () => {
    const seen: unknown[] = [];
    let sessions!: SessionService;
    const inspect: Middleware = async (ctx, next) => {
      const counter = await sessions.get(Counter);
      counter.hits++; // committed with the request, like an edit in the handler
      seen.push(ctx.params, typeof ctx.session);
      await next();
    };
    @Controller('/s')
    class ScopeController {
      constructor(service: SessionService) {
        sessions = service;
      }
      @Get('/:id') @UseMiddleware(inspect) get(@Param('id') id: string, @Session() counter: Counter) {
        return { id, hits: counter.hits };
      }
    }
    const agent = request(
      createApp({ keys: ['k'], imports: [SessionModule.forRoot()], controllers: [ScopeController] }).callback(),
    );
    const first = await agent.get('/s/1').expect(200, { id: '1', hits: 1 });
    await agent.get('/s/2').set('Cookie', cookieHeader(first)).expect(200, { id: '2', hits: 2 });
    expect(seen).toEqual([{ id: '1' }, 'object', { id: '2' }, 'object']);
  });

  it('applies only to its routes; a middleware may answer or throw (rate limit, CORS preflight)', async () => {
    @Controller('/limited')
    @UseMiddleware(rateLimit(2))
    class LimitedController {
      @Get('/') get() {
        return 'ok';
      }
    }
    @Controller('/open')
    class OpenController {
      @Get('/') get() {
        return 'open';
      }
      @Post('/x') @UseMiddleware(cors('https://a.example')) x() {
        return 'x';
      }
    }
    const agent = request(createApp({ controllers: [LimitedController, OpenController] }).callback());
    await agent.get('/limited').expect(200);
    await agent.get('/limited').expect(200);
    const limited = await agent
      .get('/limited')
      .expect(429, { statusCode: 429, code: 'ERR_HTTP_429', message: 'slow down' });
    expect(limited.headers['retry-after']).toBe('1');
    for (let i = 0; i < 3; i++) await agent.get('/open').expect(200, 'open');

    const x = await agent.post('/open/x').expect(200, 'x');
    expect(x.headers['access-control-allow-origin']).toBe('https://a.example');
    expect((await agent.get('/open')).headers['access-control-allow-origin']).toBeUndefined();
  });

  it('a middleware error thrown before the guards skips them and the handler', async () => {
    const guard = jest.fn(() => true);
    const handler = jest.fn();
    @Controller('/e')
    @UseGuards({ canActivate: guard })
    class ErrorController {
      @Get('/')
      @UseMiddleware(() => {
        throw new SessionError('koa-typed-session: teapot.', 'ERR_TEAPOT', 418, true);
      })
      get() {
        handler();
      }
    }
    await request(createApp({ controllers: [ErrorController] }).callback())
      .get('/e')
      .expect(418, { statusCode: 418, code: 'ERR_TEAPOT', message: 'koa-typed-session: teapot.' });
    expect(guard).not.toHaveBeenCalled();
    expect(handler).not.toHaveBeenCalled();
  });

  it('fails at startup when given something other than a function', () => {
    @Controller('/bad')
    class BadController {
      @Get('/') @UseMiddleware('cors' as unknown as Middleware) get() {}
    }
    expect(() => createApp({ controllers: [BadController] })).toThrow(SessionConfigError);
    expect(() => createApp({ controllers: [BadController] })).toThrow(/BadController\.get\(\).*not a function/);
  });
});
