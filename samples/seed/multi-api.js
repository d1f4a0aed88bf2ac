// The seed's "Example App with Multiple APIs", verbatim but for the import. `npm start` runs this file.
const Koa = require('koa');
const session = require('koa-typed-session');

/** Builds the multi-API app: GET /set, /get, /destroy, and 'Hello World' elsewhere. */
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
    rolling: true,
    renew: false,
  };

  app.use(session(CONFIG, app));

  app.use(ctx => {
    if (ctx.path === '/set') {
      ctx.session.user = 'JohnDoe';
      ctx.body = 'Session is set!';
    } else if (ctx.path === '/get') {
      ctx.body = `User: ${ctx.session.user}`;
    } else if (ctx.path === '/destroy') {
      ctx.session = null;
      ctx.body = 'Session destroyed!';
    } else {
      ctx.body = 'Hello World';
    }
  });

  return app;
}

module.exports = { createApp };

if (require.main === module) {
  require('./listen').listen(createApp(), 'multi-api');
}
