// The seed's "Example App with Multiple APIs" on Redis: run several copies behind a load balancer
// and they share every session. Needs a Redis (REDIS_URL, default redis://127.0.0.1:6379):
//   npm run build:samples && REDIS_URL=redis://127.0.0.1:6379 PORT=3000 node dist-samples/samples/redis/multi-api.js
// Start a second copy with PORT=3001: a session set on :3000 is read on :3001.
import Koa from 'koa';
import session, { destroyAllSessionsOf, type KoaSessionOptions } from 'koa-typed-session';
import { RedisStore } from 'koa-typed-session/redis';
import { listen } from '../seed/typed/listen';

/** The app and the store it uses (quit the store on shutdown). */
export interface RedisSampleApp {
  app: Koa;
  store: RedisStore;
}

/**
 * Builds the multi-API app on a RedisStore: GET /set, /get, /destroy as in the seed, plus
 * /login?user=NAME and /logout-everywhere (destroys every session of the logged-in user).
 */
export function createApp(
  redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
  prefix = 'koa:sess:',
): RedisSampleApp {
  const app = new Koa();
  app.keys = ['your-secret-key'];

  // `userField` indexes sessions by user, for "log out everywhere".
  const store = new RedisStore({ url: redisUrl, prefix, userField: 'user' });

  const CONFIG: KoaSessionOptions = {
    key: 'koa:sess',
    maxAge: 86400000,
    autoCommit: true,
    overwrite: true,
    httpOnly: true,
    signed: true,
    rolling: true,
    renew: false,
    store,
    storeTimeout: 2000, // a Redis outage answers 503 within 2 s (SessionStoreError)
  };

  app.use(session(CONFIG, app));

  app.use(async (ctx) => {
    if (ctx.path === '/set') {
      ctx.session!.user = 'JohnDoe';
      ctx.body = 'Session is set!';
    } else if (ctx.path === '/login') {
      await ctx.session!.regenerate(); // a new id at login: session-fixation defence
      ctx.session!.user = String(ctx.query.user ?? 'JohnDoe');
      ctx.body = `Logged in as ${String(ctx.session!.user)}`;
    } else if (ctx.path === '/get') {
      ctx.body = `User: ${String(ctx.session!.user)}`;
    } else if (ctx.path === '/destroy') {
      ctx.session = null;
      ctx.body = 'Session destroyed!';
    } else if (ctx.path === '/logout-everywhere') {
      const user = ctx.session!.user as string | undefined;
      const count = user ? await destroyAllSessionsOf(ctx, user) : 0;
      ctx.session = null;
      ctx.body = `Destroyed ${String(count)} session(s)`;
    } else {
      ctx.body = 'Hello World';
    }
  });

  return { app, store };
}

if (require.main === module) {
  const { app, store } = createApp();
  const server = listen(app, 'redis multi-api');
  process.once('SIGINT', () => {
    server.close();
    void store.quit();
  });
}
