import Koa from 'koa';

/** Bare Koa, no session: the ceiling every other scenario is measured under. */
export function bareApp(): Koa {
  const app = new Koa();
  app.use((ctx) => {
    ctx.body = 'hello';
  });
  return app;
}
