/**
 * A failing store answers anonymous clients a generic 503: the store's own error text (connection
 * strings, hosts, users, Lua line numbers, WRONGTYPE) stays on the server, as the error's `cause`,
 * in the app's `error` event.
 */
import Koa from 'koa';
import { MemoryStore, SessionStoreError, session } from 'koa-typed-session';
import { SessionModule, Controller, Get, createApp } from 'koa-typed-session/decorators';
import request from 'supertest';

const SECRET_TEXT =
  'connect ECONNREFUSED redis://sessions:hunter2@10.1.2.3:6379/0; ERR user_script:37: WRONGTYPE Operation against a key';
const LEAKS = ['hunter2', '10.1.2.3', 'user_script', 'WRONGTYPE', 'ECONNREFUSED', 'sessions:'];
const ID = '7c9e6679-7425-40de-944b-e07fc1f90ae7';

function failingStore(): MemoryStore {
  const store = new MemoryStore();
  store.get = () => Promise.reject(new Error(SECRET_TEXT)) as never;
  return store;
}

function expectNoLeak(text: string): void {
  for (const leak of LEAKS) expect(text).not.toContain(leak);
}

describe('store failures: a generic 503 body, the cause on the server', () => {
  it('plain Koa middleware', async () => {
    const app = new Koa();
    app.keys = ['k'];
    app.use(session({ store: failingStore(), signed: false }, app));
    app.use((ctx) => void (ctx.body = 'never'));
    const errors: unknown[] = [];
    app.on('error', (err: unknown) => errors.push(err));
    const res = await request(app.callback()).get('/').set('Cookie', `koa.sess=${ID}`).expect(503);
    expectNoLeak(res.text);
    expect(res.text).toMatch(/^koa-typed-session: the session store is unavailable/);
    expect(errors).toHaveLength(1);
    const err = errors[0] as SessionStoreError;
    expect(err).toBeInstanceOf(SessionStoreError);
    expect((err.cause as Error).message).toBe(SECRET_TEXT);
  });

  it('decorator module (createApp error mapper)', async () => {
    @Controller('/')
    class Touch {
      @Get('/')
      touch() {
        return 'never';
      }
    }
    const app = createApp({
      keys: ['k'],
      imports: [SessionModule.forRoot({ store: failingStore(), signed: false })],
      controllers: [Touch],
    });
    const errors: unknown[] = [];
    app.on('error', (err: unknown) => errors.push(err));
    const res = await request(app.callback()).get('/').set('Cookie', `koa.sess=${ID}`).expect(503);
    expectNoLeak(res.text);
    expect(res.body).toMatchObject({ statusCode: 503, code: 'ERR_SESSION_STORE' });
    expect(res.body.message).toMatch(/^koa-typed-session: the session store is unavailable/);
    expect(errors).toHaveLength(1);
    expect(((errors[0] as Error).cause as Error).message).toBe(SECRET_TEXT);
  });
});
