// The seed's "Basic Setup" (the views counter), verbatim but for the import: koa-session -> koa-typed-session.
// `require('koa-typed-session')` is itself the middleware factory, as `require('koa-session')` was in v6.
const Koa = require('koa');
const session = require('koa-typed-session');

/** Builds the views-counter app (cookie sessions signed with app.keys). */
function createApp() {
  const app = new Koa();

  app.keys = ['your-secret-key'];
  app.use(session(app));

  app.use(ctx => {
    if (!ctx.session.view) {
      ctx.session.view = 0;
    }
    ctx.session.view++;
    ctx.body = `${ctx.session.view} views`;
  });

  return app;
}

module.exports = { createApp };

// Listen only when run directly (`node samples/seed/basic-setup.js`), so tests can import the factory.
if (require.main === module) {
  require('./listen').listen(createApp(), 'basic-setup');
}
