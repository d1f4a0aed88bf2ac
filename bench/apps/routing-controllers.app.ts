import 'reflect-metadata';
import Koa from 'koa';
import koaSession from 'koa-session';
import { Controller, Get, Session, useKoaServer } from 'routing-controllers';
import { BENCH_KEYS } from './counter';

/**
 * routing-controllers' `@Session()` hands the handler `ctx.session` itself. Typing the parameter
 * with a class would make it (with its default classTransformer) hand over a transformed copy whose
 * edits are lost, so the session is typed as a plain record here: the way it works there.
 */
@Controller()
class RcViewsController {
  @Get('/')
  count(@Session() session: Record<string, number | undefined>): string {
    if (!session.view) session.view = 0;
    session.view++;
    return `${session.view} views`;
  }
}

/** routing-controllers 0.11 (KoaDriver, @koa/router) on koa-session 7 with signed cookies. */
export function routingControllersApp(): Koa {
  const app = new Koa();
  app.keys = BENCH_KEYS;
  app.use(koaSession({}, app));
  useKoaServer(app, { controllers: [RcViewsController], defaultErrorHandler: true });
  return app;
}
