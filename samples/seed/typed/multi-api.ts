// The seed's "Example App with Multiple APIs" in TypeScript. `npm start` compiles the samples with
// tsc (tsconfig.samples.json) and runs this file from dist-samples/ on http://localhost:3000.
import Koa from 'koa';
import session, { type KoaSessionOptions } from 'koa-typed-session';
import { listenIfMain } from './listen';

/** Builds the multi-API app: GET /set, /get, /destroy, and 'Hello World' elsewhere. */
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
    rolling: true,
    renew: false,
  };

  app.use(session(CONFIG, app));

  app.use((ctx) => {
    if (ctx.path === '/set') {
      ctx.session!.user = 'JohnDoe';
      ctx.body = 'Session is set!';
    } else if (ctx.path === '/get') {
      ctx.body = `User: ${String(ctx.session!.user)}`;
    } else if (ctx.path === '/destroy') {
      ctx.session = null;
      ctx.body = 'Session destroyed!';
    } else {
      ctx.body = 'Hello World';
    }
  });

  return app;
}

listenIfMain(module, createApp, 'multi-api');
