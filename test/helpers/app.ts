import Koa from 'koa';
import request from 'supertest';
import { session, type KoaSessionOptions } from 'koa-typed-session';

/** Default keys for signed-cookie tests (as koa-session's own suite uses). */
export const KEYS = ['a', 'b'];

/** A Koa app with the session middleware and `app.keys` set. */
export function createTestApp(options: KoaSessionOptions = {}, keys: string[] | null = KEYS): Koa {
  const app = new Koa();
  if (keys) app.keys = keys;
  app.use(session(options, app));
  return app;
}

/** The response's Set-Cookie headers as an array (empty when absent). */
export function setCookies(res: { headers: Record<string, unknown> }): string[] {
  const header = res.headers['set-cookie'];
  return Array.isArray(header) ? (header as string[]) : header ? [String(header)] : [];
}

/** A Cookie request header from a response's Set-Cookie headers (name=value pairs only). */
export function cookieHeader(res: { headers: Record<string, unknown> }): string {
  return setCookies(res)
    .map((c) => c.split(';')[0])
    .join('; ');
}

export { request };
