// The seed's "Session Rolling": `rolling: true` re-sends the cookie (with a fresh expiry) on every
// request that has a session, even when the handler changed nothing.
const Koa = require('koa');
const session = require('koa-typed-session');

/** Builds an app with the seed's rolling CONFIG; GET /set writes the session, any other path only reads it. */
function createApp() {
  const app = new Koa();

  app.keys = ['your-secret-key'];

  const CONFIG = {
    rolling: true,
  };
  app.use(session(CONFIG, app));

  app.use(ctx => {
    if (ctx.path === '/set') {
      ctx.session.user = 'JohnDoe';
      ctx.body = 'Session is set!';
    } else {
      ctx.body = `User: ${ctx.session.user}`;
    }
  });

  return app;
}

module.exports = { createApp };

if (require.main === module) {
  require('./listen').listen(createApp(), 'rolling');
}
