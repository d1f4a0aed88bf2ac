// The seed's "Configuring koa-session": its CONFIG object, verbatim, on the views counter of the basic setup.
// Note the cookie name 'koa:sess': ':' is a valid cookie-name character, so the cookies are koa:sess and koa:sess.sig.
const Koa = require('koa');
const session = require('koa-typed-session');

/** Builds the views-counter app with the seed's full CONFIG object. */
function createApp() {
  const app = new Koa();

  app.keys = ['your-secret-key'];

  const CONFIG = {
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

if (require.main === module) {
  require('./listen').listen(createApp(), 'config');
}
