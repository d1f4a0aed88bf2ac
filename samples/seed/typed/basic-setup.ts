// The seed's "Basic Setup" (views counter) in TypeScript. `ctx.session` is typed by the package's
// `declare module 'koa'` augmentation; it is `null` only after `ctx.session = null`, hence the `!`.
import Koa from 'koa';
import session from 'koa-typed-session';
import { listenIfMain } from './listen';

/** Builds the views-counter app (cookie sessions signed with app.keys). */
export function createApp(): Koa {
  const app = new Koa();

  app.keys = ['your-secret-key'];
  app.use(session(app));

  app.use((ctx) => {
    if (!ctx.session!.view) {
      ctx.session!.view = 0;
    }
    ctx.session!.view++;
    ctx.body = `${ctx.session!.view} views`;
  });

  return app;
}

listenIfMain(module, createApp, 'basic-setup');
