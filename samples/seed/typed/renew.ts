// The seed's "Session Renew" in TypeScript: the cookie is re-sent once less than half of its lifetime is left.
import Koa from 'koa';
import session from 'koa-typed-session';
import { listenIfMain } from './listen';

/** Builds an app with the seed's renew CONFIG; GET /set writes the session, any other path only reads it. */
export function createApp(): Koa {
  const app = new Koa();

  app.keys = ['your-secret-key'];

  const CONFIG = {
    renew: true,
  };
  app.use(session(CONFIG, app));

  app.use((ctx) => {
    if (ctx.path === '/set') {
      ctx.session!.user = 'JohnDoe';
      ctx.body = 'Session is set!';
    } else {
      ctx.body = `User: ${String(ctx.session!.user)}`;
    }
  });

  return app;
}

listenIfMain(module, createApp, 'renew');
