// The seed's "API Examples": setting, getting and destroying a session. Each snippet is the seed's
// `app.use(ctx => { ... })` body, verbatim, mounted on its own path so that one app can run all three.
const Koa = require('koa');
const Router = require('@koa/router');
const session = require('koa-typed-session');

/** Builds an app with GET /set, GET /get and GET /destroy (the seed's three API snippets). */
function createApp() {
  const app = new Koa();
  const router = new Router();

  app.keys = ['your-secret-key'];
  app.use(session(app));

  // Setting Session
  router.get('/set', ctx => {
    ctx.session.username = 'JohnDoe';
    ctx.body = 'Session Set!';
  });

  // Getting Session
  router.get('/get', ctx => {
    const username = ctx.session.username;
    ctx.body = `Hello, ${username}`;
  });

  // Destroying Session
  router.get('/destroy', ctx => {
    ctx.session = null;
    ctx.body = 'Session Destroyed';
  });

  app.use(router.routes());
  app.use(router.allowedMethods());

  return app;
}

module.exports = { createApp };

if (require.main === module) {
  require('./listen').listen(createApp(), 'api-examples');
}
