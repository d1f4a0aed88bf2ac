// The seed's "Session Rolling" in TypeScript: every request that has a session re-sends the cookie.
import Koa from 'koa';
import session from 'koa-typed-session';
import { listenIfMain } from './listen';

/** Builds an app with the seed's rolling CONFIG; GET /set writes the session, any other path only reads it. */
export function createApp(): Koa {
  const app = new Koa();

  app.keys = ['your-secret-key'];

  const CONFIG = {
    rolling: true,
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

listenIfMain(module, createApp, 'rolling');
