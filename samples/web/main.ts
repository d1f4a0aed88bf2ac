/**
 * Starts the demo web app: `npm run demo:web`, then open http://127.0.0.1:3001.
 *
 * Environment: PORT (3001), HOST (127.0.0.1), SESSION_KEYS (comma-separated signing keys; a
 * development key otherwise), REDIS_URL (sessions in Redis; in memory otherwise),
 * SESSION_ENCRYPTION_KEY (32+ characters: encrypted cookies).
 */
import { MemoryStore, type SessionStore } from 'koa-typed-session';
import { RedisStore } from 'koa-typed-session/redis';
import { listen } from '../seed/typed/listen';
import { createWebApp, DEMO_KEYS } from './create-web-app';

const port = Number(process.env.PORT ?? 3001);
const host = process.env.HOST ?? '127.0.0.1';
const keys = process.env.SESSION_KEYS?.split(',').filter(Boolean);
if (!keys) console.warn('[demo] SESSION_KEYS is not set: using a development key. Never do this in production.');

// Both stores index sessions by the `user` field, which enables "Log out everywhere".
const redisUrl = process.env.REDIS_URL;
const store: SessionStore & { quit?: () => Promise<void> } = redisUrl
  ? new RedisStore({ url: redisUrl, prefix: 'web-demo:', userField: 'user' })
  : new MemoryStore({ userField: 'user' });
const encryptionKey = process.env.SESSION_ENCRYPTION_KEY;

const app = createWebApp({
  keys: keys ?? DEMO_KEYS,
  session: { store, ...(encryptionKey ? { encrypt: { keys: [encryptionKey] } } : {}) },
});
const server = listen(app, `koa-typed-session demo (sessions in ${redisUrl ? 'Redis' : 'memory'})`, port, host);

function stop(): void {
  server.close(() => void store.quit?.());
}
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
