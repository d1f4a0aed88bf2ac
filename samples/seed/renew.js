// The seed's "Session Renew": `renew: true` re-sends the cookie only when less than half of the
// session's lifetime is left (here: the default one day, so after 12 hours), keeping active users signed in.
const Koa = require('koa');
const session = require('koa-typed-session');

/** Builds an app with the seed's renew CONFIG; GET /set writes the session, any other path only reads it. */
function createApp() {
  const app = new Koa();

  app.keys = ['your-secret-key'];

  const CONFIG = {
    renew: true,
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
  require('./listen').listen(createApp(), 'renew');
}
