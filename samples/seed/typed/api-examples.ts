// The seed's "API Examples" (set, get, destroy) in TypeScript, one route each.
import Koa from 'koa';
import Router from '@koa/router';
import session from 'koa-typed-session';
import { listenIfMain } from './listen';

/** Builds an app with GET /set, GET /get and GET /destroy (the seed's three API snippets). */
export function createApp(): Koa {
  const app = new Koa();
  const router = new Router();

  app.keys = ['your-secret-key'];
  app.use(session(app));

  // Setting Session
  router.get('/set', (ctx) => {
    ctx.session!.username = 'JohnDoe';
    ctx.body = 'Session Set!';
  });

  // Getting Session
  router.get('/get', (ctx) => {
    const username: unknown = ctx.session!.username;
    ctx.body = `Hello, ${String(username)}`;
  });

  // Destroying Session
  router.get('/destroy', (ctx) => {
    ctx.session = null;
    ctx.body = 'Session Destroyed';
  });

  app.use(router.routes());
  app.use(router.allowedMethods());

  return app;
}

listenIfMain(module, createApp, 'api-examples');
