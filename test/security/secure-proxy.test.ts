import type Koa from 'koa';
import { SessionCookieError, type KoaSessionOptions } from 'koa-typed-session';
import { request, setCookies } from '../helpers/app';
import { secureApp } from './security-helpers';

function loginApp(options: KoaSessionOptions, proxy: boolean): { app: Koa; errors: unknown[] } {
  const app = secureApp(options);
  app.proxy = proxy;
  app.silent = true;
  const errors: unknown[] = [];
  app.on('error', (err: unknown) => errors.push(err));
  app.use((ctx) => {
    ctx.session!.user = 'ada';
    ctx.body = 'ok';
  });
  return { app, errors };
}

const sessionCookies = (res: { headers: Record<string, unknown> }) =>
  setCookies(res).filter((c) => c.startsWith('koa.sess'));

describe("secure: 'auto' (the default)", () => {
  it('marks the cookies secure behind a TLS proxy when app.proxy trusts X-Forwarded-Proto: https', async () => {
    const { app } = loginApp({}, true);
    const res = await request(app.callback()).get('/').set('X-Forwarded-Proto', 'https').expect(200);
    const cookies = sessionCookies(res);
    expect(cookies).toHaveLength(2);
    for (const cookie of cookies) expect(cookie).toMatch(/; secure/);
  });

  it('ignores X-Forwarded-Proto when app.proxy is false (a client could send it)', async () => {
    const { app } = loginApp({}, false);
    const res = await request(app.callback()).get('/').set('X-Forwarded-Proto', 'https').expect(200);
    for (const cookie of sessionCookies(res)) expect(cookie).not.toMatch(/; secure/);
  });

  it('sends a non-secure cookie over plain HTTP (development)', async () => {
    const { app } = loginApp({}, true);
    const res = await request(app.callback()).get('/').expect(200);
    expect(sessionCookies(res)).toHaveLength(2);
    for (const cookie of sessionCookies(res)) expect(cookie).not.toMatch(/; secure/);
  });
});

describe('secure: true', () => {
  it('sends secure cookies over HTTPS (through a trusted proxy)', async () => {
    const { app } = loginApp({ secure: true }, true);
    const res = await request(app.callback()).get('/').set('X-Forwarded-Proto', 'https').expect(200);
    for (const cookie of sessionCookies(res)) expect(cookie).toMatch(/; secure/);
  });

  it('over plain HTTP: a clear SessionCookieError for the app, a plain 500 for the client, no cookie', async () => {
    const { app, errors } = loginApp({ secure: true }, false);
    const res = await request(app.callback()).get('/').set('X-Forwarded-Proto', 'https').expect(500);
    // The client learns nothing about the deployment...
    expect(res.text).toBe('Internal Server Error');
    expect(sessionCookies(res)).toEqual([]);
    // ...the app's error listener (and Koa's default logger) gets the cause and the fix.
    expect(errors).toHaveLength(1);
    const err = errors[0] as SessionCookieError;
    expect(err).toBeInstanceOf(SessionCookieError);
    expect(err.code).toBe('ERR_SESSION_SECURE_COOKIE');
    expect(err.expose).toBe(false);
    expect(err.message).toMatch(/^koa-typed-session: cannot send a `secure` cookie over plain HTTP/);
    expect(err.message).toMatch(/app\.proxy = true/);
  });
});

describe('secure: false', () => {
  it('never marks the cookie secure, even over HTTPS', async () => {
    const { app } = loginApp({ secure: false }, true);
    const res = await request(app.callback()).get('/').set('X-Forwarded-Proto', 'https').expect(200);
    for (const cookie of sessionCookies(res)) expect(cookie).not.toMatch(/; secure/);
  });
});
