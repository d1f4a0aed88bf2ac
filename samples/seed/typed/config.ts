// The seed's "Configuring koa-session" in TypeScript: the CONFIG object, checked against the
// package's option type, on the views counter. The cookie name 'koa:sess' is valid (':' is allowed).
import Koa from 'koa';
import session, { type KoaSessionOptions } from 'koa-typed-session';
import { listenIfMain } from './listen';

/** Builds the views-counter app with the seed's full CONFIG object. */
export function createApp(): Koa {
  const app = new Koa();

  app.keys = ['your-secret-key'];

  const CONFIG: KoaSessionOptions = {
    key: 'koa:sess',
    maxAge: 86400000,
    autoCommit: true,
    overwrite: true,
    httpOnly: true,
    signed: true,
    rolling: false,
    renew: false,
  };
  app.use(session(CONFIG, app));

  app.use((ctx) => {
    if (!ctx.session!.view) {
      ctx.session!.view = 0;
    }
    ctx.session!.view++;
    ctx.body = `${ctx.session!.view} views`;
  });

  return app;
}

listenIfMain(module, createApp, 'config');
